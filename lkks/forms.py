from django import forms
from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    ObjectDoesNotExist,
    ValidationError,
)
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lkks import access
from lkks.models import Region
from lkks.uploads import validate_image, validate_scan


def upload_help(validators):
    """The real limits of an upload field, from the settings and the content check among
    its (model field's) validators, so that the form says them before a file is refused."""
    validators = set(validators)
    limits = {
        "size": filesizeformat(settings.UPLOAD_MAX_BYTES),
        "pixels": settings.UPLOAD_MAX_PIXELS // 1_000_000,
    }
    if validate_image in validators:
        return (
            _("A JPEG, PNG or WebP image of at most %(size)s and %(pixels)s megapixels.") % limits
        )
    if validate_scan in validators:
        return (
            _("A PDF or an image (JPEG, PNG, WebP) of at most %(size)s and %(pixels)s megapixels.")
            % limits
        )
    return _("At most %(size)s.") % limits


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class VillageSelect(forms.Select):
    """The desa/kelurahan choice, each option naming its kecamatan (``data-district``)
    so that static/js/forms.js can offer only the villages of the chosen district; the
    model's own check still refuses a village outside it when scripts are off."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-district"] = instance.parent_id
        return option


class ScopedModelForm(forms.ModelForm):
    """A ModelForm whose choices of records come only from the record's own body.

    Every ForeignKey or ManyToMany choice of a body-owned model is narrowed through its
    ``for_user`` scoping method and to the body of the record being edited, so that a
    tampered choice of another body's record is refused as an invalid choice. Kecamatan
    and desa choices are those of the body's regency.

    ``unique_in_body`` names the field of a record that is unique within its body (a
    program's code, a funder's name). The body is never on the form, so Django would
    leave such a constraint to the database; here the record gets its body before it
    is checked, the constraint is checked with the form, and a violation is shown on
    that field.
    """

    unique_in_body = None

    def __init__(self, *args, user, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.body = body or self._body_of_instance()
        if self.unique_in_body and self.instance.body_id is None and self.body is not None:
            self.instance.body = self.body
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput) and not isinstance(
                field.widget, DateInput
            ):
                field.widget = DateInput()
            queryset = getattr(field, "queryset", None)
            if queryset is None:
                continue
            if hasattr(queryset, "for_user"):
                queryset = queryset.for_user(user)
                if self.body is not None:
                    queryset = queryset.for_body(self.body)
                field.queryset = queryset
            elif queryset.model is Region and self.body is not None:
                field.queryset = self._regions_of_body(field, queryset)
        self._village_follows_district()
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField) and field.decimal_places == 0:
                # Whole Rupiah: static/js/forms.js shows the amount with its thousand
                # separators beside the field as it is typed.
                field.widget.attrs.update({"data-money": "", "inputmode": "numeric"})
            if isinstance(field, forms.FileField):
                field.help_text = upload_help(self._model_validators(name) + field.validators)

    def full_clean(self):
        super().full_clean()
        self._ask_for_files_again()

    def add_error(self, field, error):
        # Services check some rules after the form (a save view adds their errors here).
        super().add_error(field, error)
        self._ask_for_files_again()

    def _ask_for_files_again(self):
        """The browser empties every file input when the form comes back with errors: a
        file chosen this time is lost however valid it was, so its field says so."""
        if not self.is_bound or not self._errors:
            return
        for name, field in self.fields.items():
            upload = self.files.get(self.add_prefix(name))
            if not isinstance(field, forms.FileField) or not upload or name in self._errors:
                continue
            limits = getattr(field, "limits_help", field.help_text)
            field.limits_help = limits
            field.help_text = _(
                "You chose “%(name)s”, but the form came back: choose it again before "
                "saving. %(limits)s"
            ) % {"name": upload.name, "limits": limits}
            # A bound field copies its help text when made, and cleaning made it already.
            self[name].help_text = field.help_text

    def _village_follows_district(self):
        levels = {
            (getattr(field, "limit_choices_to", None) or {}).get("level"): name
            for name, field in self.fields.items()
            if getattr(field, "queryset", None) is not None and field.queryset.model is Region
        }
        district = levels.get(Region.Level.DISTRICT)
        village = levels.get(Region.Level.VILLAGE)
        if district and village:
            field = self.fields[village]
            field.widget = VillageSelect(
                attrs={"data-follows": self[district].auto_id}, choices=field.choices
            )

    def _model_validators(self, name):
        try:
            return list(self._meta.model._meta.get_field(name).validators)
        except FieldDoesNotExist:  # a field of the form only
            return []

    def _get_validation_exclusions(self):
        exclusions = super()._get_validation_exclusions()
        if self.unique_in_body:
            exclusions.discard("body")
        return exclusions

    def validate_constraints(self):
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            # A uniqueness with the body names no field of the form: it goes beside the
            # field that is unique (the other constraints name their own field).
            if self.unique_in_body and NON_FIELD_ERRORS in error.error_dict:
                errors = error.error_dict.pop(NON_FIELD_ERRORS)
                error.error_dict.setdefault(self.unique_in_body, []).extend(errors)
            self._update_errors(error)

    def _body_of_instance(self):
        try:
            return access.body_of(self.instance)
        except (AttributeError, ObjectDoesNotExist):  # a new record without its parent yet
            return None

    def _regions_of_body(self, field, queryset):
        level = field.limit_choices_to.get("level") if hasattr(field, "limit_choices_to") else None
        regency = self.body.regency_id
        if level == Region.Level.DISTRICT:
            return queryset.filter(parent=regency)
        if level == Region.Level.VILLAGE:
            return queryset.filter(parent__parent=regency).select_related("parent")
        return queryset

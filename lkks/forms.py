from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError

from lkks import access
from lkks.models import Region


class DateInput(forms.DateInput):
    """The browser's own date picker; it sends ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


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

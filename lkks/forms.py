from django import forms
from django.core.exceptions import ObjectDoesNotExist

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
    """

    def __init__(self, *args, user, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.body = body or self._body_of_instance()
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

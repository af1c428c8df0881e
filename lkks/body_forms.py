"""The forms of the body's own pages: its profile, its decrees and officers, its letters."""

import django_filters
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks.dates import FIRST_YEAR, LAST_YEAR
from lkks.forms import ScopedModelForm
from lkks.models import Body, Decree, Letter, Officer


class BodyProfileForm(forms.ModelForm):
    """What staff keep of their body. Its name, short name and regency are the admin's."""

    class Meta:
        model = Body
        fields = [
            "address",
            "phone",
            "email",
            "website",
            "logo",
            "letterhead_title",
            "letterhead_subtitle",
            "signing_place",
            "letter_number_pattern",
            "social_office_name",
            "social_head_name",
            "social_head_title",
            "social_head_nip",
            "social_secretary_name",
            "social_secretary_title",
            "social_secretary_nip",
            "application_wait_days",
        ]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class UniquePerBodyForm(ScopedModelForm):
    """A form of a record whose number is unique per body: the body is set before
    validation, so that a duplicate is an error beside ``unique_field``."""

    unique_field = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.body_id is None and self.body is not None:
            self.instance.body = self.body

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"body"}

    def validate_constraints(self):
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            if NON_FIELD_ERRORS in error.error_dict:
                error.error_dict[self.unique_field] = error.error_dict.pop(NON_FIELD_ERRORS)
            self._update_errors(error)


class DecreeForm(UniquePerBodyForm):
    unique_field = "number"

    replaces_board = forms.BooleanField(
        label=_("This decree replaces the whole board"),
        required=False,
        initial=True,
        help_text=_(
            "The terms of the officers still in office end the day before this term "
            "starts; they stay on record. Leave it unticked for a decree that adds or "
            "changes single officers."
        ),
    )

    class Meta:
        model = Decree
        fields = [
            "number",
            "issued_on",
            "issued_by",
            "subject",
            "term_start",
            "term_end",
            "scan",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            # Only a new decree replaces a board: an old one's board was replaced then.
            del self.fields["replaces_board"]


class OfficerForm(ScopedModelForm):
    class Meta:
        model = Officer
        fields = ["decree", "position", "portfolio", "name", "ex_officio", "term_start", "term_end"]


class LetterForm(ScopedModelForm):
    """A letter staff write outside the app (an invitation, an assignment): the
    register gives it the next number."""

    class Meta:
        model = Letter
        fields = ["kind", "date", "subject", "recipient"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class LetterUpdateForm(ScopedModelForm):
    class Meta:
        model = Letter
        fields = ["subject", "recipient"]


class LetterFilter(django_filters.FilterSet):
    """The register of one year (or all), of one kind, or by a word of its number,
    subject or addressee."""

    year = django_filters.NumberFilter(label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Letter.Kind.choices)
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = Letter
        fields = ["year", "kind"]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
        return form

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(subject__icontains=value) | Q(recipient__icontains=value)
        )

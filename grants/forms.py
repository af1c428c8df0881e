from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.forms import ScopedModelForm


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity labelled with its program and year: names repeat from year to year."""

    def label_from_instance(self, activity):
        return f"{activity.name} · {activity.program.code} ({activity.program.fiscal_year})"


class ActivityChoiceMixin:
    """The activity choices (already narrowed to the body) with their programs joined."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = field.queryset.select_related("program").order_by(
            "-program__fiscal_year", "program__code", "name", "pk"
        )


class FunderForm(ScopedModelForm):
    class Meta:
        model = Funder
        fields = ["name", "kind", "contact"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.body_id is None:
            self.instance.body = self.body

    def _get_validation_exclusions(self):
        # The body is not on the form but is part of the name's uniqueness, which must
        # be checked here to be shown on the name rather than fail in the service.
        exclusions = super()._get_validation_exclusions()
        exclusions.discard("body")
        return exclusions

    def validate_constraints(self):
        """A funder's one constraint is its name being unique in the body: show a
        violation on the name."""
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            errors = [item for items in error.error_dict.values() for item in items]
            self._update_errors(ValidationError({"name": errors}))


class GrantForm(ScopedModelForm):
    class Meta:
        model = Grant
        fields = [
            "funder",
            "fiscal_year",
            "name",
            "agreement_kind",
            "agreement_number",
            "agreement_date",
            "amount",
            "status",
            "lpj_due_on",
            "lpj_submitted_on",
            "held_at",
            "notes",
        ]
        help_texts = {
            "lpj_due_on": _("Left empty, a hibah APBD is due on 10 January of the next year."),
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class AllocationForm(ActivityChoiceMixin, ScopedModelForm):
    class Meta:
        model = Allocation
        fields = ["activity", "amount"]
        field_classes = {"activity": ActivityChoiceField}


class DisbursementForm(ScopedModelForm):
    class Meta:
        model = Disbursement
        fields = ["date", "amount", "reference", "notes"]


class ExpenditureForm(ActivityChoiceMixin, ScopedModelForm):
    class Meta:
        model = Expenditure
        fields = ["activity", "date", "amount", "description", "receipt_number", "receipt"]
        field_classes = {"activity": ActivityChoiceField}
        help_texts = {"activity": _("An activity that has an allocation from this grant.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipt"].help_text = _("PDF or image, at most %(limit)s.") % {
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }

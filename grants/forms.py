"""The forms of the grants pages. Every rule that needs the grant's other records lives
in grants.services; a form only narrows its choices to the grant it belongs to and
names its fields the way the funder's money names them (SP2D, STS or transfer)."""

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    LpjSubmission,
    RemainderReturn,
)
from lkks.forms import DateInput, ScopedModelForm

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ActivityChoiceField(forms.ModelChoiceField):
    """An activity labelled with its program and year: names repeat from year to year."""

    def label_from_instance(self, activity):
        return f"{activity.name} · {activity.program.code} ({activity.program.fiscal_year})"


class AllocationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, allocation):
        return ActivityChoiceField.label_from_instance(self, allocation.activity)


class ActivityChoiceMixin:
    """The activity choices (already narrowed to the body) with their programs joined."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["activity"]
        field.queryset = field.queryset.select_related("program").order_by(
            "-program__fiscal_year", "program__code", "name", "pk"
        )


class FunderForm(ScopedModelForm):
    unique_in_body = "name"

    class Meta:
        model = Funder
        fields = ["name", "kind", "contact"]


class GrantForm(ScopedModelForm):
    class Meta:
        model = Grant
        fields = [
            "funder",
            "fiscal_year",
            "name",
            "proposal_number",
            "proposal_date",
            "requested_amount",
            "amount",
            "lpj_due_on",
            "held_at",
            "outcome",
            "outcome_on",
            "outcome_note",
            "notes",
        ]
        help_texts = {
            "lpj_due_on": _("Left empty, a hibah APBD is due on 10 January of the next year."),
            "outcome": _("Only when the proposal was rejected or the grant cancelled."),
        }
        widgets = {"notes": TEXTAREA, "outcome_note": TEXTAREA}


class AgreementForm(ScopedModelForm):
    class Meta:
        model = Agreement
        fields = [
            "kind",
            "number",
            "signed_on",
            "purpose",
            "bank_name",
            "bank_account_number",
            "bank_account_holder",
            "grantor_signatory_name",
            "grantor_signatory_title",
            "grantor_signatory_nip",
            "recipient_signatory_name",
            "recipient_signatory_title",
            "scan",
        ]
        widgets = {"purpose": TEXTAREA}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signed_on"].required = True
        if self.instance.grant_id and not self.instance.kind:
            hibah = self.instance.grant.funder.kind == Funder.Kind.HIBAH_APBD
            self.initial["kind"] = Agreement.Kind.NPHD if hibah else Agreement.Kind.MOU
        self.fields["scan"].help_text = _("PDF or image, at most %(limit)s.") % {
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }


class BudgetLineForm(ScopedModelForm):
    class Meta:
        model = BudgetLine
        fields = ["item", "amount"]


class AllocationForm(ActivityChoiceMixin, ScopedModelForm):
    class Meta:
        model = Allocation
        fields = ["activity", "amount"]
        field_classes = {"activity": ActivityChoiceField}


class InstrumentMixin:
    """The reference is an SP2D or STS number for state money, a transfer reference
    for any other money: the label says which."""

    state_label = None
    other_label = _("transfer reference")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grant = self.instance.grant if self.instance.grant_id else None
        if grant is not None:
            state = grant.funder.is_state_money
            field = self.fields["reference"]
            field.label = capfirst(self.state_label if state else self.other_label)
            field.help_text = ""
            field.required = state or field.required


class DisbursementForm(InstrumentMixin, ScopedModelForm):
    state_label = _("SP2D number")

    class Meta:
        model = Disbursement
        fields = ["date", "amount", "reference", "notes"]


class RemainderReturnForm(InstrumentMixin, ScopedModelForm):
    state_label = _("STS number")

    class Meta:
        model = RemainderReturn
        fields = ["date", "amount", "reference", "notes"]


class ExpenditureForm(ScopedModelForm):
    """Spending from one of the grant's allocations, on one of its budget lines when
    the grant has a budget (RAB)."""

    class Meta:
        model = Expenditure
        fields = [
            "allocation",
            "budget_line",
            "date",
            "amount",
            "description",
            "receipt_number",
            "receipt",
        ]
        field_classes = {"allocation": AllocationChoiceField}
        labels = {"allocation": _("Activity")}
        help_texts = {"allocation": _("An activity that has an allocation from this grant.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        grant_id = self.instance.grant_id
        allocation = self.fields["allocation"]
        allocation.queryset = (
            allocation.queryset.filter(grant=grant_id)
            .select_related("activity__program")
            .order_by("activity__program__code", "activity__name", "pk")
        )
        lines = self.fields["budget_line"]
        lines.queryset = lines.queryset.filter(grant=grant_id).order_by("pk")
        if not lines.queryset.exists():
            del self.fields["budget_line"]
        self.fields["receipt"].help_text = _("PDF or image, at most %(limit)s.") % {
            "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)
        }


class LpjSubmissionForm(ScopedModelForm):
    class Meta:
        model = LpjSubmission
        fields = ["submitted_on", "letter_number", "received_by"]


class LpjReviewForm(ScopedModelForm):
    """The funder's review of a submitted LPJ: returned with a note, or accepted."""

    outcome = forms.ChoiceField(
        label=_("Review"),
        choices=[
            (LpjSubmission.Outcome.ACCEPTED, _("accepted")),
            (LpjSubmission.Outcome.RETURNED, _("returned for revision")),
        ],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = LpjSubmission
        fields = ["outcome", "decided_on", "review_note"]
        widgets = {"review_note": TEXTAREA, "decided_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decided_on"].required = True

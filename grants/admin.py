from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grants import services
from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.money import rupiah


class RuleCheckedForm(forms.ModelForm):
    """A ModelForm that also runs a money rule of ``grants.services``, so that the
    admin shows an overflow on the amount field instead of failing on save."""

    rule = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.rule is None:
            return
        try:
            self.rule(self.instance)
        except ValidationError as error:
            self._update_errors(error)


class AllocationForm(RuleCheckedForm):
    @staticmethod
    def rule(allocation):
        services.allocation_check(allocation=allocation, grant=allocation.grant)


class DisbursementForm(RuleCheckedForm):
    @staticmethod
    def rule(disbursement):
        services.disbursement_check(disbursement=disbursement, grant=disbursement.grant)


class ExpenditureForm(RuleCheckedForm):
    @staticmethod
    def rule(expenditure):
        services.expenditure_check(expenditure=expenditure, grant=expenditure.grant)


class GrantForm(RuleCheckedForm):
    @staticmethod
    def rule(grant):
        services.grant_check(grant=grant)


class AmountWithinGrantFormSet(forms.BaseInlineFormSet):
    """Allocations or disbursements edited together under their grant must together
    stay within the grant's amount."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        for form in kept:
            activity = form.cleaned_data.get("activity")
            if activity is not None and activity.program.body_id != self.instance.funder.body_id:
                form.add_error("activity", _("The activity belongs to another body."))
        if any(self.errors):
            return
        total = sum(form.cleaned_data.get("amount") or 0 for form in kept)
        excess = total - (self.instance.amount or 0)
        if excess > 0:
            raise ValidationError(
                _("Together these exceed the grant by %(excess)s.") % {"excess": rupiah(excess)},
                code="overflow",
            )


class AllocationInline(admin.TabularInline):
    model = Allocation
    formset = AmountWithinGrantFormSet
    extra = 0
    autocomplete_fields = ["activity"]


class DisbursementInline(admin.TabularInline):
    model = Disbursement
    formset = AmountWithinGrantFormSet
    extra = 0


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "body"]
    list_filter = ["kind", "body"]
    list_select_related = ["body"]
    search_fields = ["name", "contact"]
    autocomplete_fields = ["body"]


@admin.register(Grant)
class GrantAdmin(SimpleHistoryAdmin):
    form = GrantForm
    list_display = [
        "name",
        "funder",
        "fiscal_year",
        "status",
        "amount_display",
        "allocated_display",
        "disbursed_display",
        "spent_display",
        "lpj_due_on",
    ]
    list_filter = ["fiscal_year", "status", "funder__kind", "funder__body"]
    list_select_related = ["funder__body"]
    search_fields = ["name", "agreement_number", "funder__name"]
    autocomplete_fields = ["funder"]
    date_hierarchy = "agreement_date"
    inlines = [AllocationInline, DisbursementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_totals()

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)

    @admin.display(description=_("allocated"), ordering="allocated")
    def allocated_display(self, obj):
        return rupiah(obj.allocated)

    @admin.display(description=_("disbursed"), ordering="disbursed")
    def disbursed_display(self, obj):
        return rupiah(obj.disbursed)

    @admin.display(description=_("spent"), ordering="spent")
    def spent_display(self, obj):
        return rupiah(obj.spent)

    def save_model(self, request, obj, form, change):
        services.grant_save(grant=obj)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        # The formsets were checked as a whole before the lock; check the stored sums
        # again under it, so that a save racing this one cannot slip past.
        grant = Grant.objects.select_for_update().get(pk=form.instance.pk)
        super().save_related(request, form, formsets, change)
        services.grant_check_totals(grant=grant)


class GrantRecordAdmin(SimpleHistoryAdmin):
    # Large tables (a national deployment has ~400,000 expenditures): newest first by
    # the primary key's index, and no second COUNT(*) for "show all".
    ordering = ["-pk"]
    show_full_result_count = False
    list_select_related = ["grant__funder__body"]
    autocomplete_fields = ["grant"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)


@admin.register(Allocation)
class AllocationAdmin(GrantRecordAdmin):
    form = AllocationForm
    list_display = ["grant", "activity", "amount_display"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    list_select_related = ["grant__funder__body", "activity"]
    search_fields = ["grant__name", "activity__name"]
    autocomplete_fields = ["grant", "activity"]

    def save_model(self, request, obj, form, change):
        services.allocation_save(allocation=obj)


@admin.register(Disbursement)
class DisbursementAdmin(GrantRecordAdmin):
    form = DisbursementForm
    list_display = ["grant", "date", "amount_display", "reference"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    search_fields = ["grant__name", "reference", "notes"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.disbursement_save(disbursement=obj)


@admin.register(Expenditure)
class ExpenditureAdmin(GrantRecordAdmin):
    form = ExpenditureForm
    list_display = ["description", "grant", "activity", "date", "amount_display", "receipt_number"]
    # A date filter rather than a date hierarchy: the hierarchy reads every row.
    list_filter = ["date", "grant__fiscal_year", "grant__funder__kind", "grant__funder__body"]
    list_select_related = ["grant__funder__body", "activity"]
    search_fields = ["description", "receipt_number", "grant__name", "activity__name"]
    autocomplete_fields = ["grant", "activity"]

    def save_model(self, request, obj, form, change):
        services.expenditure_save(expenditure=obj)

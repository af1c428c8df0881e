"""The admin of funders, grants and their records, held to the rules of grants.services
on every path: the change form and the inlines show a refusal on the field it concerns,
the delete page and the "delete selected" action list it as what protects the record,
and every save and delete goes through a service. Each POST locks the grants concerned
first, so that what the form checked still holds when it is saved."""

from django import forms
from django.contrib import admin
from django.contrib.admin.actions import delete_selected as django_delete_selected
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grants import services
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
from lkks.admin import year_column
from lkks.money import rupiah


class RuleCheckedForm(forms.ModelForm):
    """A ModelForm that also runs a rule of ``grants.services`` (``rule(instance)``), so
    that the admin shows a refusal on its field instead of failing on save."""

    rule = None

    def _post_clean(self):
        super()._post_clean()
        if self.errors or self.rule is None:
            return
        try:
            self.rule(self.instance)
        except ValidationError as error:
            self._update_errors(error)


def ruled(check, *, name):
    """A RuleCheckedForm whose rule is ``check(<name>=record, grant=record.grant)``."""

    def rule(record):
        check(**{name: record, "grant": record.grant})

    return type("RuleForm", (RuleCheckedForm,), {"rule": staticmethod(rule)})


class GrantForm(RuleCheckedForm):
    @staticmethod
    def rule(grant):
        services.grant_check(grant=grant)


class WithinGrantFormSet(forms.BaseInlineFormSet):
    """Rows edited together under their grant: together within the grant's amount,
    each kept row keeping what was spent from it, each deleted row one nothing was
    spent from (``delete_check``)."""

    delete_check = None
    keep_check = None
    label = None

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        grant = self.instance
        kept, refusals = [], []
        for form in self.forms:
            if not form.cleaned_data:
                continue
            deleted = form.cleaned_data.get("DELETE")
            if not deleted:
                kept.append(form)
            if not form.has_changed() and not deleted:
                continue
            try:
                if not deleted:
                    self.keep_check(form.instance, grant)
                elif form.instance.pk:
                    self.delete_check(form.instance, grant)
            except ValidationError as error:
                if deleted:
                    # A deleted row's own errors are not shown: say it for the formset.
                    refusals.extend(f"{form.instance}: {message}" for message in error.messages)
                else:
                    form.add_error(None, error)
        if refusals:
            raise ValidationError(refusals, code="protected")
        if any(self.errors):
            return
        total = sum(form.cleaned_data.get("amount") or 0 for form in kept)
        excess = total - (grant.amount or 0)
        if excess > 0:
            raise ValidationError(
                _("Together these %(what)s exceed the grant by %(excess)s.")
                % {"what": self.label, "excess": rupiah(excess)},
                code="overflow",
            )


class SaysWhyInline(admin.TabularInline):
    """An inline whose formset says why a row stays (``WithinGrantFormSet``), with its
    figures, in place of Django's list of the protected records."""

    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.form.hand_clean_DELETE = lambda form: None
        return formset


def _allocation_kept(allocation, grant):
    services.allocation_keep_check(allocation=allocation, grant=grant)


def _allocation_deleted(allocation, grant):
    services.allocation_delete_check(allocation=allocation, grant=grant)


def _line_kept(line, grant):
    services.budget_line_keep_check(budget_line=line, grant=grant)


def _line_deleted(line, grant):
    services.budget_line_delete_check(budget_line=line, grant=grant)


class AllocationFormSet(WithinGrantFormSet):
    label = _("allocations")
    keep_check = staticmethod(_allocation_kept)
    delete_check = staticmethod(_allocation_deleted)


class BudgetLineFormSet(WithinGrantFormSet):
    label = _("budget lines")
    keep_check = staticmethod(_line_kept)
    delete_check = staticmethod(_line_deleted)


class AllocationInline(SaysWhyInline):
    model = Allocation
    formset = AllocationFormSet
    autocomplete_fields = ["activity"]


class BudgetLineInline(SaysWhyInline):
    model = BudgetLine
    formset = BudgetLineFormSet


class LockingAdmin(SimpleHistoryAdmin):
    """Saves and deletes through ``grants.services`` under the lock of the grants
    concerned. ``save_service(record)``, ``delete_service(record)`` and
    ``delete_check(record)`` name the services; ``grant_path`` the lookup from the
    record to its grant's key."""

    grant_path = "grant_id"
    save_service = None
    delete_service = None
    delete_check = None

    def grant_ids(self, request, object_id):
        """The grants a POST may change: the record's own and the one posted."""
        ids = set()
        if object_id is not None:
            ids.update(
                self.model.objects.filter(pk=object_id).values_list(self.grant_path, flat=True)
            )
        posted = request.POST.get(self.grant_path.removesuffix("_id").replace("__", "."))
        if posted and posted.isdigit():
            ids.add(int(posted))
        return ids

    def _changeform_view(self, request, object_id, form_url, extra_context):
        # Only the grants: every money write locks them first (grants.services.ledger).
        if request.method == "POST":
            services.lock_grants(*self.grant_ids(request, object_id))
        return super()._changeform_view(request, object_id, form_url, extra_context)

    def _delete_view(self, request, object_id, extra_context):
        if request.method == "POST" and str(object_id).isdigit():
            services.lock_grants(*self.grant_ids(request, object_id))
        return super()._delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if self.delete_check is not None:
            for record in objs:
                try:
                    type(self).delete_check(record)
                except ValidationError as error:
                    protected.extend(f"{record}: {message}" for message in error.messages)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        type(self).save_service(obj)

    def delete_model(self, request, obj):
        type(self).delete_service(obj)

    def delete_queryset(self, request, queryset):
        for record in queryset:
            type(self).delete_service(record)

    @admin.action(permissions=["delete"], description=django_delete_selected.short_description)
    def delete_selected(self, request, queryset):
        """Django's action, run under the lock of the grants of the selected rows."""
        with transaction.atomic():
            services.lock_grants(*queryset.values_list(self.grant_path, flat=True))
            return django_delete_selected(self, request, queryset)

    actions = ["delete_selected"]


@admin.register(Funder)
class FunderAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "body"]
    list_filter = ["kind", "body"]
    list_select_related = ["body"]
    search_fields = ["name", "contact"]
    autocomplete_fields = ["body"]


@admin.register(Grant)
class GrantAdmin(LockingAdmin):
    form = GrantForm
    grant_path = "pk"
    list_display = [
        "name",
        "funder",
        year_column("fiscal_year", _("fiscal year")),
        "stage_display",
        "amount_display",
        "allocated_display",
        "disbursed_display",
        "spent_display",
        "cash_held_display",
        "lpj_due_on",
    ]
    list_filter = ["fiscal_year", "outcome", "funder__kind", "funder__body"]
    list_select_related = ["funder__body"]
    search_fields = ["name", "proposal_number", "agreement__number", "funder__name"]
    autocomplete_fields = ["funder"]
    inlines = [BudgetLineInline, AllocationInline]
    save_service = staticmethod(lambda grant: services.grant_save(grant=grant))
    delete_service = staticmethod(lambda grant: grant.delete())

    def get_queryset(self, request):
        return super().get_queryset(request).with_stage()

    def grant_ids(self, request, object_id):
        return {int(object_id)} if object_id is not None and str(object_id).isdigit() else set()

    @admin.display(description=_("stage"))
    def stage_display(self, obj):
        return obj.get_stage_display()

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

    @admin.display(description=_("cash held"), ordering="cash_held")
    def cash_held_display(self, obj):
        return rupiah(obj.cash_held)

    @transaction.atomic
    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # The inline rows were checked together under the grant's lock; the stored
        # whole must say the same.
        services.grant_audit(grant=form.instance)


class GrantRecordAdmin(LockingAdmin):
    # Large tables (a national deployment has ~400,000 expenditures): newest first by
    # the primary key's index, and no second COUNT(*) for "show all".
    ordering = ["-pk"]
    show_full_result_count = False
    list_select_related = ["grant__funder__body"]
    autocomplete_fields = ["grant"]

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return rupiah(obj.amount)


@admin.register(Agreement)
class AgreementAdmin(GrantRecordAdmin):
    form = ruled(services.agreement_check, name="agreement")
    list_display = ["number", "kind", "grant", "signed_on"]
    list_filter = ["kind", "grant__funder__body"]
    search_fields = ["number", "grant__name"]
    save_service = staticmethod(lambda record: services.agreement_save(agreement=record))
    delete_service = staticmethod(lambda record: services.agreement_delete(agreement=record))
    delete_check = staticmethod(
        lambda record: services.agreement_delete_check(agreement=record, grant=record.grant)
    )


@admin.register(BudgetLine)
class BudgetLineAdmin(GrantRecordAdmin):
    form = ruled(services.budget_line_check, name="budget_line")
    list_display = ["item", "grant", "amount_display"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    search_fields = ["item", "grant__name"]
    save_service = staticmethod(lambda record: services.budget_line_save(budget_line=record))
    delete_service = staticmethod(lambda record: services.budget_line_delete(budget_line=record))
    delete_check = staticmethod(
        lambda record: services.budget_line_delete_check(budget_line=record, grant=record.grant)
    )


@admin.register(Allocation)
class AllocationAdmin(GrantRecordAdmin):
    form = ruled(services.allocation_check, name="allocation")
    list_display = ["grant", "activity", "amount_display"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    list_select_related = ["grant__funder__body", "activity"]
    search_fields = ["grant__name", "activity__name"]
    autocomplete_fields = ["grant", "activity"]
    save_service = staticmethod(lambda record: services.allocation_save(allocation=record))
    delete_service = staticmethod(lambda record: services.allocation_delete(allocation=record))
    delete_check = staticmethod(
        lambda record: services.allocation_delete_check(allocation=record, grant=record.grant)
    )


@admin.register(Disbursement)
class DisbursementAdmin(GrantRecordAdmin):
    form = ruled(services.disbursement_check, name="disbursement")
    list_display = ["grant", "date", "amount_display", "reference"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    search_fields = ["grant__name", "reference", "notes"]
    date_hierarchy = "date"
    save_service = staticmethod(lambda record: services.disbursement_save(disbursement=record))
    delete_service = staticmethod(lambda record: services.disbursement_delete(disbursement=record))
    delete_check = staticmethod(
        lambda record: services.disbursement_delete_check(disbursement=record, grant=record.grant)
    )


@admin.register(Expenditure)
class ExpenditureAdmin(GrantRecordAdmin):
    form = ruled(services.expenditure_check, name="expenditure")
    list_display = ["description", "grant", "activity", "date", "amount_display", "receipt_number"]
    # A date filter rather than a date hierarchy: the hierarchy reads every row.
    list_filter = ["date", "grant__fiscal_year", "grant__funder__kind", "grant__funder__body"]
    list_select_related = ["grant__funder__body", "activity"]
    search_fields = ["description", "receipt_number", "grant__name", "activity__name"]
    autocomplete_fields = ["allocation", "budget_line"]
    save_service = staticmethod(lambda record: services.expenditure_save(expenditure=record))
    delete_service = staticmethod(lambda record: services.expenditure_delete(expenditure=record))
    delete_check = staticmethod(
        lambda record: services.expenditure_delete_check(expenditure=record, grant=record.grant)
    )

    def grant_ids(self, request, object_id):
        ids = set()
        if object_id is not None and str(object_id).isdigit():
            ids.update(Expenditure.objects.filter(pk=object_id).values_list("grant", flat=True))
        posted = request.POST.get("allocation")
        if posted and posted.isdigit():
            ids.update(Allocation.objects.filter(pk=posted).values_list("grant", flat=True))
        return ids


@admin.register(RemainderReturn)
class RemainderReturnAdmin(GrantRecordAdmin):
    form = ruled(services.return_check, name="remainder_return")
    list_display = ["grant", "date", "amount_display", "reference"]
    list_filter = ["grant__fiscal_year", "grant__funder__body"]
    search_fields = ["grant__name", "reference"]
    save_service = staticmethod(lambda record: services.return_save(remainder_return=record))
    delete_service = staticmethod(lambda record: services.return_delete(remainder_return=record))


def _save_lpj(submission):
    """A new submission is submitted; a pending one changed to a review outcome is
    reviewed; otherwise its details are corrected."""
    if submission.pk is None:
        return services.lpj_submit(submission=submission)
    stored = LpjSubmission.objects.get(pk=submission.pk)
    if stored.is_pending and not submission.is_pending:
        return services.lpj_review(
            submission=submission,
            outcome=submission.outcome,
            decided_on=submission.decided_on,
            note=submission.review_note,
        )
    return services.lpj_submission_save(submission=submission)


class LpjSubmissionForm(RuleCheckedForm):
    @staticmethod
    def rule(submission):
        stored = LpjSubmission.objects.filter(pk=submission.pk).first()
        if stored is not None and not stored.is_pending:
            raise ValidationError(
                _("A reviewed LPJ submission stays as it was reviewed."), code="reviewed"
            )
        if submission.is_pending:
            services.lpj_check(submission=submission, grant=submission.grant)


@admin.register(LpjSubmission)
class LpjSubmissionAdmin(GrantRecordAdmin):
    form = LpjSubmissionForm
    list_display = ["grant", "submitted_on", "letter_number", "outcome", "decided_on"]
    list_filter = ["outcome", "grant__fiscal_year", "grant__funder__body"]
    search_fields = ["grant__name", "letter_number", "received_by"]
    save_service = staticmethod(_save_lpj)
    delete_service = staticmethod(lambda record: services.lpj_submission_delete(submission=record))
    delete_check = staticmethod(
        lambda record: services.lpj_submission_delete_check(submission=record)
    )

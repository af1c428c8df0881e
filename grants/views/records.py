"""The records of a grant, each added, changed and deleted from the grant's page and
leading back to it: its agreement and budget lines, allocations, disbursements,
expenditures, returns of the remainder, and the LPJ's submissions and review.

Each kind is one ``GrantRecordPage`` naming its model, form and services; ``views()``
gives its create, update and delete views. Every write goes through grants.services,
whose refusals appear on the form field they concern.
"""

from django.contrib import messages
from django.forms import Form
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from grants import services
from grants.forms import (
    AgreementForm,
    AllocationForm,
    BudgetLineForm,
    DisbursementForm,
    ExpenditureForm,
    LpjReviewForm,
    LpjSubmissionForm,
    RemainderReturnForm,
)
from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Grant,
    LpjSubmission,
    RemainderReturn,
)
from grants.views.grants import GRANTS
from lkks.generic import ChildCreateView, RecordDeleteView, RecordUpdateView


class GrantRecordPage:
    """The pages of one kind of a grant's records."""

    model = None
    form_class = None
    select_related = ("grant__funder",)

    @property
    def grant(self):
        return self.parent if hasattr(self, "parent") else self.object.grant

    def get_success_url(self):
        return self.grant.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.grant.get_absolute_url()
        return context

    def get_breadcrumbs(self):
        label = self.object if getattr(self, "object", None) else _("New")
        return [GRANTS, (self.grant, self.grant.get_absolute_url()), (label, None)]

    def save(self, form):
        raise NotImplementedError

    def delete_check(self):
        """The service's check of a deletion, run when the page opens, so that a refusal
        is said before the user confirms."""

    def delete_record(self):
        raise NotImplementedError

    @classmethod
    def views(cls):
        """The create, update and delete views of this kind of record."""
        name = cls.model.__name__
        return (
            type(f"{name}CreateView", (cls, ChildCreateView), {"parent_model": Grant}),
            type(f"{name}UpdateView", (cls, RecordUpdateView), {}),
            # A deletion is confirmed by an empty form, not the record's.
            type(f"{name}DeleteView", (cls, GrantRecordDeleteView), {"form_class": Form}),
        )


class GrantRecordDeleteView(RecordDeleteView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        try:
            self.delete_check()
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return response


class AgreementPage(GrantRecordPage):
    model = Agreement
    form_class = AgreementForm
    parent_field = "grant"

    def get(self, request, *args, **kwargs):
        return self._existing() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self._existing() or super().post(request, *args, **kwargs)

    def _existing(self):
        """A grant has one agreement: its "new agreement" page leads to that one."""
        parent = getattr(self, "parent", None)
        agreement = Agreement.objects.filter(grant=parent).first() if parent else None
        if agreement is not None:
            return HttpResponseRedirect(reverse("grants:agreement-update", args=[agreement.pk]))
        return None

    def save(self, form):
        return services.agreement_save(agreement=form.instance)

    def delete_check(self):
        services.agreement_delete_check(agreement=self.object, grant=self.object.grant)

    def delete_record(self):
        services.agreement_delete(agreement=self.object)


class BudgetLinePage(GrantRecordPage):
    model = BudgetLine
    form_class = BudgetLineForm
    parent_field = "grant"

    def save(self, form):
        return services.budget_line_save(budget_line=form.instance)

    def delete_check(self):
        services.budget_line_delete_check(budget_line=self.object, grant=self.object.grant)

    def delete_record(self):
        services.budget_line_delete(budget_line=self.object)


class AllocationPage(GrantRecordPage):
    model = Allocation
    form_class = AllocationForm
    parent_field = "grant"

    def save(self, form):
        return services.allocation_save(allocation=form.instance)

    def delete_check(self):
        services.allocation_delete_check(allocation=self.object, grant=self.object.grant)

    def delete_record(self):
        services.allocation_delete(allocation=self.object)


class DisbursementPage(GrantRecordPage):
    model = Disbursement
    form_class = DisbursementForm
    parent_field = "grant"

    def save(self, form):
        return services.disbursement_save(disbursement=form.instance)

    def delete_check(self):
        services.disbursement_delete_check(disbursement=self.object, grant=self.object.grant)

    def delete_record(self):
        services.disbursement_delete(disbursement=self.object)


class ExpenditurePage(GrantRecordPage):
    model = Expenditure
    form_class = ExpenditureForm
    parent_field = "grant"

    def save(self, form):
        return services.expenditure_save(expenditure=form.instance)

    def delete_check(self):
        services.expenditure_delete_check(expenditure=self.object, grant=self.object.grant)

    def delete_record(self):
        services.expenditure_delete(expenditure=self.object)


class RemainderReturnPage(GrantRecordPage):
    model = RemainderReturn
    form_class = RemainderReturnForm
    parent_field = "grant"

    def save(self, form):
        return services.return_save(remainder_return=form.instance)

    def delete_record(self):
        services.return_delete(remainder_return=self.object)


class LpjSubmissionPage(GrantRecordPage):
    model = LpjSubmission
    form_class = LpjSubmissionForm
    parent_field = "grant"

    def save(self, form):
        if form.instance.pk is None:
            return services.lpj_submit(submission=form.instance, by=self.request.user)
        return services.lpj_submission_save(submission=form.instance)

    def delete_record(self):
        services.lpj_submission_delete(submission=self.object)


class LpjReviewView(GrantRecordPage, RecordUpdateView):
    """The funder's review of a submitted LPJ, recorded by the body's staff."""

    model = LpjSubmission
    form_class = LpjReviewForm

    def save(self, form):
        return services.lpj_review(
            submission=form.instance,
            outcome=form.cleaned_data["outcome"],
            decided_on=form.cleaned_data["decided_on"],
            note=form.cleaned_data["review_note"],
        )

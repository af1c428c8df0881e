"""The records of a grant, each added, changed and deleted from the grant's page and
leading back to it: its agreement and budget lines, allocations, disbursements,
expenditures, returns of the remainder, and the LPJ's submissions and review.

Each kind is declared once with ``lkks.generic.record_views`` (its model, its form and
the service that saves it); the service that deletes it and the check a deletion must
pass are named in ``DELETION``. Every write goes through grants.services, whose
refusals appear on the form field they concern.
"""

import inspect

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
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
from lkks.generic import ChildCreateView, RecordDeleteView, RecordUpdateView, record_views

# model → (the check a deletion must pass, run when the page opens; the service that
# deletes). Both take the record by its name, as the services do.
DELETION = {
    Agreement: (services.agreement_delete_check, services.agreement_delete),
    BudgetLine: (services.budget_line_delete_check, services.budget_line_delete),
    Allocation: (services.allocation_delete_check, services.allocation_delete),
    Disbursement: (services.disbursement_delete_check, services.disbursement_delete),
    Expenditure: (services.expenditure_delete_check, services.expenditure_delete),
    RemainderReturn: (None, services.return_delete),
    LpjSubmission: (services.lpj_submission_delete_check, services.lpj_submission_delete),
}


def with_record(service, record, **more):
    """Call a service with ``record`` as its first keyword (``allocation=…``)."""
    return service(**{next(iter(inspect.signature(service).parameters)): record}, **more)


class GrantRecordMixin:
    """Pages of a record of a grant: the user comes from the grant and returns to it."""

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

    def form_valid(self, form):
        # The grant's lock first, as every money write takes it (grants.services.ledger):
        # the update view would otherwise lock the record's row before it.
        with transaction.atomic():
            services.lock_grants(self.grant.pk)
            return super().form_valid(form)


class GrantRecordCreateView(GrantRecordMixin, ChildCreateView):
    parent_model = Grant
    parent_field = "grant"

    def get(self, request, *args, **kwargs):
        existing = self._only_one()
        return HttpResponseRedirect(existing) if existing else super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        existing = self._only_one()
        return (
            HttpResponseRedirect(existing) if existing else super().post(request, *args, **kwargs)
        )

    def _only_one(self):
        """A record a grant has once (its agreement): the page of the one it has."""
        parent = getattr(self, "parent", None)
        if parent is None or not self.model._meta.get_field("grant").one_to_one:
            return None
        existing = self.model.objects.filter(grant=parent).first()
        if existing is None:
            return None
        return reverse(f"grants:{self.model._meta.model_name}-update", args=[existing.pk])


class GrantRecordUpdateView(GrantRecordMixin, RecordUpdateView):
    pass


class GrantRecordDeleteView(GrantRecordMixin, RecordDeleteView):
    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        check = DELETION[self.model][0]
        try:
            if check is not None:
                with_record(check, self.object, **self._grant_if_asked(check))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return response

    def _grant_if_asked(self, check):
        asks = "grant" in inspect.signature(check).parameters
        return {"grant": self.object.grant} if asks else {}

    def delete_record(self):
        with_record(DELETION[self.model][1], self.object)


GRANT_RECORD_VIEWS = (GrantRecordCreateView, GrantRecordUpdateView, GrantRecordDeleteView)

AGREEMENT = record_views(GRANT_RECORD_VIEWS, Agreement, AgreementForm, services.agreement_save)
BUDGET_LINE = record_views(
    GRANT_RECORD_VIEWS, BudgetLine, BudgetLineForm, services.budget_line_save
)
ALLOCATION = record_views(GRANT_RECORD_VIEWS, Allocation, AllocationForm, services.allocation_save)
DISBURSEMENT = record_views(
    GRANT_RECORD_VIEWS, Disbursement, DisbursementForm, services.disbursement_save
)
EXPENDITURE = record_views(
    GRANT_RECORD_VIEWS, Expenditure, ExpenditureForm, services.expenditure_save
)
REMAINDER_RETURN = record_views(
    GRANT_RECORD_VIEWS, RemainderReturn, RemainderReturnForm, services.return_save
)


def _submit_lpj(view, form):
    """A new submission is submitted, its cover letter issued by the user."""
    return services.lpj_submit(submission=form.instance, by=view.request.user)


LPJ_SUBMISSION = record_views(
    GRANT_RECORD_VIEWS,
    LpjSubmission,
    LpjSubmissionForm,
    services.lpj_submission_save,
    save=_submit_lpj,
)


class LpjReviewView(GrantRecordUpdateView):
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

"""The funders, the grants with their whole cycle on one page, and the list of all
spending."""

from django.db.models import Prefetch
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import services
from grants.filters import ExpenditureFilter, FunderFilter, GrantFilter
from grants.forms import FunderForm, GrantForm
from grants.models import Allocation, BudgetLine, Expenditure, Funder, Grant, Stage
from lkks.exports import Column, ListExportMixin, field_column
from lkks.generic import (
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
)

GRANTS = (_("Grants"), reverse_lazy("grants:grant-list"))
MONEY_OPEN = (Stage.PROPOSED, Stage.APPROVED, Stage.DISBURSED, Stage.LPJ_RETURNED)
FUNDERS = (_("Funders"), reverse_lazy("grants:funder-list"))


# Funders


class FunderListView(RecordListView):
    model = Funder
    filterset_class = FunderFilter

    def get_breadcrumbs(self):
        return [GRANTS, (FUNDERS[0], None)]


class FunderExportView(ListExportMixin, FunderListView):
    export_name = "funders"
    export_columns = [
        field_column(Funder, "name"),
        field_column(Funder, "kind"),
        field_column(Funder, "contact"),
    ]


class FunderFormMixin:
    model = Funder
    form_class = FunderForm
    success_url = reverse_lazy("grants:funder-list")

    save_service = services.funder_save

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.success_url
        return context


class FunderCreateView(FunderFormMixin, RecordCreateView):
    def get_breadcrumbs(self):
        return [GRANTS, FUNDERS, (_("New"), None)]


class FunderUpdateView(FunderFormMixin, RecordUpdateView):
    def get_breadcrumbs(self):
        return [GRANTS, FUNDERS, (self.object, None)]


class FunderDeleteView(RecordDeleteView):
    model = Funder
    success_url = reverse_lazy("grants:funder-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.success_url
        return context

    def get_breadcrumbs(self):
        return [GRANTS, FUNDERS, (self.object, None)]


# Grants


class GrantListView(RecordListView):
    model = Grant
    filterset_class = GrantFilter
    select_related = ("funder",)
    sum_fields = ("amount", "allocated", "disbursed", "spent", "cash_held")

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .with_stage()
            .with_lpj_overdue(timezone.localdate())
            .order_by("-fiscal_year", "funder__name", "name", "pk")
        )

    def get_breadcrumbs(self):
        return [(GRANTS[0], None)]


class GrantExportView(ListExportMixin, GrantListView):
    export_name = "grants"
    export_columns = [
        field_column(Grant, "fiscal_year"),
        field_column(Grant, "name"),
        field_column(Grant, "funder"),
        field_column(Grant, "funder__kind", _("Funder kind")),
        Column(_("Agreement number"), lambda grant: grant.agreement_number or ""),
        Column(_("Agreement date"), lambda grant: grant.agreement_signed_on),
        field_column(Grant, "requested_amount"),
        field_column(Grant, "amount"),
        Column(_("Allocated"), lambda grant: grant.allocated),
        Column(_("Disbursed"), lambda grant: grant.disbursed),
        Column(_("Spent"), lambda grant: grant.spent),
        Column(_("Remaining"), lambda grant: grant.remaining),
        Column(_("Returned"), lambda grant: grant.returned),
        Column(_("Cash held"), lambda grant: grant.cash_held),
        Column(_("Stage"), lambda grant: grant.get_stage_display()),
        field_column(Grant, "lpj_due_on"),
        # NULL without a due date: not overdue.
        Column(_("LPJ overdue"), lambda grant: bool(grant.lpj_is_overdue)),
        field_column(Grant, "held_at"),
    ]

    def get_queryset(self):
        return super().get_queryset().with_agreement()


class GrantDetailView(RecordDetailView):
    """The grant's whole cycle on one page: proposal, agreement and budget, money in and
    out, the LPJ and the return of what is left."""

    model = Grant
    select_related = ("funder__body", "agreement")
    prefetch_related = (
        Prefetch("budget_lines", queryset=BudgetLine.objects.with_spent().order_by("pk")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.with_spent()
            .select_related("activity__program")
            .order_by("activity__program__code", "activity__name", "pk"),
        ),
        Prefetch("disbursements"),
        Prefetch(
            "expenditures",
            queryset=Expenditure.objects.select_related("activity", "budget_line").order_by(
                "date", "pk"
            ),
        ),
        Prefetch("returns"),
        Prefetch("lpj_submissions"),
    )

    def get_queryset(self):
        return super().get_queryset().with_stage().with_lpj_overdue(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        grant = self.object
        submissions = list(grant.lpj_submissions.all())
        lines = list(grant.budget_lines.all())
        context.update(
            agreement=getattr(grant, "agreement", None),
            budgeted=sum((line.amount for line in lines), 0),
            can_submit_lpj=grant.stage in (Stage.DISBURSED, Stage.LPJ_RETURNED),
            # Its money stands still under a standing LPJ or once ended (the services
            # refuse it): the page offers no change of it then.
            money_open=context["can_edit"] and grant.stage in MONEY_OPEN,
            can_return=grant.cash_held > 0,
            lpj_date=submissions[-1].submitted_on if submissions else timezone.localdate(),
        )
        return context

    def get_breadcrumbs(self):
        return [GRANTS, (self.object, None)]


class GrantFormMixin:
    model = Grant
    form_class = GrantForm
    save_service = services.grant_save


class GrantCreateView(GrantFormMixin, RecordCreateView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("grants:grant-list")
        return context

    def get_breadcrumbs(self):
        return [GRANTS, (_("New"), None)]


class GrantUpdateView(GrantFormMixin, RecordUpdateView):
    select_related = ("funder",)

    def get_breadcrumbs(self):
        return [GRANTS, (self.object, self.object.get_absolute_url()), (_("Edit"), None)]


class GrantDeleteView(RecordDeleteView):
    model = Grant
    success_url = reverse_lazy("grants:grant-list")

    def get_breadcrumbs(self):
        return [GRANTS, (self.object, self.object.get_absolute_url()), (_("Delete"), None)]


# All spending


class ExpenditureListView(RecordListView):
    model = Expenditure
    filterset_class = ExpenditureFilter
    select_related = ("grant__funder", "activity")
    sum_fields = ("amount",)

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "-pk")

    def get_breadcrumbs(self):
        return [GRANTS, (_("Expenditures"), None)]


class ExpenditureExportView(ListExportMixin, ExpenditureListView):
    export_name = "expenditures"
    export_columns = [
        field_column(Expenditure, "date"),
        field_column(Expenditure, "grant"),
        field_column(Expenditure, "grant__funder", _("Funder")),
        field_column(Expenditure, "activity"),
        field_column(Expenditure, "description"),
        field_column(Expenditure, "receipt_number"),
        field_column(Expenditure, "amount"),
        field_column(Expenditure, "budget_line"),
    ]

    def get_queryset(self):
        return super().get_queryset().select_related("budget_line")

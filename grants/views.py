"""The grants pages: funders, grants with their allocations, disbursements and
expenditures, and the list of all spending. Every write goes through grants.services,
whose refusals appear on the form field they concern."""

from django.db.models import Prefetch, Sum
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from grants import services
from grants.filters import ExpenditureFilter, FunderFilter, GrantFilter
from grants.forms import (
    AllocationForm,
    DisbursementForm,
    ExpenditureForm,
    FunderForm,
    GrantForm,
)
from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.exports import Column, ListExportMixin, field_column
from lkks.generic import (
    ChildCreateView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
)

GRANTS = (_("Grants"), reverse_lazy("grants:grant-list"))
FUNDERS = (_("Funders"), reverse_lazy("grants:funder-list"))


def totals(queryset, *fields):
    """The sums of ``fields`` over the whole (filtered) list, not only its page."""
    # The sums get aliases of their own: one named like an annotation would replace it.
    sums = queryset.order_by().aggregate(**{f"sum_{field}": Sum(field) for field in fields})
    return {field: sums[f"sum_{field}"] or 0 for field in fields}


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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.success_url
        return context

    def save(self, form):
        return services.funder_save(funder=form.instance)


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

    def get_queryset(self):
        return super().get_queryset().with_totals().with_lpj_overdue(timezone.localdate())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = totals(
            self.object_list, "amount", "allocated", "disbursed", "spent", "remaining"
        )
        return context

    def get_breadcrumbs(self):
        return [(GRANTS[0], None)]


class GrantExportView(ListExportMixin, GrantListView):
    export_name = "grants"
    export_columns = [
        field_column(Grant, "fiscal_year"),
        field_column(Grant, "name"),
        field_column(Grant, "funder"),
        field_column(Grant, "funder__kind", _("Funder kind")),
        field_column(Grant, "agreement_kind"),
        field_column(Grant, "agreement_number"),
        field_column(Grant, "agreement_date"),
        field_column(Grant, "amount"),
        Column(_("Allocated"), lambda grant: grant.allocated),
        Column(_("Disbursed"), lambda grant: grant.disbursed),
        Column(_("Spent"), lambda grant: grant.spent),
        Column(_("Remaining"), lambda grant: grant.remaining),
        field_column(Grant, "status"),
        field_column(Grant, "lpj_due_on"),
        field_column(Grant, "lpj_submitted_on"),
        # NULL without a due date: not overdue.
        Column(_("LPJ overdue"), lambda grant: bool(grant.lpj_is_overdue)),
        field_column(Grant, "held_at"),
    ]


class GrantDetailView(RecordDetailView):
    model = Grant
    select_related = ("funder",)
    prefetch_related = (
        Prefetch(
            "allocations",
            queryset=Allocation.objects.with_spent().select_related("activity__program"),
        ),
        "disbursements",
        Prefetch("expenditures", queryset=Expenditure.objects.select_related("activity")),
    )

    def get_queryset(self):
        return super().get_queryset().with_totals().with_lpj_overdue(timezone.localdate())

    def get_breadcrumbs(self):
        return [GRANTS, (self.object, None)]


class GrantFormMixin:
    model = Grant
    form_class = GrantForm

    def save(self, form):
        return services.grant_save(grant=form.instance)


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


# Allocations, disbursements and expenditures: records of a grant, shown on its page.


class GrantRecordMixin:
    """Pages of a record that belongs to a grant: the user returns to the grant."""

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


class GrantRecordCreateView(GrantRecordMixin, ChildCreateView):
    parent_model = Grant
    parent_field = "grant"


class GrantRecordDeleteView(GrantRecordMixin, RecordDeleteView):
    pass


class AllocationCreateView(GrantRecordCreateView):
    model = Allocation
    form_class = AllocationForm

    def save(self, form):
        return services.allocation_save(allocation=form.instance)


class AllocationUpdateView(GrantRecordMixin, RecordUpdateView):
    model = Allocation
    form_class = AllocationForm

    def save(self, form):
        return services.allocation_save(allocation=form.instance)


class AllocationDeleteView(GrantRecordDeleteView):
    model = Allocation

    def blockers(self):
        # Spending hangs on an allocation by grant and activity, not by a foreign key.
        return [*Expenditure.objects.against(self.object), *super().blockers()]

    def delete_record(self):
        services.allocation_delete(allocation=self.object)


class DisbursementCreateView(GrantRecordCreateView):
    model = Disbursement
    form_class = DisbursementForm

    def save(self, form):
        return services.disbursement_save(disbursement=form.instance)


class DisbursementUpdateView(GrantRecordMixin, RecordUpdateView):
    model = Disbursement
    form_class = DisbursementForm

    def save(self, form):
        return services.disbursement_save(disbursement=form.instance)


class DisbursementDeleteView(GrantRecordDeleteView):
    model = Disbursement


class ExpenditureCreateView(GrantRecordCreateView):
    model = Expenditure
    form_class = ExpenditureForm

    def save(self, form):
        return services.expenditure_save(expenditure=form.instance)


class ExpenditureUpdateView(GrantRecordMixin, RecordUpdateView):
    model = Expenditure
    form_class = ExpenditureForm

    def save(self, form):
        return services.expenditure_save(expenditure=form.instance)


class ExpenditureDeleteView(GrantRecordDeleteView):
    model = Expenditure


class ExpenditureListView(RecordListView):
    model = Expenditure
    filterset_class = ExpenditureFilter
    select_related = ("grant__funder", "activity")

    def get_queryset(self):
        return super().get_queryset().order_by("-date", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["totals"] = totals(self.object_list, "amount")
        return context

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
    ]

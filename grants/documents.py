"""The accountability report (LPJ) of a grant, as an HTML page and a PDF.

The grant is found through its scoping method first (another body's is a 404).
"""

import datetime
from dataclasses import dataclass

from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_safe

from grants.models import Allocation, Grant
from lkks import access
from lkks.documents import DocumentForm, Letterhead, document_response, pdf_url, place_name
from lkks.money import percent


@dataclass
class Lpj:
    grant: Grant  # with_totals()
    body: object
    today: datetime.date
    place: str
    letterhead: Letterhead
    disbursements: list
    allocations: list  # with ``spent``, ``unspent`` and their activity
    expenditures: list

    @property
    def cash_balance(self):
        """What was disbursed and not spent: the money the body still holds."""
        return self.grant.disbursed - self.grant.spent

    @property
    def allocated_unspent(self):
        return self.grant.allocated - self.grant.spent

    @property
    def undisbursed(self):
        return self.grant.amount - self.grant.disbursed

    @property
    def absorption_pct(self):
        return percent(self.grant.spent, self.grant.amount)


def grant_for_lpj(queryset):
    """What ``lpj`` needs of the grant, for a queryset already scoped to the user."""
    return queryset.with_totals().select_related("funder__body__regency")


def lpj(grant, today=None) -> Lpj:
    """The LPJ of a grant from ``grant_for_lpj`` (three more queries)."""
    body = grant.funder.body
    allocations = list(
        Allocation.objects.filter(grant=grant)
        .with_spent()
        .select_related("activity__program")
        .order_by("activity__program__code", "activity__name", "pk")
    )
    for allocation in allocations:
        allocation.unspent = allocation.amount - allocation.spent
    return Lpj(
        grant=grant,
        body=body,
        today=today or timezone.localdate(),
        place=place_name(body),
        letterhead=Letterhead.of(body),
        disbursements=list(grant.disbursements.order_by("date", "pk")),
        allocations=allocations,
        expenditures=list(grant.expenditures.select_related("activity").order_by("date", "pk")),
    )


@require_safe
def grant_lpj(request, pk):
    """The accountability report (LPJ) of a grant the user reads."""
    grant = access.get_readable(grant_for_lpj(Grant.objects), request.user, pk=pk)
    form = DocumentForm(request.GET)
    form.is_valid()  # an unknown format is shown as HTML
    report = lpj(grant)
    context = {"lpj": report, "letterhead": report.letterhead, "pdf_url": pdf_url(request)}
    return document_response(
        request,
        "grants/lpj.html",
        context,
        form=form,
        filename=f"lpj-{grant.fiscal_year}-{grant.name}",
    )


# Mounted under /reports/ by the project's URLs, with the name it has always had.
urlpatterns = [
    path("grants/<int:pk>/lpj/", grant_lpj, name="report-lpj"),
]

"""The accountability package (LPJ) of a grant, as an HTML page and a PDF: the cover
letter, the SPTJM (surat pernyataan tanggung jawab mutlak) with its meterai, the
realisation per budget line and per activity, the list of receipts, and the cash held
and its return — signed by name by the officers who hold the positions on the letter's
date, acknowledged by the Kepala Dinas Sosial.

The grant is found through its scoping method first (another body's is a 404).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.db.models import Prefetch
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from grants.models import Allocation, BudgetLine, Expenditure, Grant, LpjSubmission
from lkks import access
from lkks.documents import DocumentForm, Letterhead, document_response, pdf_url
from lkks.forms import DateInput
from lkks.money import percent
from lkks.officers import Officer
from lkks.signatures import SignatureBlock, signature_block

# Who signs an LPJ: the treasurer on the left, the general chair on the right, as the
# SPTJM is the chair's; the Kepala Dinas Sosial acknowledges ("Mengetahui").
SIGNERS = [Officer.Position.TREASURER, Officer.Position.CHAIR]


@dataclass
class Lpj:
    """The LPJ as of its letter's date: the money that moved up to that day."""

    grant: Grant
    body: object
    on: datetime.date  # the letter's date
    letterhead: Letterhead
    submission: LpjSubmission | None  # the submission of that date, for its number
    budget_lines: list  # with ``spent`` and ``left``
    allocations: list  # with ``spent``, ``left`` and their activity
    disbursements: list
    expenditures: list
    returns: list
    signatures: SignatureBlock  # the report's: treasurer and chair, acknowledged
    cover_signatures: SignatureBlock  # the cover letter's: the chair

    @property
    def agreement(self):
        return getattr(self.grant, "agreement", None)

    @property
    def chair(self):
        """Who makes the SPTJM: the general chair."""
        return self.signatures.signers[-1]

    @property
    def letter_number(self):
        return self.submission.letter_number if self.submission else ""

    @property
    def disbursed(self):
        return sum((row.amount for row in self.disbursements), Decimal(0))

    @property
    def spent(self):
        return sum((row.amount for row in self.expenditures), Decimal(0))

    @property
    def returned(self):
        return sum((row.amount for row in self.returns), Decimal(0))

    @property
    def cash_held(self):
        """Received, neither spent nor returned (never below zero: the money rules)."""
        return self.disbursed - self.spent - self.returned

    @property
    def budgeted(self):
        return sum((line.amount for line in self.budget_lines), Decimal(0))

    @property
    def budget_left(self):
        return self.budgeted - self.spent

    @property
    def allocated(self):
        return sum((allocation.amount for allocation in self.allocations), Decimal(0))

    @property
    def allocated_left(self):
        return self.allocated - self.spent

    @property
    def undisbursed(self):
        return self.grant.amount - self.disbursed

    @property
    def absorption_pct(self):
        """Spent ÷ the grant (realisasi ÷ nilai hibah)."""
        return percent(self.spent, self.grant.amount)


def grant_for_lpj(queryset):
    """What ``lpj`` needs of the grant, for a queryset already scoped to the user."""
    return queryset.select_related("funder__body__regency", "agreement").prefetch_related(
        Prefetch("budget_lines", queryset=BudgetLine.objects.order_by("pk")),
        Prefetch(
            "allocations",
            queryset=Allocation.objects.select_related("activity__program").order_by(
                "activity__program__code", "activity__name", "pk"
            ),
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


def _spent_on(rows, expenditures, key):
    """Each row (a budget line or an allocation) with what was spent on it (``spent``)
    and what is left of it (``left``)."""
    spent = defaultdict(Decimal)
    for expenditure in expenditures:
        spent[getattr(expenditure, key)] += expenditure.amount
    for row in rows:
        row.spent = spent[row.pk]
        row.left = row.amount - row.spent
    return rows


def lpj(grant, on=None) -> Lpj:
    """The LPJ of a grant from ``grant_for_lpj``, its letters dated ``on`` (today): it
    reports the money that moved up to that day, so that a letter printed again later
    still says what it said."""
    on = on or timezone.localdate()
    body = grant.funder.body
    expenditures = [row for row in grant.expenditures.all() if row.date <= on]
    submission = next(
        (each for each in grant.lpj_submissions.all() if each.submitted_on == on), None
    )
    return Lpj(
        grant=grant,
        body=body,
        on=on,
        letterhead=Letterhead.of(body),
        submission=submission,
        budget_lines=_spent_on(list(grant.budget_lines.all()), expenditures, "budget_line_id"),
        allocations=_spent_on(list(grant.allocations.all()), expenditures, "allocation_id"),
        disbursements=[row for row in grant.disbursements.all() if row.date <= on],
        expenditures=expenditures,
        returns=[row for row in grant.returns.all() if row.date <= on],
        signatures=signature_block(body, on=on, positions=SIGNERS, acknowledge=True),
        cover_signatures=signature_block(body, on=on, positions=[Officer.Position.CHAIR]),
    )


class LpjForm(DocumentForm):
    """The format, and the date of the LPJ's letters (today when not given)."""

    date = forms.DateField(label=_("Letter date"), required=False, widget=DateInput)


@require_safe
def grant_lpj(request, pk):
    """The LPJ of a grant the user reads, dated as asked."""
    grant = access.get_readable(grant_for_lpj(Grant.objects), request.user, pk=pk)
    form = LpjForm(request.GET)
    form.is_valid()  # an unknown format is shown as HTML, a date that is none as today
    report = lpj(grant, form.cleaned_data.get("date"))
    context = {
        "lpj": report,
        "letterhead": report.letterhead,
        "form": form,
        "pdf_url": pdf_url(request, date=report.on.isoformat()),
    }
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

"""What every write to a grant's money shares: the grant's row lock, the sums, the cash
the grant holds on every date, and the states in which its money may not change.

Every write that changes a sum locks the grant's row first (SELECT … FOR UPDATE on
PostgreSQL; SQLite runs IMMEDIATE transactions, which serialise all writers), so two
staff saving at the same moment cannot together break a rule that each alone keeps.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from grants.models import Disbursement, Expenditure, Grant, LpjSubmission, RemainderReturn
from lkks.money import rupiah
from lkks.validation import field_error

INFLOWS = (Disbursement,)
OUTFLOWS = (Expenditure, RemainderReturn)


def total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def lock_grants(*grant_ids) -> dict:
    """Lock the grants' rows, always in the order of their keys so that two writers
    locking the same two grants cannot wait for each other."""
    ids = sorted({grant_id for grant_id in grant_ids if grant_id is not None})
    grants = (
        Grant.objects.select_for_update(of=("self",)).select_related("funder").filter(pk__in=ids)
    )
    return {grant.pk: grant for grant in grants.order_by("pk")}


def lock_grant(grant_id) -> Grant:
    try:
        return lock_grants(grant_id)[grant_id]
    except KeyError:
        raise Grant.DoesNotExist from None


def day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def error_on(field, message, code):
    """A ValidationError on ``field``, or on none (above the form) when it is None."""
    if field is None:
        return ValidationError(message, code=code)
    return field_error(field, message, code)


def refuse_excess(*, field, limit, used, amount, message, code="overflow"):
    """Raise on ``field`` when ``used + amount`` would pass ``limit``."""
    excess = used + (amount or 0) - limit
    if excess > 0:
        raise field_error(
            field,
            message % {"excess": rupiah(excess), "limit": rupiah(limit), "used": rupiah(used)},
            code,
        )


@dataclass(frozen=True)
class Shortfall:
    """The first date on which a grant would have spent and returned more than it had
    received by then."""

    on: datetime.date
    disbursed: Decimal  # received up to and including ``on``
    used: Decimal  # spent and returned up to and including ``on``
    first_disbursement: datetime.date | None

    @property
    def excess(self):
        return self.used - self.disbursed

    def figures(self):
        return {
            "date": day(self.on),
            "excess": rupiah(self.excess),
            "disbursed": rupiah(self.disbursed),
            "used": rupiah(self.used),
            "first": day(self.first_disbursement) if self.first_disbursement else "",
        }


class Ledger:
    """The cash of one grant by date: what came in (disbursements) and what went out
    (spending and returns), as stored, with the change about to be written applied.

    Cash first: on every date, what went out up to that date never exceeds what came
    in up to that date. A spend on the day of a disbursement counts after it.
    """

    def __init__(self, grant):
        self.grant = grant
        self.flows = defaultdict(lambda: [Decimal(0), Decimal(0)])  # date → [in, out]
        for model in (*INFLOWS, *OUTFLOWS):
            rows = model.objects.filter(grant=grant).order_by().values("date")
            for row in rows.annotate(total=Sum("amount")):
                self.flows[row["date"]][self._side(model)] += row["total"]

    @staticmethod
    def _side(model):
        return 0 if model in INFLOWS else 1

    def _move(self, record, date, amount, sign):
        self.flows[date][self._side(type(record))] += sign * amount

    def _stored(self, record):
        if record.pk is None:
            return None
        return (
            type(record)
            .objects.filter(pk=record.pk, grant=self.grant)
            .values_list("date", "amount")
            .first()
        )

    def remove(self, record):
        """Take the stored row of ``record`` out (it is deleted, or moves elsewhere)."""
        stored = self._stored(record)
        if stored is not None:
            self._move(record, *stored, -1)
        return self

    def put(self, record):
        """Write ``record`` as it is now, in place of its stored row."""
        self.remove(record)
        self._move(record, record.date, record.amount or 0, 1)
        return self

    def first_shortfall(self) -> Shortfall | None:
        received = used = Decimal(0)
        first = None
        for date in sorted(self.flows):
            inflow, outflow = self.flows[date]
            received += inflow
            used += outflow
            if first is None and inflow > 0:
                first = date
            if used > received:
                later = [d for d in sorted(self.flows) if d > date and self.flows[d][0] > 0]
                return Shortfall(
                    on=date,
                    disbursed=received,
                    used=used,
                    first_disbursement=first or (later[0] if later else None),
                )
        return None


def standing_lpj(grant):
    """The grant's LPJ that awaits review or was accepted, if any."""
    return (
        LpjSubmission.objects.filter(
            grant=grant, outcome__in=[LpjSubmission.Outcome.PENDING, LpjSubmission.Outcome.ACCEPTED]
        )
        .order_by("-submitted_on")
        .first()
    )


def refuse_changes_to_money(grant, *, field=None):
    """A grant's money stops changing once its LPJ is submitted (until the funder
    returns it for revision) and for good once accepted; a rejected or cancelled
    grant takes none. Returns of the remainder are not held back by this."""
    if grant.outcome:
        raise error_on(
            field,
            _("This grant ended: %(outcome)s on %(date)s; its money cannot change.")
            % {"outcome": grant.get_outcome_display().lower(), "date": day(grant.outcome_on)},
            "withdrawn",
        )
    lpj = standing_lpj(grant)
    if lpj is None:
        return
    if lpj.is_pending:
        message = _(
            "The LPJ of this grant was submitted on %(date)s and awaits review: its money "
            "cannot change unless the funder returns it for revision."
        ) % {"date": day(lpj.submitted_on)}
    else:
        message = _(
            "The LPJ of this grant was accepted on %(date)s: its money can no longer change."
        ) % {"date": day(lpj.decided_on)}
    raise error_on(field, message, "accounted")


def save_checked(record, check):
    """Save ``record`` of a grant after ``check(record, grant)`` passed under the lock
    of its grant (and of the grant it leaves, when it moves to another one).

    The grant is locked before the record is written, never after: spending inserted
    under the grant's lock holds a share lock on its allocation's row (the foreign key),
    so a writer holding an allocation's row while waiting for the grant would deadlock.
    """
    with transaction.atomic():
        record.full_clean()
        left = (
            type(record).objects.filter(pk=record.pk).values_list("grant_id", flat=True).first()
            if record.pk
            else None
        )
        grants = lock_grants(record.grant_id, left)
        if left is not None and left != record.grant_id:
            refuse_changes_to_money(grants[left])
        check(record, grants[record.grant_id])
        record.save()
    return record


def delete_checked(record, check):
    """Delete ``record`` after ``check(record, grant)`` passed under its grant's lock."""
    with transaction.atomic():
        grant = lock_grant(record.grant_id)
        check(record, grant)
        record.delete()

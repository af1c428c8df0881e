"""Writes to grants and their money, with the rules that keep the sums whole.

Every write that changes a sum locks the grant's row first (SELECT … FOR UPDATE on
PostgreSQL; SQLite runs IMMEDIATE transactions, which serialise all writers), so two
staff saving at the same moment cannot together exceed a grant or an allocation.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.money import rupiah
from lkks.validation import field_error


def _total(queryset) -> Decimal:
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _lock_grant(grant_id) -> Grant:
    return Grant.objects.select_for_update().select_related("funder").get(pk=grant_id)


def _refuse_excess(*, limit, used, amount, message):
    """Raise on the amount field when ``used + amount`` would pass ``limit``."""
    excess = used + (amount or 0) - limit
    if excess > 0:
        raise field_error(
            "amount",
            message % {"excess": rupiah(excess), "limit": rupiah(limit), "used": rupiah(used)},
            "overflow",
        )


def _same_body(grant, activity):
    if activity.program.body_id != grant.funder.body_id:
        raise field_error("activity", _("The activity belongs to another body."), "other_body")


@transaction.atomic
def funder_save(*, funder: Funder) -> Funder:
    funder.full_clean()
    funder.save()
    return funder


@transaction.atomic
def grant_save(*, grant: Grant) -> Grant:
    """Save a grant; hibah APBD gets its LPJ due date (10 January of the next year)
    unless one is given."""
    if grant.lpj_due_on is None:
        grant.lpj_due_on = Grant.default_lpj_due_on(grant.funder.kind, grant.fiscal_year)
    grant.full_clean()
    if grant.pk:
        _lock_grant(grant.pk)
        grant_check(grant=grant)
    grant.save()
    return grant


def grant_check(*, grant: Grant) -> None:
    """A grant's amount never drops below what is allocated or disbursed from it."""
    if grant.pk:
        committed = max(
            _total(Allocation.objects.filter(grant=grant)),
            _total(Disbursement.objects.filter(grant=grant)),
        )
        if grant.amount < committed:
            raise field_error(
                "amount",
                _(
                    "The amount cannot be less than the %(committed)s already "
                    "allocated or disbursed."
                )
                % {"committed": rupiah(committed)},
                "below_committed",
            )


def allocation_check(*, allocation: Allocation, grant: Grant) -> None:
    """All allocations together never exceed the grant, and an allocation never drops
    below what was already spent from it."""
    _same_body(grant, allocation.activity)
    _refuse_excess(
        limit=grant.amount,
        used=_total(grant.allocations.exclude(pk=allocation.pk)),
        amount=allocation.amount,
        message=_(
            "Allocations would exceed the grant by %(excess)s "
            "(grant %(limit)s, already allocated %(used)s)."
        ),
    )
    if allocation.pk:
        before = Allocation.objects.get(pk=allocation.pk)
        if before.activity_id != allocation.activity_id and _spent_against(before):
            raise field_error(
                "activity",
                _("Money was already spent on the activity of this allocation; it cannot move."),
                "spent_elsewhere",
            )
    spent = _spent_against(allocation)
    if allocation.amount < spent:
        raise field_error(
            "amount",
            _("The allocation cannot be less than the %(spent)s already spent.")
            % {"spent": rupiah(spent)},
            "below_spent",
        )


def _spent_against(allocation) -> Decimal:
    """Spending hangs on an allocation by grant and activity, not by a foreign key."""
    return _total(
        Expenditure.objects.filter(grant=allocation.grant_id, activity=allocation.activity_id)
    )


@transaction.atomic
def allocation_delete(*, allocation: Allocation) -> None:
    """Delete an allocation that nothing was spent from yet."""
    _lock_grant(allocation.grant_id)
    if _spent_against(allocation):
        raise ValidationError(
            _("Money was already spent from this allocation; it cannot be deleted."),
            code="spent",
        )
    allocation.delete()


@transaction.atomic
def allocation_save(*, allocation: Allocation) -> Allocation:
    allocation.full_clean()
    allocation_check(allocation=allocation, grant=_lock_grant(allocation.grant_id))
    allocation.save()
    return allocation


def disbursement_check(*, disbursement: Disbursement, grant: Grant) -> None:
    """All disbursements together never exceed the grant."""
    _refuse_excess(
        limit=grant.amount,
        used=_total(grant.disbursements.exclude(pk=disbursement.pk)),
        amount=disbursement.amount,
        message=_(
            "Disbursements would exceed the grant by %(excess)s "
            "(grant %(limit)s, already disbursed %(used)s)."
        ),
    )


@transaction.atomic
def disbursement_save(*, disbursement: Disbursement) -> Disbursement:
    disbursement.full_clean()
    disbursement_check(disbursement=disbursement, grant=_lock_grant(disbursement.grant_id))
    disbursement.save()
    return disbursement


def expenditure_check(*, expenditure: Expenditure, grant: Grant) -> None:
    """What is spent on an activity from a grant never exceeds the allocation of that
    grant to that activity."""
    _same_body(grant, expenditure.activity)
    allocation = Allocation.objects.filter(grant=grant, activity=expenditure.activity_id).first()
    if allocation is None:
        raise field_error(
            "activity", _("This activity has no allocation from this grant."), "not_allocated"
        )
    _refuse_excess(
        limit=allocation.amount,
        used=_total(
            Expenditure.objects.filter(grant=grant, activity=expenditure.activity_id).exclude(
                pk=expenditure.pk
            )
        ),
        amount=expenditure.amount,
        message=_(
            "Spending would exceed the allocation by %(excess)s "
            "(allocated %(limit)s, already spent %(used)s)."
        ),
    )


@transaction.atomic
def expenditure_save(*, expenditure: Expenditure) -> Expenditure:
    expenditure.full_clean()
    expenditure_check(expenditure=expenditure, grant=_lock_grant(expenditure.grant_id))
    expenditure.save()
    return expenditure


def grant_check_totals(*, grant: Grant) -> None:
    """Check a grant's stored rows as a whole: for the admin, which saves an inline
    formset of several allocations and disbursements at once."""
    for related, label in (
        (grant.allocations, _("Allocations")),
        (grant.disbursements, _("Disbursements")),
    ):
        excess = _total(related.all()) - grant.amount
        if excess > 0:
            raise ValidationError(
                _("%(what)s would exceed the grant by %(excess)s.")
                % {"what": label, "excess": rupiah(excess)},
                code="overflow",
            )

"""Allocations, disbursements, expenditures and returns of the remainder, with the rules
that keep a grant's sums whole: allocations and disbursements within the grant,
spending within its allocation and budget line and never ahead of the cash received,
returns never more than the cash held."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Grant,
    RemainderReturn,
)
from grants.services.ledger import (
    Ledger,
    day,
    delete_checked,
    error_on,
    refuse_changes_to_money,
    refuse_excess,
    save_checked,
    total,
)
from lkks.money import rupiah
from lkks.validation import field_error


def _same_body(grant, activity):
    if activity.program.body_id != grant.funder.body_id:
        raise field_error("activity", _("The activity belongs to another body."), "other_body")


def spent_from(allocation) -> Decimal:
    if allocation.pk is None:
        return Decimal(0)
    return total(Expenditure.objects.filter(allocation=allocation.pk))


# Allocations


def allocation_keep_check(*, allocation: Allocation, grant: Grant) -> None:
    """An allocation goes to an activity of the grant's body, never drops below what
    was spent from it, nor leaves the grant and activity it was spent on."""
    refuse_changes_to_money(grant)
    _same_body(grant, allocation.activity)
    spent = spent_from(allocation)
    if spent and allocation.pk:
        before = Allocation.objects.get(pk=allocation.pk)
        if (before.grant_id, before.activity_id) != (allocation.grant_id, allocation.activity_id):
            raise field_error(
                "activity",
                _(
                    "%(spent)s was already spent from this allocation on its activity; "
                    "it cannot move to another one."
                )
                % {"spent": rupiah(spent)},
                "spent_elsewhere",
            )
    if allocation.amount < spent:
        raise field_error(
            "amount",
            _("The allocation cannot be less than the %(spent)s already spent from it.")
            % {"spent": rupiah(spent)},
            "below_spent",
        )


def allocation_check(*, allocation: Allocation, grant: Grant) -> None:
    """``allocation_keep_check``, and all allocations together never exceed the grant."""
    allocation_keep_check(allocation=allocation, grant=grant)
    refuse_excess(
        field="amount",
        limit=grant.amount,
        used=total(grant.allocations.exclude(pk=allocation.pk)),
        amount=allocation.amount,
        message=_(
            "Allocations would exceed the grant by %(excess)s "
            "(grant %(limit)s, already allocated %(used)s)."
        ),
    )


def allocation_delete_check(*, allocation: Allocation, grant: Grant) -> None:
    refuse_changes_to_money(grant)
    spent = spent_from(allocation)
    if spent:
        raise ValidationError(
            _("%(spent)s was already spent from this allocation; it cannot be deleted.")
            % {"spent": rupiah(spent)},
            code="spent",
        )


def allocation_save(*, allocation: Allocation) -> Allocation:
    return save_checked(allocation, lambda a, grant: allocation_check(allocation=a, grant=grant))


def allocation_delete(*, allocation: Allocation) -> None:
    delete_checked(allocation, lambda a, grant: allocation_delete_check(allocation=a, grant=grant))


# Disbursements


def refuse_shortfall(ledger, *, field, over_message, before_message):
    """Raise on ``field`` when the ledger runs short on some date: ``before_message``
    when nothing had come in by then, ``over_message`` otherwise."""
    shortfall = ledger.first_shortfall()
    if shortfall is None:
        return
    if shortfall.disbursed == 0 and before_message is not None:
        raise error_on("date" if field else None, before_message(shortfall), "before_cash")
    raise error_on(field, over_message % shortfall.figures(), "beyond_cash")


BREAKS_CASH = _(
    "On %(date)s spending and returns (%(used)s) would exceed the money disbursed by then "
    "(%(disbursed)s) by %(excess)s."
)


def _instrument_check(record, grant, *, state_word):
    """SP2D and STS are instruments of a state budget: CSR and donations move by bank
    transfer and never carry those words."""
    if grant.funder.is_state_money:
        if not record.reference.strip():
            raise field_error(
                "reference",
                _("Give the %(instrument)s number.") % {"instrument": state_word},
                "required",
            )
    elif state_word in record.reference.upper():
        raise field_error(
            "reference",
            _(
                "%(funder)s money moves by bank transfer: give the transfer reference, "
                "not an %(instrument)s number."
            )
            % {"funder": grant.funder.get_kind_display(), "instrument": state_word},
            "not_state_money",
        )


def disbursement_check(*, disbursement: Disbursement, grant: Grant) -> None:
    """Money is disbursed after the agreement is signed and, where the grant has a
    budget (RAB), once the budget makes the grant exactly; all disbursements together
    never exceed the grant; lowering or re-dating one never leaves spending ahead of
    the cash."""
    refuse_changes_to_money(grant)
    agreement = Agreement.objects.filter(grant=grant).first()
    if agreement is None:
        raise ValidationError(
            _("No agreement of this grant is recorded: money is disbursed after it is signed."),
            code="no_agreement",
        )
    if agreement.signed_on and disbursement.date < agreement.signed_on:
        raise field_error(
            "date",
            _("Money cannot be disbursed before the agreement was signed (%(date)s).")
            % {"date": day(agreement.signed_on)},
            "before_agreement",
        )
    budgeted = total(grant.budget_lines.all())
    if (agreement.kind == Agreement.Kind.NPHD or budgeted) and budgeted != grant.amount:
        raise ValidationError(
            _(
                "The budget lines (RAB) add up to %(budgeted)s, not to the grant's %(amount)s: "
                "complete them before money is disbursed."
            )
            % {"budgeted": rupiah(budgeted), "amount": rupiah(grant.amount)},
            code="budget_incomplete",
        )
    _instrument_check(disbursement, grant, state_word="SP2D")
    refuse_excess(
        field="amount",
        limit=grant.amount,
        used=total(grant.disbursements.exclude(pk=disbursement.pk)),
        amount=disbursement.amount,
        message=_(
            "Disbursements would exceed the grant by %(excess)s "
            "(grant %(limit)s, already disbursed %(used)s)."
        ),
    )
    before = Disbursement.objects.filter(pk=disbursement.pk).first() if disbursement.pk else None
    lowered = before is not None and disbursement.amount < before.amount
    refuse_shortfall(
        Ledger(grant).put(disbursement),
        field="amount" if lowered or before is None else "date",
        over_message=BREAKS_CASH,
        before_message=None,
    )


def disbursement_delete_check(*, disbursement: Disbursement, grant: Grant) -> None:
    refuse_changes_to_money(grant)
    refuse_shortfall(
        Ledger(grant).remove(disbursement),
        field=None,
        over_message=BREAKS_CASH,
        before_message=None,
    )


def disbursement_save(*, disbursement: Disbursement) -> Disbursement:
    return save_checked(
        disbursement, lambda d, grant: disbursement_check(disbursement=d, grant=grant)
    )


def disbursement_delete(*, disbursement: Disbursement) -> None:
    delete_checked(
        disbursement, lambda d, grant: disbursement_delete_check(disbursement=d, grant=grant)
    )


# Expenditures


def _nothing_disbursed_by(shortfall):
    if shortfall.first_disbursement is None:
        return _(
            "Nothing of this grant has been disbursed yet: spending is recorded after a "
            "disbursement."
        )
    return (
        _(
            "No money of this grant had been disbursed by %(date)s: the first disbursement "
            "is on %(first)s."
        )
        % shortfall.figures()
    )


def _budget_line_check(expenditure, grant):
    lines = BudgetLine.objects.filter(grant=grant)
    line = lines.model.objects.filter(pk=expenditure.budget_line_id).first()
    if expenditure.budget_line_id is not None and line is None:
        raise field_error("budget_line", _("This budget line was deleted meanwhile."), "deleted")
    if line is None:
        if lines.exists():
            raise field_error(
                "budget_line",
                _("This grant has a budget (RAB): say which line the money is spent on."),
                "required",
            )
        return
    if line.grant_id != grant.pk:
        raise field_error(
            "budget_line", _("This budget line belongs to another grant."), "other_grant"
        )
    refuse_excess(
        field="amount",
        limit=line.amount,
        used=total(line.expenditures.exclude(pk=expenditure.pk)),
        amount=expenditure.amount,
        message=_(
            "Spending would exceed the budget line by %(excess)s "
            "(budgeted %(limit)s, already spent %(used)s)."
        ),
    )


def expenditure_check(*, expenditure: Expenditure, grant: Grant) -> None:
    """What is spent from an allocation never exceeds it, nor its budget line; and on
    every date, what was spent up to then never exceeds the cash disbursed by then."""
    refuse_changes_to_money(grant)
    # Read under the lock: a cut or deletion saved meanwhile binds this spending too.
    allocation = Allocation.objects.filter(pk=expenditure.allocation_id).first()
    if allocation is None:
        raise field_error("allocation", _("This allocation was deleted meanwhile."), "deleted")
    if allocation.grant_id != grant.pk:
        raise field_error(
            "allocation", _("This allocation belongs to another grant."), "other_grant"
        )
    _budget_line_check(expenditure, grant)
    refuse_excess(
        field="amount",
        limit=allocation.amount,
        used=total(allocation.expenditures.exclude(pk=expenditure.pk)),
        amount=expenditure.amount,
        message=_(
            "Spending would exceed the allocation by %(excess)s "
            "(allocated %(limit)s, already spent %(used)s)."
        ),
    )
    refuse_shortfall(
        Ledger(grant).put(expenditure),
        field="amount",
        over_message=_(
            "Spending would exceed the cash received by %(date)s by %(excess)s "
            "(disbursed %(disbursed)s, spent and returned %(used)s)."
        ),
        before_message=_nothing_disbursed_by,
    )


def expenditure_delete_check(*, expenditure: Expenditure, grant: Grant) -> None:
    refuse_changes_to_money(grant)


def expenditure_save(*, expenditure: Expenditure) -> Expenditure:
    return save_checked(expenditure, lambda e, grant: expenditure_check(expenditure=e, grant=grant))


def expenditure_delete(*, expenditure: Expenditure) -> None:
    delete_checked(
        expenditure, lambda e, grant: expenditure_delete_check(expenditure=e, grant=grant)
    )


# Returns of the remainder


def _nothing_to_return(shortfall):
    return _(
        "Nothing of this grant had been disbursed by %(date)s: there was nothing to return."
    ) % (shortfall.figures())


def return_check(*, remainder_return: RemainderReturn, grant: Grant) -> None:
    """A return never exceeds the cash held on its date (disbursed - spent - returned),
    and comes by STS for state money, by transfer otherwise."""
    _instrument_check(remainder_return, grant, state_word="STS")
    refuse_shortfall(
        Ledger(grant).put(remainder_return),
        field="amount",
        over_message=_(
            "The return would exceed the cash held on %(date)s by %(excess)s "
            "(disbursed %(disbursed)s, spent and returned %(used)s)."
        ),
        before_message=_nothing_to_return,
    )


def return_save(*, remainder_return: RemainderReturn) -> RemainderReturn:
    return save_checked(
        remainder_return, lambda r, grant: return_check(remainder_return=r, grant=grant)
    )


def return_delete(*, remainder_return: RemainderReturn) -> None:
    # Taking a return back only adds to the cash held: no rule can break.
    delete_checked(remainder_return, lambda r, grant: None)

"""Funders, grants, their agreements and budget lines (RAB): the steps of the hibah
cycle before and around the money."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from grants.models import Agreement, BudgetLine, Funder, Grant
from grants.services.ledger import (
    day,
    delete_checked,
    lock_grant,
    refuse_changes_to_money,
    refuse_excess,
    save_checked,
    total,
)
from grants.services.money import spent_from
from lkks.money import rupiah
from lkks.validation import field_error


@transaction.atomic
def funder_save(*, funder: Funder) -> Funder:
    funder.full_clean()
    funder.save()
    return funder


def grant_check(*, grant: Grant) -> None:
    """A grant's amount never drops below what is disbursed, allocated or budgeted from
    it, nor changes once its LPJ stands; a grant with a signed agreement is cancelled,
    not rejected, and one that received money is accounted for, not cancelled."""
    if grant.pk is None:
        return
    before = Grant.objects.get(pk=grant.pk)
    if grant.amount != before.amount:
        refuse_changes_to_money(before, field="amount")
    for committed, message in (
        (
            total(grant.disbursements.all()),
            _("The amount cannot be less than the %(amount)s already disbursed."),
        ),
        (
            total(grant.allocations.all()),
            _("The amount cannot be less than the %(amount)s already allocated."),
        ),
        (
            total(grant.budget_lines.all()),
            _("The amount cannot be less than the %(amount)s in the budget lines (RAB)."),
        ),
    ):
        if grant.amount < committed:
            raise field_error("amount", message % {"amount": rupiah(committed)}, "below_committed")
    if grant.outcome == before.outcome:
        return
    if grant.outcome == Grant.Outcome.REJECTED and Agreement.objects.filter(grant=grant).exists():
        raise field_error(
            "outcome",
            _("An agreement of this grant is signed: it can be cancelled, not rejected."),
            "agreed",
        )
    disbursed = total(grant.disbursements.all())
    if grant.outcome == Grant.Outcome.CANCELLED and disbursed:
        raise field_error(
            "outcome",
            _(
                "%(amount)s was already disbursed: the grant is not cancelled but accounted "
                "for in an LPJ, and what is left returned."
            )
            % {"amount": rupiah(disbursed)},
            "disbursed",
        )


@transaction.atomic
def grant_save(*, grant: Grant) -> Grant:
    """Save a grant; hibah APBD gets its LPJ due date (10 January of the next year)
    unless one is given."""
    if grant.lpj_due_on is None:
        grant.lpj_due_on = Grant.default_lpj_due_on(grant.funder.kind, grant.fiscal_year)
    grant.full_clean()
    if grant.pk:
        lock_grant(grant.pk)
        grant_check(grant=grant)
    grant.save()
    return grant


# Agreements


def agreement_check(*, agreement: Agreement, grant: Grant) -> None:
    """A rejected or cancelled grant gets no agreement; one that money was disbursed
    under keeps a signing date before that money."""
    if grant.outcome:
        raise field_error(
            "number",
            _("This grant ended: %(outcome)s; it has no agreement.")
            % {"outcome": grant.get_outcome_display().lower()},
            "withdrawn",
        )
    if agreement.pk:
        refuse_changes_to_money(grant)
    first = grant.disbursements.order_by("date").values_list("date", flat=True).first()
    if first and agreement.signed_on and agreement.signed_on > first:
        raise field_error(
            "signed_on",
            _("The agreement cannot be signed after the first disbursement (%(date)s).")
            % {"date": day(first)},
            "after_disbursement",
        )


def agreement_delete_check(*, agreement: Agreement, grant: Grant) -> None:
    disbursed = total(grant.disbursements.all())
    if disbursed:
        raise ValidationError(
            _("%(amount)s was disbursed under this agreement; it cannot be deleted.")
            % {"amount": rupiah(disbursed)},
            code="disbursed",
        )


def agreement_save(*, agreement: Agreement) -> Agreement:
    return save_checked(agreement, lambda a, grant: agreement_check(agreement=a, grant=grant))


def agreement_delete(*, agreement: Agreement) -> None:
    delete_checked(agreement, lambda a, grant: agreement_delete_check(agreement=a, grant=grant))


# Budget lines (RAB)


def budget_line_keep_check(*, budget_line: BudgetLine, grant: Grant) -> None:
    """A line never drops below what was spent on it."""
    refuse_changes_to_money(grant)
    if budget_line.pk:
        spent = total(budget_line.expenditures.all())
        if budget_line.amount < spent:
            raise field_error(
                "amount",
                _("The budget line cannot be less than the %(spent)s already spent on it.")
                % {"spent": rupiah(spent)},
                "below_spent",
            )


def budget_line_check(*, budget_line: BudgetLine, grant: Grant) -> None:
    """``budget_line_keep_check``, and the lines never add up to more than the grant."""
    budget_line_keep_check(budget_line=budget_line, grant=grant)
    refuse_excess(
        field="amount",
        limit=grant.amount,
        used=total(grant.budget_lines.exclude(pk=budget_line.pk)),
        amount=budget_line.amount,
        message=_(
            "The budget lines would exceed the grant by %(excess)s "
            "(grant %(limit)s, already budgeted %(used)s)."
        ),
    )


def budget_line_delete_check(*, budget_line: BudgetLine, grant: Grant) -> None:
    refuse_changes_to_money(grant)
    spent = total(budget_line.expenditures.all())
    if spent:
        raise ValidationError(
            _("%(spent)s was already spent on this budget line; it cannot be deleted.")
            % {"spent": rupiah(spent)},
            code="spent",
        )


def budget_line_save(*, budget_line: BudgetLine) -> BudgetLine:
    return save_checked(budget_line, lambda b, grant: budget_line_check(budget_line=b, grant=grant))


def budget_line_delete(*, budget_line: BudgetLine) -> None:
    delete_checked(
        budget_line, lambda b, grant: budget_line_delete_check(budget_line=b, grant=grant)
    )


def grant_audit(*, grant: Grant) -> None:
    """Check a grant's stored rows as a whole (after the admin saved several inline
    rows at once): allocations and budget lines within the grant, each keeping what
    was spent from it."""
    for related, label in (
        (grant.allocations, _("Allocations")),
        (grant.budget_lines, _("Budget lines")),
    ):
        excess = total(related.all()) - grant.amount
        if excess > 0:
            raise ValidationError(
                _("%(what)s would exceed the grant by %(excess)s.")
                % {"what": label, "excess": rupiah(excess)},
                code="overflow",
            )
    for allocation in grant.allocations.all():
        if spent_from(allocation) > allocation.amount:
            raise ValidationError(
                _("The allocation to %(activity)s is less than what was spent from it.")
                % {"activity": allocation.activity},
                code="below_spent",
            )
    for line in grant.budget_lines.all():
        if total(line.expenditures.all()) > line.amount:
            raise ValidationError(
                _("The budget line %(item)s is less than what was spent on it.")
                % {"item": line.item},
                code="below_spent",
            )

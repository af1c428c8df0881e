"""The money rules of grants.services: allocations and disbursements within the grant,
spending within its allocation and budget line and never ahead of the cash received,
on the field that is wrong and with the Rupiah figures; nothing written when refused.
(The races are in test_races.py, the cycle's other steps in test_cycle.py.)"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from grants.services import (
    allocation_delete,
    allocation_save,
    disbursement_delete,
    disbursement_save,
    expenditure_save,
    funder_save,
    grant_audit,
    grant_save,
)
from lkks.money import rupiah
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
)

pytestmark = pytest.mark.django_db

TEN_THOUSAND = Decimal(10_000)
EXCESS = Decimal(1_500)
DATE = datetime.date(2024, 5, 2)
FIRST_OF_MARCH = datetime.date(2024, 3, 1)


def day(month, date):
    return datetime.date(2024, month, date)


def refusal(save, **record):
    """The message_dict of a refused save."""
    with pytest.raises(ValidationError) as refused:
        save(**record)
    return refused.value.message_dict


def only_error(save, field, **record):
    """The one error of a refused save, which must be on ``field``: (message, code)."""
    with pytest.raises(ValidationError) as refused:
        save(**record)
    errors = refused.value.error_dict
    assert list(errors) == [field], refused.value.message_dict
    [error] = errors[field]
    return error.messages[0], error.code


@pytest.fixture
def grant(db):
    """A hibah of Rp 10.000 with its NPHD and a budget of one line making all of it."""
    grant = GrantFactory(amount=TEN_THOUSAND)
    BudgetLineFactory(grant=grant, item="Belanja kegiatan", amount=TEN_THOUSAND)
    return grant


@pytest.fixture
def line(grant):
    return grant.budget_lines.get()


@pytest.fixture
def activity(grant):
    return ActivityFactory(program__body=grant.funder.body)


@pytest.fixture
def allocation(grant, activity):
    return AllocationFactory(grant=grant, activity=activity, amount=Decimal(4_000))


@pytest.fixture
def cash(grant):
    """Rp 10.000 paid out on 1 March 2024."""
    return DisbursementFactory(grant=grant, date=day(3, 1), amount=TEN_THOUSAND)


def spend(allocation, amount, on=DATE, **fields):
    """An unsaved expenditure from ``allocation``, on the grant's one budget line."""
    fields.setdefault("budget_line", allocation.grant.budget_lines.first())
    return Expenditure(
        allocation=allocation, date=on, amount=Decimal(amount), description="Konsumsi", **fields
    )


def disburse(grant, amount, on=FIRST_OF_MARCH, reference="SP2D 1"):
    return Disbursement(grant=grant, date=on, amount=Decimal(amount), reference=reference)


# Allocations


def test_allocations_up_to_the_grant_are_saved(grant, activity):
    other = ActivityFactory(program__body=grant.funder.body)
    allocation_save(allocation=Allocation(grant=grant, activity=activity, amount=Decimal(6_000)))

    allocation_save(allocation=Allocation(grant=grant, activity=other, amount=Decimal(4_000)))

    assert Allocation.objects.filter(grant=grant).count() == 2


def test_allocation_beyond_the_grant_is_refused_with_the_excess_and_nothing_written(
    grant, allocation
):
    other = ActivityFactory(program__body=grant.funder.body)

    message, code = only_error(
        allocation_save,
        "amount",
        allocation=Allocation(grant=grant, activity=other, amount=Decimal(7_500)),
    )

    assert code == "overflow"
    assert rupiah(EXCESS) == "Rp 1.500"
    assert "Rp 1.500" in message
    assert Allocation.objects.count() == 1


def test_editing_an_allocation_excludes_itself_from_the_sum(grant, allocation):
    allocation.amount = TEN_THOUSAND

    allocation_save(allocation=allocation)

    allocation.refresh_from_db()
    assert allocation.amount == TEN_THOUSAND


def test_allocation_below_what_is_spent_is_refused_naming_the_spending(
    grant, allocation, cash, line
):
    ExpenditureFactory(
        allocation=allocation,
        grant=grant,
        activity=allocation.activity,
        amount=Decimal(3_000),
        budget_line=line,
    )
    allocation.amount = Decimal(2_500)

    message, code = only_error(allocation_save, "amount", allocation=allocation)

    assert code == "below_spent"
    assert "Rp 3.000" in message
    allocation.refresh_from_db()
    assert allocation.amount == Decimal(4_000)


def test_allocation_to_an_activity_of_another_body_is_refused(grant):
    foreign = ActivityFactory()

    errors = refusal(
        allocation_save,
        allocation=Allocation(grant=grant, activity=foreign, amount=Decimal(1)),
    )

    assert list(errors) == ["activity"]
    assert not Allocation.objects.exists()


def test_allocation_of_a_negative_amount_is_refused_on_the_field(grant, activity):
    errors = refusal(
        allocation_save,
        allocation=Allocation(grant=grant, activity=activity, amount=Decimal(-1)),
    )

    assert "amount" in errors
    assert not Allocation.objects.exists()


def test_an_allocation_with_spending_cannot_move_to_another_activity(grant, allocation, cash):
    ExpenditureFactory(grant=grant, activity=allocation.activity, amount=Decimal(500))
    allocation.activity = ActivityFactory(program=allocation.activity.program)

    message, code = only_error(allocation_save, "activity", allocation=allocation)

    assert code == "spent_elsewhere"
    assert "Rp 500" in message


def test_an_allocation_with_spending_cannot_be_deleted_but_an_unspent_one_can(
    grant, allocation, cash
):
    ExpenditureFactory(grant=grant, activity=allocation.activity, amount=Decimal(500))
    with pytest.raises(ValidationError) as refused:
        allocation_delete(allocation=allocation)
    assert "Rp 500" in refused.value.messages[0]
    assert Allocation.objects.filter(pk=allocation.pk).exists()
    unspent = AllocationFactory(grant=grant, amount=Decimal(1_000))
    allocation_delete(allocation=unspent)
    assert not Allocation.objects.filter(pk=unspent.pk).exists()


def test_the_database_keeps_an_allocation_that_spending_hangs_on(grant, allocation, cash):
    """The chain is a foreign key: no path that skips the services deletes it either."""
    from django.db.models import ProtectedError

    ExpenditureFactory(grant=grant, activity=allocation.activity)

    with pytest.raises(ProtectedError):
        Allocation.objects.filter(pk=allocation.pk).delete()


# Disbursements


def test_disbursements_up_to_the_grant_are_saved(grant):
    for amount in (6_000, 4_000):
        disbursement_save(disbursement=disburse(grant, amount))

    assert Disbursement.objects.filter(grant=grant).count() == 2


def test_disbursement_beyond_the_grant_is_refused_with_the_excess_and_nothing_written(grant):
    DisbursementFactory(grant=grant, amount=Decimal(6_000))

    message, code = only_error(disbursement_save, "amount", disbursement=disburse(grant, 5_500))

    assert (code, "Rp 1.500" in message) == ("overflow", True)
    assert Disbursement.objects.count() == 1


def test_editing_a_disbursement_beyond_the_grant_is_refused_and_keeps_the_old_amount(grant):
    DisbursementFactory(grant=grant, amount=Decimal(4_000))
    tranche = DisbursementFactory(grant=grant, amount=Decimal(6_000))
    tranche.amount = Decimal(7_500)

    message, _code = only_error(disbursement_save, "amount", disbursement=tranche)

    assert "Rp 1.500" in message
    tranche.refresh_from_db()
    assert tranche.amount == Decimal(6_000)


def test_a_grant_without_agreement_is_not_disbursed(db):
    proposal = GrantFactory(proposed=True)

    with pytest.raises(ValidationError) as refused:
        disbursement_save(disbursement=disburse(proposal, 1))

    assert refused.value.error_list[0].code == "no_agreement"
    assert not Disbursement.objects.exists()


def test_money_is_not_disbursed_before_the_agreement_is_signed(grant):
    message, code = only_error(
        disbursement_save, "date", disbursement=disburse(grant, 1, on=day(1, 31))
    )

    assert code == "before_agreement"
    assert "1 Februari 2024" in message


def test_an_nphd_grant_is_disbursed_only_once_its_budget_makes_the_grant(grant, line):
    line.amount = Decimal(9_000)
    line.save()

    with pytest.raises(ValidationError) as refused:
        disbursement_save(disbursement=disburse(grant, 1))

    [error] = refused.value.error_list
    assert error.code == "budget_incomplete"
    assert "Rp 9.000" in error.messages[0]
    assert "Rp 10.000" in error.messages[0]


def test_state_money_names_its_sp2d(grant):
    message, code = only_error(
        disbursement_save, "reference", disbursement=disburse(grant, 1, reference="")
    )
    assert code == "required"
    assert "SP2D" in message


def test_csr_money_comes_by_transfer_never_by_sp2d(db):
    csr = GrantFactory(funder__kind=Funder.Kind.CSR, amount=TEN_THOUSAND)

    _message, code = only_error(
        disbursement_save, "reference", disbursement=disburse(csr, 1, reference="SP2D 12/2024")
    )
    assert code == "not_state_money"
    disbursement_save(disbursement=disburse(csr, 1, reference="TRF 2024-03-01 0012"))
    disbursement_save(disbursement=disburse(csr, 1, reference=""))
    assert csr.disbursements.count() == 2


# Cash first: spending never ahead of the money received by its date


def test_spending_within_the_allocation_and_the_cash_is_saved(allocation, cash):
    expenditure_save(expenditure=spend(allocation, 2_500))
    expenditure_save(expenditure=spend(allocation, 1_500))

    assert Expenditure.objects.filter(allocation=allocation).count() == 2


def test_spending_takes_its_grant_and_activity_from_its_allocation(allocation, cash):
    saved = expenditure_save(expenditure=spend(allocation, 100))

    assert (saved.grant, saved.activity) == (allocation.grant, allocation.activity)


def test_spending_before_any_disbursement_is_refused_on_the_date(allocation):
    message, code = only_error(expenditure_save, "date", expenditure=spend(allocation, 100))

    assert code == "before_cash"
    assert not Expenditure.objects.exists()
    assert message


def test_spending_dated_before_the_first_disbursement_is_refused_naming_it(allocation, cash):
    message, code = only_error(
        expenditure_save, "date", expenditure=spend(allocation, 100, on=day(2, 5))
    )

    assert code == "before_cash"
    assert "5 Februari 2024" in message
    assert "1 Maret 2024" in message


def test_the_audit_example_spending_beyond_the_cash_received_is_refused(grant, activity, line):
    """Rp 30 juta allocated, Rp 20 juta disbursed: Rp 5 juta and Rp 16 juta cannot both
    be spent (the LPJ would show -Rp 1.000.000 in cash)."""
    grant.amount = Decimal(100_000_000)
    grant.save()
    line.amount = grant.amount
    line.save()
    allocation = AllocationFactory(grant=grant, activity=activity, amount=Decimal(30_000_000))
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(20_000_000))
    expenditure_save(expenditure=spend(allocation, 5_000_000))

    message, code = only_error(
        expenditure_save, "amount", expenditure=spend(allocation, 16_000_000, on=day(5, 3))
    )

    assert code == "beyond_cash"
    for figure in ("Rp 1.000.000", "Rp 20.000.000", "Rp 21.000.000", "3 Mei 2024"):
        assert figure in message
    assert Expenditure.objects.count() == 1


def test_rp_9_juta_cannot_be_spent_from_rp_1_juta_disbursed(grant, line, activity):
    allocation = AllocationFactory(grant=grant, activity=activity, amount=TEN_THOUSAND)
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(1_000))

    message, _code = only_error(expenditure_save, "amount", expenditure=spend(allocation, 9_000))

    assert "Rp 8.000" in message


def test_a_later_tranche_does_not_pay_for_earlier_spending(allocation, grant):
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(1_000))
    DisbursementFactory(grant=grant, date=day(7, 1), amount=Decimal(3_000))
    expenditure_save(expenditure=spend(allocation, 1_000, on=day(4, 1)))

    _message, code = only_error(
        expenditure_save, "amount", expenditure=spend(allocation, 500, on=day(6, 30))
    )
    assert code == "beyond_cash"
    expenditure_save(expenditure=spend(allocation, 500, on=day(7, 1)))


def test_spending_that_fits_its_day_but_leaves_a_later_one_uncovered_is_refused(allocation, grant):
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(2_000))
    expenditure_save(expenditure=spend(allocation, 2_000, on=day(6, 1)))

    message, _code = only_error(
        expenditure_save, "amount", expenditure=spend(allocation, 500, on=day(4, 1))
    )

    assert "1 Juni 2024" in message
    assert "Rp 500" in message


def test_moving_spending_earlier_than_the_cash_is_refused(allocation, grant):
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(1_000))
    DisbursementFactory(grant=grant, date=day(7, 1), amount=Decimal(1_000))
    later = expenditure_save(expenditure=spend(allocation, 1_500, on=day(7, 2)))
    later.date = day(4, 1)

    _message, code = only_error(expenditure_save, "amount", expenditure=later)

    assert code == "beyond_cash"
    later.refresh_from_db()
    assert later.date == day(7, 2)


def test_editing_spending_excludes_its_old_amount(allocation, cash):
    spending = expenditure_save(expenditure=spend(allocation, 4_000))
    spending.description = "Konsumsi rapat (dikoreksi)"

    expenditure_save(expenditure=spending)

    spending.refresh_from_db()
    assert spending.description == "Konsumsi rapat (dikoreksi)"


def test_spending_on_the_day_of_the_disbursement_counts_after_it(allocation, cash):
    expenditure_save(expenditure=spend(allocation, 4_000, on=cash.date))

    assert Expenditure.objects.count() == 1


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"amount": Decimal(3_000)}, "amount"),  # lowered below what was spent by then
        ({"date": day(6, 1)}, "date"),  # moved after the spending it paid for
    ],
)
def test_a_disbursement_that_spending_relies_on_is_not_cut_or_moved(
    allocation, grant, change, field
):
    tranche = DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(4_000))
    expenditure_save(expenditure=spend(allocation, 3_500, on=day(5, 2)))
    for name, value in change.items():
        setattr(tranche, name, value)

    message, code = only_error(disbursement_save, field, disbursement=tranche)

    assert code == "beyond_cash"
    assert "2 Mei 2024" in message
    assert "Rp 3.500" in message
    tranche.refresh_from_db()
    assert (tranche.date, tranche.amount) == (day(3, 1), Decimal(4_000))


def test_a_disbursement_that_spending_relies_on_is_not_deleted(allocation, grant):
    tranche = DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(4_000))
    expenditure_save(expenditure=spend(allocation, 500))

    with pytest.raises(ValidationError) as refused:
        disbursement_delete(disbursement=tranche)

    assert "Rp 500" in refused.value.messages[0]
    assert Disbursement.objects.filter(pk=tranche.pk).exists()


def test_a_disbursement_nothing_relies_on_is_lowered_and_deleted(allocation, grant):
    DisbursementFactory(grant=grant, date=day(3, 1), amount=Decimal(1_000))
    spare = DisbursementFactory(grant=grant, date=day(3, 2), amount=Decimal(2_000))
    expenditure_save(expenditure=spend(allocation, 1_000))
    spare.amount = Decimal(500)
    disbursement_save(disbursement=spare)

    disbursement_delete(disbursement=spare)

    assert not Disbursement.objects.filter(pk=spare.pk).exists()


# Budget lines (RAB) and allocations: both limit spending


def test_spending_beyond_the_allocation_is_refused_with_the_excess(allocation, cash):
    expenditure_save(expenditure=spend(allocation, 3_000))

    message, code = only_error(expenditure_save, "amount", expenditure=spend(allocation, 2_500))

    assert (code, "Rp 1.500" in message) == ("overflow", True)
    assert Expenditure.objects.count() == 1


def test_spending_counts_only_its_own_allocation(grant, activity, allocation, cash):
    """Room in another grant's allocation to the same activity makes no room here."""
    other_grant = GrantFactory(funder=grant.funder, amount=TEN_THOUSAND)
    AllocationFactory(grant=other_grant, activity=activity, amount=TEN_THOUSAND)
    ExpenditureFactory(grant=other_grant, activity=activity, amount=Decimal(9_000))

    message, _code = only_error(expenditure_save, "amount", expenditure=spend(allocation, 5_500))

    assert "Rp 1.500" in message


def test_a_grant_with_a_budget_asks_for_the_line(allocation, cash):
    _message, code = only_error(
        expenditure_save, "budget_line", expenditure=spend(allocation, 100, budget_line=None)
    )
    assert code == "required"


def test_spending_beyond_its_budget_line_is_refused(grant, allocation, cash, line):
    line.amount = Decimal(1_000)
    line.save()
    BudgetLineFactory(grant=grant, item="Lain-lain", amount=Decimal(9_000))

    message, code = only_error(expenditure_save, "amount", expenditure=spend(allocation, 1_200))

    assert code == "overflow"
    assert "Rp 200" in message


def test_a_line_of_another_grant_is_refused(allocation, cash):
    foreign = BudgetLineFactory()

    _message, code = only_error(
        expenditure_save, "budget_line", expenditure=spend(allocation, 1, budget_line=foreign)
    )
    assert code == "other_grant"


def test_a_grant_without_budget_takes_spending_without_a_line(csr_spending):
    expenditure_save(expenditure=csr_spending)

    assert Expenditure.objects.get().budget_line is None


@pytest.fixture
def csr_spending(db):
    csr = GrantFactory(funder__kind=Funder.Kind.CSR, amount=TEN_THOUSAND)
    allocation = AllocationFactory(grant=csr, amount=TEN_THOUSAND)
    DisbursementFactory(grant=csr, date=day(3, 1), amount=TEN_THOUSAND, reference="TRF 1")
    return spend(allocation, 1_000, budget_line=None)


# The grant itself


@pytest.mark.parametrize(
    ("records", "figure"),
    [("disbursed", "Rp 6.000"), ("allocated", "Rp 4.000"), ("budgeted", "Rp 5.000")],
)
def test_grant_amount_below_what_is_committed_is_refused(grant, activity, line, records, figure):
    line.amount = Decimal(5_000 if records == "budgeted" else 1_000)
    line.save()
    if records == "allocated":
        AllocationFactory(grant=grant, activity=activity, amount=Decimal(4_000))
    if records == "disbursed":
        DisbursementFactory(grant=grant, amount=Decimal(6_000))
    grant.amount = Decimal(900)

    message, code = only_error(grant_save, "amount", grant=grant)

    assert code == "below_committed"
    assert figure in message
    grant.refresh_from_db()
    assert grant.amount == TEN_THOUSAND


def test_grant_amount_down_to_what_is_committed_is_saved(grant, allocation, line):
    line.amount = allocation.amount
    line.save()
    grant.amount = allocation.amount

    grant_save(grant=grant)

    grant.refresh_from_db()
    assert grant.amount == allocation.amount


def test_grant_save_gives_hibah_apbd_its_lpj_due_date(db):
    funder = funder_save(funder=FunderFactory.build(body=FunderFactory().body))

    grant = grant_save(grant=GrantFactory.build(funder=funder, fiscal_year=2024))

    assert funder.kind == Funder.Kind.HIBAH_APBD
    assert grant.lpj_due_on == datetime.date(2025, 1, 10)


def test_grant_save_gives_csr_no_lpj_due_date(db):
    grant = grant_save(
        grant=GrantFactory.build(funder=FunderFactory(kind=Funder.Kind.CSR), fiscal_year=2024)
    )

    assert grant.lpj_due_on is None


def test_grant_save_keeps_a_given_lpj_due_date(db):
    grant = grant_save(
        grant=GrantFactory.build(
            funder=FunderFactory(), fiscal_year=2024, lpj_due_on=datetime.date(2025, 2, 1)
        )
    )

    assert grant.lpj_due_on == datetime.date(2025, 2, 1)


def test_the_amount_approved_is_at_most_the_amount_requested(db):
    errors = refusal(
        grant_save,
        grant=GrantFactory.build(
            funder=FunderFactory(), amount=Decimal(1_200), requested_amount=Decimal(1_000)
        ),
    )

    assert list(errors) == ["amount"]
    assert not Grant.objects.exists()


def test_negative_grant_is_refused_on_the_field_and_not_written(db):
    errors = refusal(grant_save, grant=GrantFactory.build(funder=FunderFactory(), amount=-1))

    assert "amount" in errors
    assert not Grant.objects.exists()


def test_grant_audit_refuses_stored_rows_beyond_the_grant(grant):
    AllocationFactory.create_batch(2, grant=grant, amount=Decimal(5_750))

    with pytest.raises(ValidationError) as refused:
        grant_audit(grant=grant)

    assert "Rp 1.500" in refused.value.messages[0]


# The messages


@pytest.mark.parametrize(("language", "english"), [("id", False), ("en", True)])
def test_overflow_message_speaks_the_active_language(grant, language, english):
    with translation.override(language):
        message, _code = only_error(
            disbursement_save, "amount", disbursement=disburse(grant, TEN_THOUSAND + EXCESS)
        )

    assert "Rp 1.500" in message
    assert ("would exceed" in message) is english


def test_overflow_message_is_indonesian_by_default(grant):
    message, _code = only_error(
        disbursement_save, "amount", disbursement=disburse(grant, TEN_THOUSAND + EXCESS)
    )

    assert "would exceed" not in message

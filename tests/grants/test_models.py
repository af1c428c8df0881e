import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from grants.models import (
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    RemainderReturn,
)
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
    DisbursementFactory,
    ExpenditureFactory,
    GrantFactory,
    LpjSubmissionFactory,
    RemainderReturnFactory,
)

pytestmark = pytest.mark.django_db

MONEY_FACTORIES = [
    GrantFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    BudgetLineFactory,
    RemainderReturnFactory,
]


@pytest.mark.parametrize("factory", MONEY_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_negative_amount_is_refused_by_the_database(factory):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(amount=Decimal(-1))


@pytest.mark.parametrize("factory", MONEY_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_negative_amount_by_update_is_refused_by_the_database(factory):
    record = factory()

    with pytest.raises(IntegrityError), transaction.atomic():
        factory._meta.model.objects.filter(pk=record.pk).update(amount=Decimal(-1))


@pytest.mark.parametrize("factory", MONEY_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_zero_amount_is_allowed(factory):
    assert factory(amount=Decimal(0)).pk


@pytest.mark.parametrize("factory", MONEY_FACTORIES, ids=lambda f: f._meta.model.__name__)
def test_full_clean_reports_a_negative_amount_on_the_amount_field(factory):
    record = factory()
    record.amount = Decimal(-1)

    with pytest.raises(ValidationError) as refused:
        record.full_clean()

    assert list(refused.value.message_dict) == ["amount"]


def test_an_activity_is_allocated_once_per_grant():
    allocation = AllocationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Allocation.objects.create(
            grant=allocation.grant, activity=allocation.activity, amount=Decimal(1)
        )


def test_with_totals_sums_each_kind_of_row_once_whatever_the_joins():
    """Several allocations, disbursements and expenditures: the sums do not multiply."""
    grant = GrantFactory(amount=Decimal(100_000_000))
    body = grant.funder.body
    first, second = ActivityFactory.create_batch(2, program__body=body)
    AllocationFactory(grant=grant, activity=first, amount=Decimal(30_000_000))
    AllocationFactory(grant=grant, activity=second, amount=Decimal(20_000_000))
    DisbursementFactory.create_batch(3, grant=grant, amount=Decimal(10_000_000))
    for activity, amount in [(first, 5_000_000), (first, 4_000_000), (second, 1_000_000)]:
        ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(amount))
    other = GrantFactory(funder=grant.funder, amount=Decimal(7))
    AllocationFactory(grant=other, activity=first, amount=Decimal(7))

    totals = Grant.objects.with_totals().get(pk=grant.pk)

    assert totals.allocated == Decimal(50_000_000)
    assert totals.disbursed == Decimal(30_000_000)
    assert totals.spent == Decimal(10_000_000)
    assert totals.unallocated == Decimal(50_000_000)
    assert totals.remaining == Decimal(90_000_000)


def test_with_totals_of_a_grant_without_rows_is_zero():
    grant = GrantFactory(amount=Decimal(85_000_000))

    totals = Grant.objects.with_totals().get(pk=grant.pk)

    assert (totals.allocated, totals.disbursed, totals.spent) == (0, 0, 0)
    assert totals.unallocated == totals.remaining == Decimal(85_000_000)


def test_with_totals_returns_each_grant_once():
    grant = GrantFactory()
    AllocationFactory.create_batch(3, grant=grant)
    DisbursementFactory.create_batch(2, grant=grant)

    assert Grant.objects.with_totals().count() == 1


@pytest.mark.parametrize(
    ("kind", "due"),
    [(Funder.Kind.HIBAH_APBD, datetime.date(2025, 1, 10)), (Funder.Kind.CSR, None)],
)
def test_default_lpj_due_date_is_10_january_next_year_for_hibah_apbd(kind, due):
    assert Grant.default_lpj_due_on(kind, 2024) == due


def test_lpj_overdue_lists_agreed_grants_past_due_without_a_standing_lpj():
    on = datetime.date(2025, 2, 1)
    due = datetime.date(2025, 1, 10)
    overdue = GrantFactory(lpj_due_on=due)
    returned = GrantFactory(lpj_due_on=due)
    LpjSubmissionFactory(
        grant=returned, outcome="returned", decided_on=due, review_note="Kurang kuitansi"
    )
    LpjSubmissionFactory(grant=GrantFactory(lpj_due_on=due), submitted_on=datetime.date(2025, 1, 9))
    LpjSubmissionFactory(grant=GrantFactory(lpj_due_on=due), accepted=True)
    GrantFactory(lpj_due_on=due, proposed=True)
    GrantFactory(lpj_due_on=due, outcome="cancelled", outcome_on=datetime.date(2024, 3, 1))
    GrantFactory(lpj_due_on=datetime.date(2025, 3, 1))

    assert set(Grant.objects.lpj_overdue(on)) == {overdue, returned}
    flagged = Grant.objects.with_lpj_overdue(on).filter(lpj_is_overdue=True)
    assert set(flagged) == {overdue, returned}


def test_an_lpj_submitted_after_a_date_does_not_count_on_that_date():
    grant = GrantFactory(lpj_due_on=datetime.date(2025, 1, 10))
    LpjSubmissionFactory(grant=grant, submitted_on=datetime.date(2025, 1, 8))

    assert list(Grant.objects.lpj_open(on=datetime.date(2024, 12, 11))) == [grant]
    assert not Grant.objects.lpj_open(on=datetime.date(2025, 1, 8)).exists()
    assert not Grant.objects.lpj_open().exists()


def test_agreed_grants_are_those_with_an_agreement_not_withdrawn():
    agreed = GrantFactory()
    GrantFactory(proposed=True)
    GrantFactory(outcome="cancelled", outcome_on=datetime.date(2024, 3, 1))

    assert list(Grant.objects.agreed()) == [agreed]


def test_the_database_keeps_the_outcome_dated_and_within_the_request():
    for fields in (
        {"outcome": "rejected"},  # without its date
        {"outcome_on": datetime.date(2024, 3, 1)},  # a date without an outcome
        {"outcome": "withdrawn", "outcome_on": datetime.date(2024, 3, 1)},
        {"amount": Decimal(2), "requested_amount": Decimal(1)},
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            GrantFactory(**fields)


def test_the_database_keeps_an_lpj_review_dated_after_its_submission():
    for fields in (
        {"outcome": "accepted"},  # without its date
        {"outcome": "accepted", "decided_on": datetime.date(2025, 1, 1)},  # before it
        {"outcome": "returned", "decided_on": datetime.date(2025, 1, 9)},  # without a note
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            LpjSubmissionFactory(**fields)


def test_money_is_kept_as_whole_rupiah_decimal():
    for model in (Grant, Allocation, Disbursement, Expenditure, BudgetLine, RemainderReturn):
        field = model._meta.get_field("amount")
        assert field.get_internal_type() == "DecimalField"
        assert field.decimal_places == 0

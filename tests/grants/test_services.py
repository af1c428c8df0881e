import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import translation

from grants import services
from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from grants.services import (
    allocation_delete,
    allocation_save,
    disbursement_save,
    expenditure_save,
    funder_save,
    grant_save,
)
from lkks.money import rupiah
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
)

TEN_THOUSAND = Decimal(10_000)
EXCESS = Decimal(1_500)
DATE = datetime.date(2024, 5, 2)


def refusal(save, **record):
    """The message_dict of a refused save."""
    with pytest.raises(ValidationError) as refused:
        save(**record)
    return refused.value.message_dict


def only_message(errors, field):
    assert list(errors) == [field]
    [message] = errors[field]
    return message


@pytest.fixture
def grant(db):
    return GrantFactory(amount=TEN_THOUSAND)


@pytest.fixture
def activity(grant):
    return ActivityFactory(program__body=grant.funder.body)


@pytest.fixture
def allocation(grant, activity):
    return AllocationFactory(grant=grant, activity=activity, amount=Decimal(4_000))


def new_expenditure(grant, activity, amount):
    return Expenditure(
        grant=grant, activity=activity, date=DATE, amount=Decimal(amount), description="Konsumsi"
    )


# Allocations


@pytest.mark.django_db
def test_allocations_up_to_the_grant_are_saved(grant, activity):
    other = ActivityFactory(program__body=grant.funder.body)
    allocation_save(allocation=Allocation(grant=grant, activity=activity, amount=Decimal(6_000)))

    allocation_save(allocation=Allocation(grant=grant, activity=other, amount=Decimal(4_000)))

    assert Allocation.objects.filter(grant=grant).count() == 2


@pytest.mark.django_db
def test_allocation_beyond_the_grant_is_refused_with_the_excess_and_nothing_written(
    grant, allocation
):
    other = ActivityFactory(program__body=grant.funder.body)

    errors = refusal(
        allocation_save,
        allocation=Allocation(grant=grant, activity=other, amount=Decimal(7_500)),
    )

    message = only_message(errors, "amount")
    assert rupiah(EXCESS) == "Rp 1.500"
    assert "Rp 1.500" in message
    assert Allocation.objects.count() == 1


@pytest.mark.django_db
def test_editing_an_allocation_excludes_itself_from_the_sum(grant, allocation):
    allocation.amount = TEN_THOUSAND

    allocation_save(allocation=allocation)

    allocation.refresh_from_db()
    assert allocation.amount == TEN_THOUSAND


@pytest.mark.django_db
def test_editing_an_allocation_beyond_the_grant_is_refused_and_keeps_the_old_amount(
    grant, allocation
):
    allocation.amount = TEN_THOUSAND + EXCESS

    message = only_message(refusal(allocation_save, allocation=allocation), "amount")

    assert "Rp 1.500" in message
    allocation.refresh_from_db()
    assert allocation.amount == Decimal(4_000)


@pytest.mark.django_db
def test_allocation_below_what_is_spent_is_refused(grant, activity, allocation):
    ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(3_000))
    allocation.amount = Decimal(2_500)

    message = only_message(refusal(allocation_save, allocation=allocation), "amount")

    assert "Rp 3.000" in message
    allocation.refresh_from_db()
    assert allocation.amount == Decimal(4_000)


@pytest.mark.django_db
def test_allocation_to_an_activity_of_another_body_is_refused(grant):
    foreign = ActivityFactory()

    errors = refusal(
        allocation_save,
        allocation=Allocation(grant=grant, activity=foreign, amount=Decimal(1)),
    )

    assert list(errors) == ["activity"]
    assert not Allocation.objects.exists()


@pytest.mark.django_db
def test_allocation_of_a_negative_amount_is_refused_on_the_field(grant, activity):
    errors = refusal(
        allocation_save,
        allocation=Allocation(grant=grant, activity=activity, amount=Decimal(-1)),
    )

    assert "amount" in errors
    assert not Allocation.objects.exists()


# Disbursements


@pytest.mark.django_db
def test_disbursements_up_to_the_grant_are_saved(grant):
    for amount in (6_000, 4_000):
        disbursement_save(disbursement=Disbursement(grant=grant, date=DATE, amount=Decimal(amount)))

    assert Disbursement.objects.filter(grant=grant).count() == 2


@pytest.mark.django_db
def test_disbursement_beyond_the_grant_is_refused_with_the_excess_and_nothing_written(grant):
    DisbursementFactory(grant=grant, amount=Decimal(6_000))

    errors = refusal(
        disbursement_save,
        disbursement=Disbursement(grant=grant, date=DATE, amount=Decimal(5_500)),
    )

    assert "Rp 1.500" in only_message(errors, "amount")
    assert Disbursement.objects.count() == 1


@pytest.mark.django_db
def test_editing_a_disbursement_excludes_itself_from_the_sum(grant):
    DisbursementFactory(grant=grant, amount=Decimal(4_000))
    tranche = DisbursementFactory(grant=grant, amount=Decimal(6_000))
    tranche.amount = Decimal(6_000)
    disbursement_save(disbursement=tranche)
    tranche.amount = Decimal(5_000)

    disbursement_save(disbursement=tranche)

    tranche.refresh_from_db()
    assert tranche.amount == Decimal(5_000)


@pytest.mark.django_db
def test_editing_a_disbursement_beyond_the_grant_is_refused_and_keeps_the_old_amount(grant):
    DisbursementFactory(grant=grant, amount=Decimal(4_000))
    tranche = DisbursementFactory(grant=grant, amount=Decimal(6_000))
    tranche.amount = Decimal(7_500)

    errors = refusal(disbursement_save, disbursement=tranche)

    assert "Rp 1.500" in only_message(errors, "amount")
    tranche.refresh_from_db()
    assert tranche.amount == Decimal(6_000)


# Expenditures


@pytest.mark.django_db
def test_expenditure_up_to_the_allocation_is_saved(grant, activity, allocation):
    expenditure_save(expenditure=new_expenditure(grant, activity, 2_500))
    expenditure_save(expenditure=new_expenditure(grant, activity, 1_500))

    assert Expenditure.objects.filter(grant=grant, activity=activity).count() == 2


@pytest.mark.django_db
def test_expenditure_beyond_the_allocation_is_refused_with_the_excess(grant, activity, allocation):
    ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(3_000))

    errors = refusal(expenditure_save, expenditure=new_expenditure(grant, activity, 2_500))

    assert "Rp 1.500" in only_message(errors, "amount")
    assert Expenditure.objects.count() == 1


@pytest.mark.django_db
def test_expenditure_counts_only_the_allocation_of_that_grant_to_that_activity(
    grant, activity, allocation
):
    """Room left in the grant, or in another grant's allocation to the activity, does
    not make room for spending."""
    other_grant = GrantFactory(funder=grant.funder, amount=TEN_THOUSAND)
    AllocationFactory(grant=other_grant, activity=activity, amount=TEN_THOUSAND)
    ExpenditureFactory(grant=other_grant, activity=activity, amount=Decimal(9_000))

    errors = refusal(expenditure_save, expenditure=new_expenditure(grant, activity, 5_500))

    assert "Rp 1.500" in only_message(errors, "amount")


@pytest.mark.django_db
def test_expenditure_on_an_activity_without_allocation_is_refused_on_activity(grant, activity):
    errors = refusal(expenditure_save, expenditure=new_expenditure(grant, activity, 1))

    only_message(errors, "activity")
    assert not Expenditure.objects.exists()


@pytest.mark.django_db
def test_expenditure_on_an_activity_of_another_body_is_refused_on_activity(grant, allocation):
    foreign = ActivityFactory()

    errors = refusal(expenditure_save, expenditure=new_expenditure(grant, foreign, 1))

    only_message(errors, "activity")
    assert not Expenditure.objects.exists()


@pytest.mark.django_db
def test_editing_an_expenditure_excludes_itself_from_the_sum(grant, activity, allocation):
    spending = ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(4_000))
    spending.description = "Konsumsi rapat (dikoreksi)"

    expenditure_save(expenditure=spending)

    spending.refresh_from_db()
    assert spending.description == "Konsumsi rapat (dikoreksi)"


# Grants


@pytest.mark.django_db
def test_grant_amount_below_what_is_allocated_is_refused(grant, allocation):
    grant.amount = Decimal(2_500)

    errors = refusal(grant_save, grant=grant)

    assert "Rp 4.000" in only_message(errors, "amount")
    grant.refresh_from_db()
    assert grant.amount == TEN_THOUSAND


@pytest.mark.django_db
def test_grant_amount_below_what_is_disbursed_is_refused(grant):
    DisbursementFactory(grant=grant, amount=Decimal(6_000))
    grant.amount = Decimal(5_000)

    errors = refusal(grant_save, grant=grant)

    assert "Rp 6.000" in only_message(errors, "amount")
    grant.refresh_from_db()
    assert grant.amount == TEN_THOUSAND


@pytest.mark.django_db
def test_grant_amount_down_to_what_is_committed_is_saved(grant, allocation):
    grant.amount = allocation.amount

    grant_save(grant=grant)

    grant.refresh_from_db()
    assert grant.amount == allocation.amount


@pytest.mark.django_db
def test_grant_save_gives_hibah_apbd_its_lpj_due_date(db):
    funder = funder_save(funder=FunderFactory.build(body=FunderFactory().body))

    grant = grant_save(grant=GrantFactory.build(funder=funder, fiscal_year=2024))

    assert funder.kind == Funder.Kind.HIBAH_APBD
    assert grant.lpj_due_on == datetime.date(2025, 1, 10)


@pytest.mark.django_db
def test_grant_save_gives_csr_no_lpj_due_date(db):
    funder = FunderFactory(kind=Funder.Kind.CSR)

    grant = grant_save(grant=GrantFactory.build(funder=funder, fiscal_year=2024))

    assert grant.lpj_due_on is None


@pytest.mark.django_db
def test_grant_save_keeps_a_given_lpj_due_date(db):
    funder = FunderFactory()

    grant = grant_save(
        grant=GrantFactory.build(
            funder=funder, fiscal_year=2024, lpj_due_on=datetime.date(2025, 2, 1)
        )
    )

    assert grant.lpj_due_on == datetime.date(2025, 2, 1)


@pytest.mark.django_db
def test_negative_grant_is_refused_on_the_field_and_not_written(db):
    errors = refusal(grant_save, grant=GrantFactory.build(funder=FunderFactory(), amount=-1))

    assert "amount" in errors
    assert not Grant.objects.exists()


@pytest.mark.django_db
def test_grant_check_totals_refuses_stored_rows_beyond_the_grant(grant):
    DisbursementFactory.create_batch(2, grant=grant, amount=Decimal(5_750))

    with pytest.raises(ValidationError) as refused:
        services.grant_check_totals(grant=grant)

    assert "Rp 1.500" in refused.value.messages[0]


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "english"), [("id", False), ("en", True)])
def test_overflow_message_speaks_the_active_language(grant, language, english):
    with translation.override(language), pytest.raises(ValidationError) as refused:
        disbursement_save(
            disbursement=Disbursement(grant=grant, date=DATE, amount=TEN_THOUSAND + EXCESS)
        )

    message = only_message(refused.value.message_dict, "amount")
    assert "Rp 1.500" in message
    assert ("would exceed" in message) is english


@pytest.mark.django_db
def test_overflow_message_is_indonesian_by_default(grant):
    errors = refusal(
        disbursement_save,
        disbursement=Disbursement(grant=grant, date=DATE, amount=TEN_THOUSAND + EXCESS),
    )

    assert "would exceed" not in only_message(errors, "amount")


@pytest.mark.django_db
def test_overflow_is_refused_with_the_code_overflow(grant):
    with pytest.raises(ValidationError) as refused:
        disbursement_save(
            disbursement=Disbursement(grant=grant, date=DATE, amount=TEN_THOUSAND + EXCESS)
        )

    assert [error.code for error in refused.value.error_dict["amount"]] == ["overflow"]


# Two staff disbursing at the same moment


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_disbursements_cannot_together_overflow_the_grant(monkeypatch):
    """Both saves enter their transaction before either locks the grant; without the
    row lock both would see nothing disbursed and both would be written."""
    lock_grant, check = services._lock_grant, services.disbursement_check
    barrier = threading.Barrier(2, timeout=10)

    def lock_when_both_are_in_their_transaction(grant_id):
        barrier.wait()
        return lock_grant(grant_id)

    def check_slowly(**kwargs):
        time.sleep(0.1)  # wide open window for the other save, if the lock were missing
        return check(**kwargs)

    monkeypatch.setattr(services, "_lock_grant", lock_when_both_are_in_their_transaction)
    monkeypatch.setattr(services, "disbursement_check", check_slowly)

    for _round in range(3):
        grant = GrantFactory(amount=TEN_THOUSAND)
        barrier.reset()
        outcomes = []

        def disburse(grant=grant, outcomes=outcomes):
            try:
                disbursement_save(
                    disbursement=Disbursement(grant=grant, date=DATE, amount=Decimal(6_000))
                )
                outcomes.append("saved")
            except ValidationError as error:
                outcomes.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=disburse) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert outcomes.count("saved") == 1, outcomes
        [refused] = [outcome for outcome in outcomes if outcome != "saved"]
        assert "Rp 2.000" in refused.message_dict["amount"][0]
        total = sum(d.amount for d in Disbursement.objects.filter(grant=grant))
        assert total == Decimal(6_000) <= grant.amount


@pytest.mark.django_db
def test_an_allocation_with_spending_cannot_move_to_another_activity():
    allocation = AllocationFactory(amount=Decimal(10_000))
    ExpenditureFactory(grant=allocation.grant, activity=allocation.activity, amount=Decimal(500))
    allocation.activity = ActivityFactory(program=allocation.activity.program)
    with pytest.raises(ValidationError) as refused:
        allocation_save(allocation=allocation)
    assert refused.value.error_dict["activity"][0].code == "spent_elsewhere"


@pytest.mark.django_db
def test_an_allocation_with_spending_cannot_be_deleted_but_an_unspent_one_can():
    spent = AllocationFactory(amount=Decimal(10_000))
    ExpenditureFactory(grant=spent.grant, activity=spent.activity, amount=Decimal(500))
    with pytest.raises(ValidationError):
        allocation_delete(allocation=spent)
    assert Allocation.objects.filter(pk=spent.pk).exists()
    unspent = AllocationFactory(grant=spent.grant, amount=Decimal(1_000))
    allocation_delete(allocation=unspent)
    assert not Allocation.objects.filter(pk=unspent.pk).exists()

"""Staff saving at the same moment cannot together break a rule that each save alone
keeps: every write locks its grant's row first (PostgreSQL only: SQLite serialises
all writers anyway).

Each test starts at least eight threads that all enter their transaction and wait for
one another just before taking the lock, so that without it every one of them would
read the same sums; the sums are checked afterwards."""

import contextlib
import datetime
import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from grants import services
from grants.models import Allocation, Disbursement, Expenditure, RemainderReturn
from grants.services import ledger
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
    DisbursementFactory,
    GrantFactory,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

THREADS = 10
MARCH = datetime.date(2024, 3, 1)
MAY = datetime.date(2024, 5, 2)


@pytest.fixture
def at_once(monkeypatch):
    """``at_once(*calls)``: run each call in its own thread, all of them taking the grant
    lock at the same moment, slowly; the outcome of each ("saved" or the refusal; any
    other error fails the test)."""
    lock_grants = ledger.lock_grants

    def run(*calls):
        barrier = threading.Barrier(len(calls), timeout=20)

        def lock_together(*grant_ids):
            # A thread refused before its lock breaks the barrier: the others go on.
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
            locked = lock_grants(*grant_ids)
            time.sleep(0.05)  # a wide window for another save, were the lock missing
            return locked

        monkeypatch.setattr(ledger, "lock_grants", lock_together)
        outcomes = [None] * len(calls)

        def work(index, call):
            try:
                call()
                outcomes[index] = "saved"
            except ValidationError as error:
                outcomes[index] = error
            except Exception as error:
                outcomes[index] = f"failed: {error!r}"
                raise
            finally:
                connection.close()

        threads = [
            threading.Thread(target=work, args=(index, call)) for index, call in enumerate(calls)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        monkeypatch.setattr(ledger, "lock_grants", lock_grants)
        # Each save is either written or refused with a message: never a database error.
        assert not [o for o in outcomes if o is None or str(o).startswith("failed")], outcomes
        return outcomes

    return run


def total(queryset):
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def cash_grant(amount=10_000, cash=10_000):
    """A hibah with a budget making all of it, and ``cash`` paid out in March."""
    grant = GrantFactory(amount=Decimal(amount))
    BudgetLineFactory(grant=grant, item="Semua", amount=Decimal(amount))
    if cash:
        DisbursementFactory(grant=grant, date=MARCH, amount=Decimal(cash))
    return grant


def spending(allocation, amount, on=MAY):
    def call():
        services.expenditure_save(
            expenditure=Expenditure(
                allocation=allocation,
                budget_line=allocation.grant.budget_lines.get(),
                date=on,
                amount=Decimal(amount),
                description="Konsumsi",
            )
        )

    return call


def test_allocations_at_once_never_exceed_the_grant(at_once):
    grant = cash_grant(cash=0)
    activities = ActivityFactory.create_batch(THREADS, program__body=grant.funder.body)

    outcomes = at_once(
        *(
            lambda activity=activity: services.allocation_save(
                allocation=Allocation(grant=grant, activity=activity, amount=Decimal(2_000))
            )
            for activity in activities
        )
    )

    assert outcomes.count("saved") == 5, outcomes
    assert total(Allocation.objects.filter(grant=grant)) == Decimal(10_000)


def test_disbursements_at_once_never_exceed_the_grant(at_once):
    grant = cash_grant(cash=0)

    def disburse():
        services.disbursement_save(
            disbursement=Disbursement(
                grant=grant, date=MARCH, amount=Decimal(3_000), reference="SP2D"
            )
        )

    outcomes = at_once(*[disburse] * THREADS)

    assert outcomes.count("saved") == 3, outcomes
    refused = [outcome for outcome in outcomes if outcome != "saved"]
    assert all("Rp 2.000" in error.message_dict["amount"][0] for error in refused)
    assert total(Disbursement.objects.filter(grant=grant)) == Decimal(9_000)


def test_spending_at_once_never_exceeds_the_cash_received(at_once):
    grant = cash_grant(cash=6_000)
    allocation = AllocationFactory(grant=grant, amount=Decimal(10_000))

    outcomes = at_once(*[spending(allocation, 1_000)] * THREADS)

    assert outcomes.count("saved") == 6, outcomes
    assert total(Expenditure.objects.filter(grant=grant)) == Decimal(6_000)


def test_spending_at_once_never_exceeds_the_allocation(at_once):
    grant = cash_grant()
    allocation = AllocationFactory(grant=grant, amount=Decimal(4_000))

    outcomes = at_once(*[spending(allocation, 1_000)] * THREADS)

    assert outcomes.count("saved") == 4, outcomes
    assert total(Expenditure.objects.filter(allocation=allocation)) == Decimal(4_000)


def test_cutting_an_allocation_while_staff_spend_from_it(at_once):
    """Eight spend Rp 1.000 each from Rp 10.000 while four cut it to Rp 4.000: either
    the cut comes first and stops the spending at Rp 4.000, or the spending does and
    the cut is refused; the allocation never ends below what was spent from it."""
    grant = cash_grant()
    allocation = AllocationFactory(grant=grant, amount=Decimal(10_000))

    def cut():
        mine = Allocation.objects.get(pk=allocation.pk)
        mine.amount = Decimal(4_000)
        services.allocation_save(allocation=mine)

    at_once(*[spending(allocation, 1_000)] * 8, *[cut] * 4)

    allocation.refresh_from_db()
    spent = total(Expenditure.objects.filter(allocation=allocation))
    assert spent <= allocation.amount
    assert spent > 0


def test_deleting_an_allocation_while_staff_spend_from_it(at_once):
    grant = cash_grant()
    allocation = AllocationFactory(grant=grant, amount=Decimal(10_000))

    def delete():
        services.allocation_delete(allocation=Allocation.objects.get(pk=allocation.pk))

    outcomes = at_once(*[spending(allocation, 1_000)] * 8, delete)

    spent = total(Expenditure.objects.filter(grant=grant))
    if Allocation.objects.filter(pk=allocation.pk).exists():
        assert outcomes[-1] != "saved"
        assert spent > 0
    else:
        assert outcomes[-1] == "saved"
        assert spent == 0
    assert "saved" in outcomes


def test_cutting_a_disbursement_while_staff_spend_the_cash(at_once):
    """Eight spend Rp 1.000 each of the Rp 10.000 received while four lower the
    disbursement to Rp 5.000: the spending never ends above the cash."""
    grant = cash_grant(cash=0)
    tranche = DisbursementFactory(grant=grant, date=MARCH, amount=Decimal(10_000))
    allocation = AllocationFactory(grant=grant, amount=Decimal(10_000))

    def cut():
        mine = Disbursement.objects.get(pk=tranche.pk)
        mine.amount = Decimal(5_000)
        services.disbursement_save(disbursement=mine)

    at_once(*[spending(allocation, 1_000)] * 8, *[cut] * 4)

    tranche.refresh_from_db()
    assert total(Expenditure.objects.filter(grant=grant)) <= tranche.amount
    assert ledger.Ledger(grant).first_shortfall() is None


def test_returning_the_remainder_while_staff_spend_it(at_once):
    """Eight spend Rp 1.000 each while four return Rp 2.000 each of the Rp 8.000 held:
    what went out never exceeds what came in."""
    grant = cash_grant(cash=8_000)
    allocation = AllocationFactory(grant=grant, amount=Decimal(10_000))

    def give_back():
        services.return_save(
            remainder_return=RemainderReturn(
                grant=grant, date=MAY, amount=Decimal(2_000), reference="STS 1"
            )
        )

    outcomes = at_once(*[spending(allocation, 1_000)] * 8, *[give_back] * 4)

    out = total(Expenditure.objects.filter(grant=grant)) + total(
        RemainderReturn.objects.filter(grant=grant)
    )
    assert out == Decimal(8_000)  # every thread either fitted or was refused at the edge
    assert outcomes.count("saved") >= 4
    assert ledger.Ledger(grant).first_shortfall() is None

"""Migrations 0003 to 0005 carry each grant's stored status, agreement fields and LPJ date
into the records its stage is now derived from, and tie today's spending to its
allocation, without losing what the old fields said."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from grants.models import Agreement, Allocation, Expenditure, Grant, LpjSubmission, Stage
from tests.factories import ActivityFactory, FunderFactory

BEFORE = [("grants", "0002_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


# Serialised like the race tests: a transactional test that flushes without restoring
# would take the regions (loaded by a data migration) from the tests after it.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_stored_status_moves_into_records_without_loss():
    funder = FunderFactory(name="Pemerintah Kabupaten Kampar")
    activity, orphan = ActivityFactory.create_batch(2, program__body=funder.body)
    old = migrate(BEFORE)
    try:
        old_grants = old.get_model("grants", "Grant")
        old_allocations = old.get_model("grants", "Allocation")
        old_disbursements = old.get_model("grants", "Disbursement")
        old_expenditures = old.get_model("grants", "Expenditure")

        def grant(name, status, **fields):
            return old_grants.objects.create(
                funder_id=funder.pk,
                fiscal_year=2024,
                name=name,
                amount=Decimal(100_000),
                status=status,
                **fields,
            )

        proposed = grant("usulan", "proposed", agreement_number="NPHD/draft")
        approved = grant(
            "disetujui",
            "approved",
            agreement_kind="nphd",
            agreement_number="NPHD/01/2024",
            agreement_date=datetime.date(2024, 2, 1),
        )
        received = grant("diterima", "received", agreement_kind="other", agreement_number="PKS/2")
        accounted = grant("di-LPJ-kan", "accounted", lpj_submitted_on=datetime.date(2025, 1, 8))
        closed = grant("ditutup", "closed")
        allocation = old_allocations.objects.create(
            grant_id=received.pk, activity_id=activity.pk, amount=Decimal(40_000)
        )
        old_disbursements.objects.create(
            grant_id=received.pk, date=datetime.date(2024, 3, 1), amount=Decimal(60_000)
        )
        for spending_activity, amount in ((activity, 5_000), (orphan, 7_000), (orphan, 1_000)):
            old_expenditures.objects.create(
                grant_id=received.pk,
                activity_id=spending_activity.pk,
                date=datetime.date(2024, 5, 2),
                amount=Decimal(amount),
                description="Konsumsi",
            )
        old_disbursements.objects.create(
            grant_id=closed.pk, date=datetime.date(2024, 3, 1), amount=Decimal(10_000)
        )
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    stages = dict(Grant.objects.with_stage().values_list("name", "stage"))
    assert stages == {
        "usulan": Stage.PROPOSED,
        "disetujui": Stage.APPROVED,
        "diterima": Stage.DISBURSED,
        "di-LPJ-kan": Stage.LPJ_SUBMITTED,
        "ditutup": Stage.LPJ_ACCEPTED,  # Rp 10.000 still held: not closed
    }
    nphd = Agreement.objects.get(grant=approved.pk)
    assert (nphd.kind, nphd.number, nphd.signed_on) == (
        "nphd",
        "NPHD/01/2024",
        datetime.date(2024, 2, 1),
    )
    assert Agreement.objects.get(grant=received.pk).kind == "cooperation"
    assert not Agreement.objects.filter(grant=proposed.pk).exists()
    assert "NPHD/draft" in Grant.objects.get(pk=proposed.pk).notes
    assert LpjSubmission.objects.get(grant=accounted.pk).submitted_on == datetime.date(2025, 1, 8)
    assert LpjSubmission.objects.get(grant=closed.pk).outcome == "accepted"
    assert "ditutup" in Grant.objects.get(pk=closed.pk).notes
    assert "tidak tercatat" in Grant.objects.get(pk=closed.pk).notes  # its LPJ date

    spending = Expenditure.objects.filter(grant=received.pk)
    assert not spending.filter(allocation__isnull=True).exists()
    assert spending.get(activity=activity.pk).allocation_id == allocation.pk
    made = Allocation.objects.get(grant=received.pk, activity=orphan.pk)
    assert made.amount == Decimal(8_000)  # what the orphan spending needs, said in the notes
    assert "8.000" in Grant.objects.get(pk=received.pk).notes

from decimal import Decimal

import pytest
from django.urls import reverse

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
)

pytestmark = pytest.mark.django_db


def grants_with_money(count):
    """Grants of their own funders and bodies, each allocated, disbursed and spent."""
    for _ in range(count):
        allocation = AllocationFactory()
        DisbursementFactory(grant=allocation.grant)
        ExpenditureFactory(grant=allocation.grant, activity=allocation.activity)


def expenditures(count):
    for _ in range(count):
        allocation = AllocationFactory()
        ExpenditureFactory(grant=allocation.grant, activity=allocation.activity)


@pytest.mark.parametrize(
    ("model", "make"),
    [
        (Funder, FunderFactory.create_batch),
        (Grant, grants_with_money),
        (Allocation, AllocationFactory.create_batch),
        (Disbursement, DisbursementFactory.create_batch),
        (Expenditure, expenditures),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_grant_changelists_queries_do_not_grow_with_rows(
    model, make, assert_changelist_queries_constant
):
    assert_changelist_queries_constant(model, make)


def test_grant_changelist_shows_the_totals(admin_client):
    grants_with_money(1)

    response = admin_client.get(reverse("admin:grants_grant_changelist"))

    [grant] = response.context["cl"].result_list
    assert (grant.allocated, grant.disbursed, grant.spent) == (
        Decimal(10_000_000),
        Decimal(10_000_000),
        Decimal(1_000_000),
    )
    assert "Rp 10.000.000" in response.text


def grant_form(grant, *, amount=None, allocations=(), disbursements=()):
    """The POST data of a grant's change page with the given inline rows."""
    data = {
        "funder": grant.funder_id,
        "fiscal_year": grant.fiscal_year,
        "name": grant.name,
        "agreement_kind": grant.agreement_kind,
        "agreement_number": grant.agreement_number,
        "agreement_date": grant.agreement_date.isoformat(),
        "amount": str(grant.amount if amount is None else amount),
        "status": grant.status,
        "lpj_due_on": "",
        "lpj_submitted_on": "",
        "held_at": grant.held_at,
        "notes": "",
    }
    for prefix, rows in (("allocations", allocations), ("disbursements", disbursements)):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = str(value)
    return data


def test_grant_inlines_together_beyond_the_grant_are_refused_with_the_excess(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    first, second = ActivityFactory.create_batch(2, program__body=grant.funder.body)

    response = admin_client.post(
        reverse("admin:grants_grant_change", args=[grant.pk]),
        grant_form(
            grant,
            allocations=[
                {"activity": first.pk, "amount": 6_000},
                {"activity": second.pk, "amount": 5_500},
            ],
        ),
    )

    assert response.status_code == 200
    [allocations] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "allocations"
    ]
    assert "Rp 1.500" in str(allocations.non_form_errors())
    assert not Allocation.objects.exists()


def test_grant_inlines_within_the_grant_are_saved(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    activity = ActivityFactory(program__body=grant.funder.body)

    response = admin_client.post(
        reverse("admin:grants_grant_change", args=[grant.pk]),
        grant_form(
            grant,
            allocations=[{"activity": activity.pk, "amount": 10_000}],
            disbursements=[{"date": "2024-03-15", "amount": 6_000, "reference": "SP2D 1"}],
        ),
    )

    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal(10_000)
    assert Disbursement.objects.get().amount == Decimal(6_000)


def test_grant_amount_below_allocations_is_refused_in_the_admin_on_the_field(admin_client):
    allocation = AllocationFactory(amount=Decimal(10_000))
    grant = allocation.grant

    response = admin_client.post(
        reverse("admin:grants_grant_change", args=[grant.pk]),
        grant_form(grant, amount=9_000),
    )

    assert response.status_code == 200
    assert "Rp 10.000" in str(response.context["adminform"].form.errors["amount"])
    grant.refresh_from_db()
    assert grant.amount == Decimal(100_000_000)


def test_disbursement_beyond_the_grant_is_refused_in_the_admin_on_the_field(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    DisbursementFactory(grant=grant, amount=Decimal(6_000))

    response = admin_client.post(
        reverse("admin:grants_disbursement_add"),
        {"grant": grant.pk, "date": "2024-07-15", "amount": "5500", "reference": "", "notes": ""},
    )

    assert response.status_code == 200
    assert "Rp 1.500" in str(response.context["adminform"].form.errors["amount"])
    assert Disbursement.objects.count() == 1


def test_expenditure_without_allocation_is_refused_in_the_admin_on_activity(admin_client):
    grant = GrantFactory()
    activity = ActivityFactory(program__body=grant.funder.body)

    response = admin_client.post(
        reverse("admin:grants_expenditure_add"),
        {
            "grant": grant.pk,
            "activity": activity.pk,
            "date": "2024-05-02",
            "amount": "1000",
            "description": "Konsumsi",
            "receipt_number": "",
        },
    )

    assert response.status_code == 200
    assert "activity" in response.context["adminform"].form.errors
    assert not Expenditure.objects.exists()


def test_grant_inline_allocation_to_another_body_is_refused(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    foreign = ActivityFactory()

    admin_client.post(
        reverse("admin:grants_grant_change", args=[grant.pk]),
        grant_form(grant, allocations=[{"activity": foreign.pk, "amount": 1_000}]),
    )

    assert not Allocation.objects.exists()

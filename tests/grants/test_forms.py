"""Bad input on the grants forms: refused on the field that is wrong, nothing written.

The messages are checked by field, code and the Rupiah figures they carry rather than
by their words, which depend on the translation catalogue."""

import datetime

import pytest
from django.urls import reverse

from grants.forms import AllocationForm, FunderForm, GrantForm
from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from tests.factories import AllocationFactory, DisbursementFactory, FunderFactory, GrantFactory
from tests.grants.conftest import JUTA


def refused(response, field):
    """The errors on ``field`` of a refused form (as ValidationErrors, with codes)."""
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert field in errors, errors
    return errors[field]


def messages(errors):
    return " ".join(message for error in errors for message in error.messages)


def grant_data(funder, **changes):
    return {
        "funder": funder.pk,
        "fiscal_year": 2024,
        "name": "Hibah baru",
        "amount": "10000000",
        **changes,
    }


# Negative amounts


def test_a_negative_grant_amount_is_refused_on_the_amount(staff_client, funder):
    response = staff_client.post(reverse("grants:grant-create"), grant_data(funder, amount="-1"))
    refused(response, "amount")
    assert not Grant.objects.exists()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("allocation-create", {"amount": "-5000"}),
        ("disbursement-create", {"date": "2024-04-01", "amount": "-5000", "reference": "S"}),
        (
            "expenditure-create",
            {"date": "2024-05-02", "amount": "-5000", "description": "Konsumsi"},
        ),
    ],
)
def test_a_negative_amount_is_refused_on_the_amount(staff_client, allocation, name, data):
    before = (Allocation.objects.count(), Disbursement.objects.count(), Expenditure.objects.count())
    data.setdefault("activity", allocation.activity_id)
    data.setdefault("allocation", allocation.pk)
    response = staff_client.post(reverse(f"grants:{name}", args=[allocation.grant_id]), data)
    refused(response, "amount")
    after = (Allocation.objects.count(), Disbursement.objects.count(), Expenditure.objects.count())
    assert after == before


def test_an_amount_that_is_not_a_number_is_refused(staff_client, grant):
    response = staff_client.post(
        reverse("grants:disbursement-create", args=[grant.pk]),
        {"date": "2024-04-01", "amount": "sepuluh juta"},
    )
    [error] = refused(response, "amount")
    assert error.code == "invalid"


# Overflow: the sums never pass the grant or the allocation


def test_allocations_beyond_the_grant_are_refused_saying_by_how_much(
    staff_client, allocation, other_activity
):
    # The grant is Rp 100 juta and Rp 40 juta is already allocated.
    response = staff_client.post(
        reverse("grants:allocation-create", args=[allocation.grant_id]),
        {"activity": other_activity.pk, "amount": "61000000"},
    )
    assert "Rp 1.000.000" in messages(refused(response, "amount"))
    assert Allocation.objects.count() == 1


def test_raising_an_allocation_beyond_the_grant_is_refused(
    staff_client, submit, allocation, other_activity
):
    AllocationFactory(grant=allocation.grant, activity=other_activity, amount=50 * JUTA)
    url = reverse("grants:allocation-update", args=[allocation.pk])
    response = submit(staff_client, url, amount="50001000")
    assert "Rp 1.000" in messages(refused(response, "amount"))
    allocation.refresh_from_db()
    assert allocation.amount == 40 * JUTA


def test_disbursements_beyond_the_grant_are_refused_saying_by_how_much(staff_client, grant):
    DisbursementFactory(grant=grant, amount=90 * JUTA)
    response = staff_client.post(
        reverse("grants:disbursement-create", args=[grant.pk]),
        {"date": "2024-06-01", "amount": "12500000", "reference": "SP2D 9"},
    )
    assert "Rp 2.500.000" in messages(refused(response, "amount"))
    assert Disbursement.objects.count() == 1


def test_spending_beyond_the_allocation_is_refused_saying_by_how_much(staff_client, expenditure):
    # Rp 40 juta allocated, Rp 5 juta already spent (of Rp 60 juta paid out).
    response = staff_client.post(
        reverse("grants:expenditure-create", args=[expenditure.grant_id]),
        {
            "allocation": expenditure.allocation_id,
            "budget_line": expenditure.budget_line_id,
            "date": "2024-05-10",
            "amount": "35750000",
            "description": "Sewa gedung",
        },
    )
    assert "Rp 750.000" in messages(refused(response, "amount"))
    assert Expenditure.objects.count() == 1


def test_spending_beyond_the_cash_received_is_refused_saying_by_how_much(
    staff_client, allocation, disbursement, line
):
    # Rp 60 juta paid out on 15 March; the allocation is Rp 40 juta.
    allocation.amount = 70 * JUTA
    allocation.save()
    response = staff_client.post(
        reverse("grants:expenditure-create", args=[allocation.grant_id]),
        {
            "allocation": allocation.pk,
            "budget_line": line.pk,
            "date": "2024-05-10",
            "amount": "61000000",
            "description": "Sewa gedung",
        },
    )
    assert "Rp 1.000.000" in messages(refused(response, "amount"))
    assert not Expenditure.objects.exists()


def test_spending_before_the_money_came_is_refused_on_the_date(
    staff_client, allocation, disbursement, line
):
    response = staff_client.post(
        reverse("grants:expenditure-create", args=[allocation.grant_id]),
        {
            "allocation": allocation.pk,
            "budget_line": line.pk,
            "date": "2024-03-14",
            "amount": "1000",
            "description": "Konsumsi",
        },
    )
    [error] = refused(response, "date")
    assert error.code == "before_cash"
    assert not Expenditure.objects.exists()


def test_an_allocation_cannot_drop_below_what_was_spent(staff_client, submit, expenditure):
    allocation = Allocation.objects.get()
    url = reverse("grants:allocation-update", args=[allocation.pk])
    response = submit(staff_client, url, amount="4000000")
    assert "Rp 5.000.000" in messages(refused(response, "amount"))
    allocation.refresh_from_db()
    assert allocation.amount == 40 * JUTA


def test_a_grant_cannot_drop_below_what_was_allocated(staff_client, submit, allocation):
    url = reverse("grants:grant-update", args=[allocation.grant_id])
    response = submit(staff_client, url, amount="30000000")
    assert "Rp 40.000.000" in messages(refused(response, "amount"))
    assert Grant.objects.get().amount == 100 * JUTA


# Tampering: choices of another body, an extra body field


def test_an_activity_of_another_body_cannot_be_allocated(staff_client, grant, sleman_activity):
    response = staff_client.post(
        reverse("grants:allocation-create", args=[grant.pk]),
        {"activity": sleman_activity.pk, "amount": "1000000"},
    )
    [error] = refused(response, "activity")
    assert error.code == "invalid_choice"
    assert not Allocation.objects.exists()


def test_an_allocation_of_another_grant_cannot_be_spent_from(staff_client, allocation, sleman):
    for foreign in (
        AllocationFactory(grant__funder__body=sleman),
        AllocationFactory(grant__funder__body=allocation.grant.funder.body),
    ):
        response = staff_client.post(
            reverse("grants:expenditure-create", args=[allocation.grant_id]),
            {
                "allocation": foreign.pk,
                "date": "2024-05-10",
                "amount": "1000",
                "description": "Konsumsi",
            },
        )
        [error] = refused(response, "allocation")
        assert error.code == "invalid_choice"
    assert not Expenditure.objects.exists()


def test_a_funder_of_another_body_cannot_be_chosen(staff_client, funder, sleman):
    sleman_funder = FunderFactory(body=sleman)
    response = staff_client.post(reverse("grants:grant-create"), grant_data(sleman_funder))
    [error] = refused(response, "funder")
    assert error.code == "invalid_choice"
    assert not Grant.objects.exists()


def test_a_grant_cannot_be_moved_to_a_funder_of_another_body(staff_client, submit, grant, sleman):
    sleman_funder = FunderFactory(body=sleman)
    url = reverse("grants:grant-update", args=[grant.pk])
    response = submit(staff_client, url, funder=sleman_funder.pk)
    [error] = refused(response, "funder")
    assert error.code == "invalid_choice"
    grant.refresh_from_db()
    assert grant.funder_id != sleman_funder.pk


def test_the_forms_offer_only_the_bodys_choices(
    staff, kampar, sleman, funder, activity, sleman_activity
):
    FunderFactory(body=sleman)
    assert list(GrantForm(user=staff, body=kampar).fields["funder"].queryset) == [funder]
    choices = AllocationForm(user=staff, body=kampar).fields["activity"].queryset
    assert list(choices) == [activity]


def test_a_posted_grant_is_ignored_the_url_names_the_grant(staff_client, grant, activity, sleman):
    sleman_grant = GrantFactory(funder__body=sleman)
    response = staff_client.post(
        reverse("grants:allocation-create", args=[grant.pk]),
        {"activity": activity.pk, "amount": "1000000", "grant": sleman_grant.pk},
    )
    assert response.status_code == 302
    assert Allocation.objects.get().grant == grant
    assert not sleman_grant.allocations.exists()


# The funder's name is unique in its body, and said so on the name


def test_a_funder_recorded_twice_is_refused_on_the_name(staff_client, funder):
    response = staff_client.post(
        reverse("grants:funder-create"), {"name": funder.name, "kind": "hibah_apbd"}
    )
    refused(response, "name")
    assert Funder.objects.count() == 1


def test_another_body_may_have_a_funder_of_the_same_name(staff, funder, sleman, member):
    sleman_staff = member(sleman)
    form = FunderForm(
        data={"name": funder.name, "kind": "hibah_apbd"}, user=sleman_staff, body=sleman
    )
    assert form.is_valid(), form.errors


def test_the_lpj_due_date_given_is_kept(staff_client, funder):
    staff_client.post(reverse("grants:grant-create"), grant_data(funder, lpj_due_on="2025-03-31"))
    assert Grant.objects.get().lpj_due_on == datetime.date(2025, 3, 31)

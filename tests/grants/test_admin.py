"""The admin keeps the money rules on every path: the change forms and the inlines show
the refusal on the field, the delete page and the "delete selected" action refuse a
record that spending or cash relies on, and nothing is written."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from grants.models import (
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    LpjSubmission,
    RemainderReturn,
)
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
        (BudgetLine, BudgetLineFactory.create_batch),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_grant_changelists_queries_do_not_grow_with_rows(
    model, make, assert_changelist_queries_constant
):
    assert_changelist_queries_constant(model, make)


def test_grant_changelist_shows_the_totals_and_the_stage(admin_client):
    grants_with_money(1)

    response = admin_client.get(reverse("admin:grants_grant_changelist"))

    [grant] = response.context["cl"].result_list
    assert (grant.allocated, grant.disbursed, grant.spent, grant.cash_held) == (
        Decimal(10_000_000),
        Decimal(10_000_000),
        Decimal(1_000_000),
        Decimal(9_000_000),
    )
    assert "Rp 9.000.000" in response.text
    assert grant.get_stage_display() in response.text


@pytest.fixture
def spent():
    """A hibah of Rp 10.000 with a budget of one line, Rp 4.000 paid out on 1 March and
    Rp 3.000 spent on 2 May from an allocation of Rp 5.000."""
    grant = GrantFactory(amount=Decimal(10_000))
    line = BudgetLineFactory(grant=grant, item="Semua", amount=Decimal(10_000))
    allocation = AllocationFactory(grant=grant, amount=Decimal(5_000))
    DisbursementFactory(grant=grant, date=datetime.date(2024, 3, 1), amount=Decimal(4_000))
    ExpenditureFactory(
        grant=grant,
        activity=allocation.activity,
        budget_line=line,
        amount=Decimal(3_000),
        date=datetime.date(2024, 5, 2),
    )
    return allocation


def grant_form(grant, *, amount=None, allocations=(), lines=None):
    """The POST data of a grant's change page: the grant, its budget lines as they are
    (or ``lines``) and the given allocation rows (``id`` for those that exist)."""
    data = {
        "funder": grant.funder_id,
        "fiscal_year": grant.fiscal_year,
        "name": grant.name,
        "proposal_number": "",
        "proposal_date": "",
        "requested_amount": "",
        "amount": str(grant.amount if amount is None else amount),
        "lpj_due_on": "",
        "held_at": grant.held_at,
        "outcome": "",
        "outcome_on": "",
        "outcome_note": "",
        "notes": "",
    }
    if lines is None:
        lines = [
            {"id": line.pk, "item": line.item, "amount": line.amount}
            for line in grant.budget_lines.all()
        ]
    initial = Allocation.objects.filter(grant=grant).count()
    for prefix, rows, existing in (
        ("allocations", allocations, initial),
        ("budget_lines", lines, grant.budget_lines.count()),
    ):
        data[f"{prefix}-TOTAL_FORMS"] = str(len(rows))
        data[f"{prefix}-INITIAL_FORMS"] = str(existing)
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = str(value)
            data[f"{prefix}-{index}-grant"] = grant.pk
    return data


def inline_errors(response, prefix):
    assert response.status_code == 200
    [formset] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == prefix
    ]
    return str(formset.non_form_errors()) + str([form.errors for form in formset.forms])


def change(grant):
    return reverse("admin:grants_grant_change", args=[grant.pk])


# The grant's change page and its inlines


def test_grant_inlines_together_beyond_the_grant_are_refused_with_the_excess(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    first, second = ActivityFactory.create_batch(2, program__body=grant.funder.body)

    response = admin_client.post(
        change(grant),
        grant_form(
            grant,
            allocations=[
                {"activity": first.pk, "amount": 6_000},
                {"activity": second.pk, "amount": 5_500},
            ],
        ),
    )

    assert "Rp 1.500" in inline_errors(response, "allocations")
    assert not Allocation.objects.exists()


def test_grant_inlines_within_the_grant_are_saved(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    activity = ActivityFactory(program__body=grant.funder.body)

    response = admin_client.post(
        change(grant),
        grant_form(
            grant,
            allocations=[{"activity": activity.pk, "amount": 10_000}],
            lines=[{"item": "Semua", "amount": 10_000}],
        ),
    )

    assert response.status_code == 302
    assert Allocation.objects.get().amount == Decimal(10_000)
    assert BudgetLine.objects.get().amount == Decimal(10_000)


def test_an_inline_allocation_is_not_cut_below_its_spending(admin_client, spent):
    grant = spent.grant

    response = admin_client.post(
        change(grant),
        grant_form(
            grant, allocations=[{"id": spent.pk, "activity": spent.activity_id, "amount": 2_000}]
        ),
    )

    assert "Rp 3.000" in inline_errors(response, "allocations")
    spent.refresh_from_db()
    assert spent.amount == Decimal(5_000)


def test_an_inline_allocation_with_spending_is_not_deleted(admin_client, spent):
    grant = spent.grant

    response = admin_client.post(
        change(grant),
        grant_form(
            grant,
            allocations=[
                {"id": spent.pk, "activity": spent.activity_id, "amount": 5_000, "DELETE": "on"}
            ],
        ),
    )

    assert "Rp 3.000" in inline_errors(response, "allocations")
    assert Allocation.objects.filter(pk=spent.pk).exists()


def test_an_inline_budget_line_is_not_cut_below_its_spending(admin_client, spent):
    grant = spent.grant
    line = grant.budget_lines.get()

    response = admin_client.post(
        change(grant),
        grant_form(
            grant,
            allocations=[{"id": spent.pk, "activity": spent.activity_id, "amount": 5_000}],
            lines=[{"id": line.pk, "item": line.item, "amount": 2_500}],
        ),
    )

    assert "Rp 3.000" in inline_errors(response, "budget_lines")
    line.refresh_from_db()
    assert line.amount == Decimal(10_000)


def test_grant_amount_below_allocations_is_refused_in_the_admin_on_the_field(admin_client):
    allocation = AllocationFactory(amount=Decimal(10_000))
    grant = allocation.grant

    response = admin_client.post(
        change(grant),
        grant_form(
            grant,
            amount=9_000,
            allocations=[
                {"id": allocation.pk, "activity": allocation.activity_id, "amount": 10_000}
            ],
        ),
    )

    assert response.status_code == 200
    assert "Rp 10.000" in str(response.context["adminform"].form.errors["amount"])
    grant.refresh_from_db()
    assert grant.amount == Decimal(100_000_000)


def test_grant_inline_allocation_to_another_body_is_refused(admin_client):
    grant = GrantFactory(amount=Decimal(10_000))
    foreign = ActivityFactory()

    admin_client.post(
        change(grant), grant_form(grant, allocations=[{"activity": foreign.pk, "amount": 1_000}])
    )

    assert not Allocation.objects.exists()


# The records' own change pages


def test_an_allocation_is_not_cut_below_its_spending_on_its_change_page(admin_client, spent):
    response = admin_client.post(
        reverse("admin:grants_allocation_change", args=[spent.pk]),
        {"grant": spent.grant_id, "activity": spent.activity_id, "amount": "2000"},
    )

    assert response.status_code == 200
    assert "Rp 3.000" in str(response.context["adminform"].form.errors["amount"])
    spent.refresh_from_db()
    assert spent.amount == Decimal(5_000)


def test_disbursement_beyond_the_grant_is_refused_in_the_admin_on_the_field(admin_client):
    grant = GrantFactory(funder__kind=Funder.Kind.CSR, amount=Decimal(10_000))
    DisbursementFactory(grant=grant, amount=Decimal(6_000))

    response = admin_client.post(
        reverse("admin:grants_disbursement_add"),
        {"grant": grant.pk, "date": "2024-07-15", "amount": "5500", "reference": "", "notes": ""},
    )

    assert response.status_code == 200
    assert "Rp 1.500" in str(response.context["adminform"].form.errors["amount"])
    assert Disbursement.objects.count() == 1


def test_a_disbursement_spending_relies_on_is_not_lowered_in_the_admin(admin_client, spent):
    tranche = spent.grant.disbursements.get()

    response = admin_client.post(
        reverse("admin:grants_disbursement_change", args=[tranche.pk]),
        {
            "grant": tranche.grant_id,
            "date": "2024-03-01",
            "amount": "2000",
            "reference": tranche.reference,
            "notes": "",
        },
    )

    assert response.status_code == 200
    errors = str(response.context["adminform"].form.errors["amount"])
    assert "Rp 3.000" in errors
    assert "Rp 1.000" in errors  # by how much
    tranche.refresh_from_db()
    assert tranche.amount == Decimal(4_000)


def test_spending_ahead_of_the_cash_is_refused_in_the_admin(admin_client, spent):
    response = admin_client.post(
        reverse("admin:grants_expenditure_add"),
        {
            "allocation": spent.pk,
            "budget_line": spent.grant.budget_lines.get().pk,
            "date": "2024-02-10",
            "amount": "1000",
            "description": "Konsumsi",
            "receipt_number": "",
        },
    )

    assert response.status_code == 200
    assert "date" in response.context["adminform"].form.errors
    assert Expenditure.objects.count() == 1


def test_spending_saved_in_the_admin_takes_its_grant_and_activity_from_the_allocation(
    admin_client, spent
):
    response = admin_client.post(
        reverse("admin:grants_expenditure_add"),
        {
            "allocation": spent.pk,
            "budget_line": spent.grant.budget_lines.get().pk,
            "date": "2024-05-03",
            "amount": "1000",
            "description": "Honor",
            "receipt_number": "KW-9",
        },
    )

    assert response.status_code == 302
    saved = Expenditure.objects.get(description="Honor")
    assert (saved.grant, saved.activity) == (spent.grant, spent.activity)


# Deleting: the delete page and the action


def test_the_delete_page_lists_the_spending_that_protects_an_allocation(admin_client, spent):
    url = reverse("admin:grants_allocation_delete", args=[spent.pk])

    page = admin_client.get(url)
    response = admin_client.post(url, {"post": "yes"})

    assert page.context["protected"]
    assert response.status_code == 200
    assert Allocation.objects.filter(pk=spent.pk).exists()


def test_the_delete_page_refuses_a_disbursement_the_spending_relies_on(admin_client, spent):
    tranche = spent.grant.disbursements.get()
    url = reverse("admin:grants_disbursement_delete", args=[tranche.pk])

    page = admin_client.get(url)
    admin_client.post(url, {"post": "yes"})

    assert any("Rp 3.000" in str(item) for item in page.context["protected"])
    assert Disbursement.objects.filter(pk=tranche.pk).exists()


def delete_selected(client, model, records):
    return client.post(
        reverse(f"admin:grants_{model}_changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [record.pk for record in records],
            "post": "yes",
        },
    )


def test_delete_selected_keeps_allocations_with_spending(admin_client, spent):
    unspent = AllocationFactory(grant=spent.grant, amount=Decimal(1_000))

    response = delete_selected(admin_client, "allocation", [spent, unspent])

    assert response.status_code == 200  # the page that says what protects them
    assert set(Allocation.objects.all()) == {spent, unspent}
    delete_selected(admin_client, "allocation", [unspent])
    assert list(Allocation.objects.all()) == [spent]


def test_delete_selected_keeps_a_disbursement_the_spending_relies_on(admin_client, spent):
    tranche = spent.grant.disbursements.get()

    response = delete_selected(admin_client, "disbursement", [tranche])

    assert any("Rp 3.000" in str(item) for item in response.context["protected"])
    assert Disbursement.objects.filter(pk=tranche.pk).exists()


def test_delete_selected_deletes_what_nothing_relies_on(admin_client, spent):
    spare = DisbursementFactory(
        grant=spent.grant, date=datetime.date(2024, 3, 2), amount=Decimal(1_000)
    )

    response = delete_selected(admin_client, "disbursement", [spare])

    assert response.status_code == 302
    assert not Disbursement.objects.filter(pk=spare.pk).exists()


def test_a_return_beyond_the_cash_held_is_refused_in_the_admin(admin_client, spent):
    response = admin_client.post(
        reverse("admin:grants_remainderreturn_add"),
        {
            "grant": spent.grant_id,
            "date": "2025-01-20",
            "amount": "1500",  # Rp 4.000 received, Rp 3.000 spent: Rp 1.000 held
            "reference": "STS 0031/2025",
            "notes": "",
        },
    )

    assert response.status_code == 200
    assert "Rp 500" in str(response.context["adminform"].form.errors["amount"])
    assert not RemainderReturn.objects.exists()


def test_a_second_lpj_awaiting_review_is_refused_in_the_admin(admin_client, spent):
    data = {
        "grant": spent.grant_id,
        "submitted_on": "2025-01-08",
        "letter_number": "001/LPJ/2025",
        "received_by": "Sekretariat",
        "outcome": "pending",
        "decided_on": "",
        "review_note": "",
    }
    assert admin_client.post(reverse("admin:grants_lpjsubmission_add"), data).status_code == 302

    response = admin_client.post(
        reverse("admin:grants_lpjsubmission_add"), data | {"letter_number": "002/LPJ/2025"}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert LpjSubmission.objects.count() == 1

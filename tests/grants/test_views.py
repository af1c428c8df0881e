import datetime
from decimal import Decimal

import pytest
from django.urls import URLPattern, reverse

from grants import services
from grants import urls as grant_urls
from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from tests.conftest import recorded_by
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    LpjSubmissionFactory,
    RemainderReturnFactory,
)
from tests.grants.conftest import JUTA, form_values

# Every page of the app: the record its URL names (None for lists and new records).
PAGES = {
    "grant-list": None,
    "grant-create": None,
    "grant-detail": "grant",
    "grant-update": "grant",
    "grant-delete": "grant",
    "funder-list": None,
    "funder-create": None,
    "funder-update": "funder",
    "funder-delete": "funder",
    "allocation-create": "grant",
    "allocation-update": "allocation",
    "allocation-delete": "allocation",
    "disbursement-create": "grant",
    "disbursement-update": "disbursement",
    "disbursement-delete": "disbursement",
    "expenditure-list": None,
    "expenditure-create": "grant",
    "expenditure-update": "expenditure",
    "expenditure-delete": "expenditure",
    "agreement-create": "proposal",
    "agreement-update": "agreement",
    "agreement-delete": "agreement",
    "budget-line-create": "grant",
    "budget-line-update": "line",
    "budget-line-delete": "line",
    "return-create": "grant",
    "return-update": "return",
    "return-delete": "return",
    "lpj-submission-create": "grant",
    "lpj-submission-update": "submission",
    "lpj-submission-delete": "submission",
    "lpj-review": "submission",
    "grant-export": None,
    "funder-export": None,
    "expenditure-export": None,
}
READING = ["grant-list", "grant-detail", "funder-list", "expenditure-list"]
DOWNLOADS = ["grant-export", "funder-export", "expenditure-export"]  # tests/test_exports.py
WRITING = [name for name in PAGES if name not in READING + DOWNLOADS]
OF_A_RECORD = [name for name, record in PAGES.items() if record]


@pytest.fixture
def records(funder, grant, line, allocation, disbursement, expenditure):
    return {
        "funder": funder,
        "grant": grant,
        "proposal": GrantFactory(funder=funder, proposed=True),
        "agreement": grant.agreement,
        "line": line,
        "allocation": allocation,
        "disbursement": disbursement,
        "expenditure": expenditure,
        "return": RemainderReturnFactory(grant=grant, date=datetime.date(2024, 6, 1)),
        "submission": LpjSubmissionFactory(grant=GrantFactory(funder=funder)),
    }


@pytest.fixture
def url(records):
    """``url(name)``: the page's URL for the Kampar records."""

    def make(name):
        record = PAGES[name]
        return reverse(f"grants:{name}", args=[records[record].pk] if record else [])

    return make


def test_every_url_of_the_app_is_in_the_permission_table():
    names = {pattern.name for pattern in grant_urls.urlpatterns if isinstance(pattern, URLPattern)}
    assert names == set(PAGES)


# Who may open what. Each test walks all the pages and compares every status at once,
# so that a failure names each page that answers wrongly.


@pytest.fixture
def statuses(url):
    """``statuses(client, names, method)``: the status of each page, by name."""

    def check(client, names, method="get"):
        return {name: getattr(client, method)(url(name)).status_code for name in names}

    return check


def test_anonymous_users_are_sent_to_log_in(client, url):
    for name in PAGES:
        for response in (client.get(url(name)), client.post(url(name))):
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login/"), name


def test_staff_of_the_body_open_every_page(staff_client, statuses):
    assert statuses(staff_client, PAGES) == dict.fromkeys(PAGES, 200)


def test_the_admin_opens_every_page(admin_client, statuses):
    assert statuses(admin_client, PAGES) == dict.fromkeys(PAGES, 200)


def test_staff_of_another_body_do_not_find_its_records(client_of, other_staff, statuses):
    client = client_of(other_staff)
    assert statuses(client, OF_A_RECORD) == dict.fromkeys(OF_A_RECORD, 404)
    changes = [name for name in OF_A_RECORD if name in WRITING]
    assert statuses(client, changes, "post") == dict.fromkeys(changes, 404)


def test_lists_show_only_the_current_body(client_of, other_staff, records, url):
    client = client_of(other_staff)
    for name in ("grant-list", "funder-list", "expenditure-list"):
        response = client.get(url(name))
        assert response.status_code == 200
        assert response.context["paginator"].count == 0, name


@pytest.mark.parametrize("user", ["official", "provincial"])
def test_officials_read_without_edit_buttons(request, client_of, url, user):
    client = client_of(request.getfixturevalue(user))
    for name in READING:
        response = client.get(url(name))
        assert response.status_code == 200, name
        content = response.content.decode()
        for action in ("/new/", "/edit/", "/delete/"):
            assert action not in content, name


@pytest.mark.parametrize("user", ["official", "provincial"])
def test_officials_may_not_write(request, client_of, statuses, user):
    client = client_of(request.getfixturevalue(user))
    assert statuses(client, WRITING) == dict.fromkeys(WRITING, 403)
    assert statuses(client, WRITING, "post") == dict.fromkeys(WRITING, 403)


def test_provincial_officials_read_the_grants_of_both_bodies(client_of, provincial, sleman, grant):
    sleman_grant = recorded_by(GrantFactory(funder__body=sleman), provincial)
    client = client_of(provincial)
    for each in (grant, sleman_grant):
        assert client.get(each.get_absolute_url()).status_code == 200


def test_staff_see_the_edit_buttons(staff_client, records):
    content = staff_client.get(records["grant"].get_absolute_url()).content.decode()
    elsewhere = {"proposal", "submission", "funder", None}  # not records of this grant
    for name in WRITING:
        if PAGES[name] not in elsewhere and name != "lpj-submission-create":
            args = [records[PAGES[name]].pk]
            assert reverse(f"grants:{name}", args=args) in content, name


# Funders


def test_staff_add_a_funder_to_their_body_whatever_body_is_posted(staff_client, kampar, sleman):
    response = staff_client.post(
        reverse("grants:funder-create"),
        {"name": "PT Sawit Kampar Lestari", "kind": "csr", "body": sleman.pk},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:funder-list")
    assert Funder.objects.get(name="PT Sawit Kampar Lestari").body == kampar


def test_staff_edit_a_funder(staff_client, submit, funder):
    url = reverse("grants:funder-update", args=[funder.pk])
    response = submit(staff_client, url, contact="Bagian Kesra")
    assert response.status_code == 302
    funder.refresh_from_db()
    assert funder.contact == "Bagian Kesra"


def test_staff_delete_a_funder_without_grants(staff_client, kampar):
    funder = FunderFactory(body=kampar)
    response = staff_client.post(reverse("grants:funder-delete", args=[funder.pk]))
    assert response.status_code == 302
    assert not Funder.objects.filter(pk=funder.pk).exists()


def test_a_funder_with_grants_is_not_deleted(staff_client, grant):
    response = staff_client.post(reverse("grants:funder-delete", args=[grant.funder_id]))
    assert response.status_code == 200
    assert response.context["blockers"] == [grant]
    assert Funder.objects.filter(pk=grant.funder_id).exists()


# Grants


def test_staff_record_a_grant_and_land_on_its_page(staff_client, funder):
    response = staff_client.post(
        reverse("grants:grant-create"),
        {
            "funder": funder.pk,
            "fiscal_year": 2025,
            "name": "Hibah APBD 2025",
            "agreement_kind": "nphd",
            "agreement_number": "NPHD/01/2025",
            "agreement_date": "2025-02-03",
            "amount": "250000000",
            "status": "approved",
        },
    )
    grant = Grant.objects.get(name="Hibah APBD 2025")
    assert response.status_code == 302
    assert response["Location"] == grant.get_absolute_url()
    assert grant.amount == 250 * JUTA
    assert grant.lpj_due_on == datetime.date(2026, 1, 10)


def test_editing_a_grant_is_recorded_in_its_history(staff_client, submit, staff, grant):
    before = grant.history.count()
    url = reverse("grants:grant-update", args=[grant.pk])
    response = submit(staff_client, url, held_at="Bappeda Kabupaten Kampar")
    assert response.status_code == 302
    assert response["Location"] == grant.get_absolute_url()
    assert grant.history.count() == before + 1
    assert grant.history.first().history_user == staff
    page = staff_client.get(grant.get_absolute_url())
    [latest, *_] = page.context["history"]
    held_at = Grant._meta.get_field("held_at").verbose_name
    assert (held_at, "Dinas Sosial", "Bappeda Kabupaten Kampar") in latest["changes"]
    assert "Bappeda Kabupaten Kampar" in page.content.decode()


def test_a_grant_changed_since_the_form_was_opened_is_not_overwritten(staff_client, grant):
    url = reverse("grants:grant-update", args=[grant.pk])
    data = form_values(staff_client.get(url).context["form"])

    grant.name = "Hibah APBD 2024 (perubahan)"
    services.grant_save(grant=grant)

    data["name"] = "Hibah APBD 2024 (versi saya)"
    response = staff_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1
    assert "Hibah APBD 2024 (perubahan)" in errors[0]
    grant.refresh_from_db()
    assert grant.name == "Hibah APBD 2024 (perubahan)"


def test_staff_delete_a_proposal_without_records(staff_client, funder):
    grant = GrantFactory(funder=funder, proposed=True)
    response = staff_client.post(reverse("grants:grant-delete", args=[grant.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("grants:grant-list")
    assert not Grant.objects.filter(pk=grant.pk).exists()


def test_a_grant_with_money_records_is_not_deleted(staff_client, records):
    grant = records["grant"]
    url = reverse("grants:grant-delete", args=[grant.pk])
    kept = {"agreement", "line", "allocation", "disbursement", "expenditure", "return"}
    assert staff_client.get(url).context["blocker_count"] == len(kept)
    response = staff_client.post(url)
    assert response.status_code == 200
    assert set(response.context["blockers"]) == {records[name] for name in kept}
    assert Grant.objects.filter(pk=grant.pk).exists()


def test_the_grant_page_shows_the_money_summary(staff_client, records):
    response = staff_client.get(records["grant"].get_absolute_url())
    grant = response.context["grant"]
    assert (grant.amount, grant.allocated, grant.unallocated) == (100 * JUTA, 40 * JUTA, 60 * JUTA)
    assert (grant.disbursed, grant.spent, grant.returned) == (60 * JUTA, 5 * JUTA, JUTA)
    assert grant.cash_held == 54 * JUTA
    [allocation] = grant.allocations.all()
    assert allocation.spent == 5 * JUTA
    content = response.content.decode()
    assert '<td class="money" id="cash-held">Rp 54.000.000</td>' in content
    assert grant.get_stage_display() in content
    assert reverse("programs:activity-detail", args=[allocation.activity_id]) in content


# Allocations, disbursements, expenditures


def test_staff_allocate_a_grant_to_an_activity(staff_client, grant, other_activity):
    response = staff_client.post(
        reverse("grants:allocation-create", args=[grant.pk]),
        {"activity": other_activity.pk, "amount": "25000000"},
    )
    assert response.status_code == 302
    assert response["Location"] == grant.get_absolute_url()
    assert grant.allocations.get().activity == other_activity


def test_staff_change_an_allocation(staff_client, submit, allocation):
    url = reverse("grants:allocation-update", args=[allocation.pk])
    response = submit(staff_client, url, amount="45000000")
    assert response["Location"] == allocation.grant.get_absolute_url()
    allocation.refresh_from_db()
    assert allocation.amount == 45 * JUTA


def test_staff_delete_an_allocation_without_spending(staff_client, allocation):
    response = staff_client.post(reverse("grants:allocation-delete", args=[allocation.pk]))
    assert response["Location"] == allocation.grant.get_absolute_url()
    assert not Allocation.objects.filter(pk=allocation.pk).exists()


def test_an_allocation_that_spending_depends_on_is_not_deleted(staff_client, expenditure):
    allocation = Allocation.objects.get()
    response = staff_client.post(reverse("grants:allocation-delete", args=[allocation.pk]))
    assert response.status_code == 200
    assert response.context["blockers"] == [expenditure]
    assert Allocation.objects.filter(pk=allocation.pk).exists()


def test_staff_record_a_disbursement(staff_client, grant):
    response = staff_client.post(
        reverse("grants:disbursement-create", args=[grant.pk]),
        {"date": "2024-04-01", "amount": "50000000", "reference": "SP2D 17/2024"},
    )
    assert response["Location"] == grant.get_absolute_url()
    assert grant.disbursements.get().amount == 50 * JUTA


def test_staff_change_and_delete_a_disbursement(staff_client, submit, disbursement):
    url = reverse("grants:disbursement-update", args=[disbursement.pk])
    assert submit(staff_client, url, reference="SP2D 002").status_code == 302
    disbursement.refresh_from_db()
    assert disbursement.reference == "SP2D 002"
    staff_client.post(reverse("grants:disbursement-delete", args=[disbursement.pk]))
    assert not Disbursement.objects.exists()


def test_staff_record_spending(staff_client, allocation, disbursement, line):
    response = staff_client.post(
        reverse("grants:expenditure-create", args=[allocation.grant_id]),
        {
            "allocation": allocation.pk,
            "budget_line": line.pk,
            "date": "2024-05-03",
            "amount": "7500000",
            "description": "Honorarium narasumber",
            "receipt_number": "KW-17",
        },
    )
    assert response["Location"] == allocation.grant.get_absolute_url()
    assert Expenditure.objects.get().amount == Decimal(7_500_000)


def test_staff_change_and_delete_spending(staff_client, submit, expenditure):
    url = reverse("grants:expenditure-update", args=[expenditure.pk])
    assert submit(staff_client, url, description="Konsumsi peserta").status_code == 302
    expenditure.refresh_from_db()
    assert expenditure.description == "Konsumsi peserta"
    response = staff_client.post(reverse("grants:expenditure-delete", args=[expenditure.pk]))
    assert response["Location"] == expenditure.grant.get_absolute_url()
    assert not Expenditure.objects.exists()


# The lists


def test_the_grant_list_filters_and_totals(staff_client, kampar, grant, allocation):
    GrantFactory(
        funder__body=kampar,
        funder__kind="csr",
        fiscal_year=2023,
        amount=5 * JUTA,
        proposed=True,
    )
    url = reverse("grants:grant-list")

    response = staff_client.get(url)
    assert response.context["paginator"].count == 2
    assert response.context["totals"]["amount"] == 105 * JUTA
    assert response.context["totals"]["allocated"] == 40 * JUTA

    for query in ({"year": 2024}, {"kind": "hibah_apbd"}, {"stage": "approved"}):
        response = staff_client.get(url, query)
        assert list(response.context["grant_list"]) == [grant], query
        assert response.context["totals"]["amount"] == 100 * JUTA


def test_the_grant_list_marks_an_overdue_lpj(staff_client, funder):
    overdue = GrantFactory(funder=funder, fiscal_year=2020, lpj_due_on=datetime.date(2021, 1, 10))
    LpjSubmissionFactory(
        grant=GrantFactory(funder=funder, fiscal_year=2021, lpj_due_on=datetime.date(2022, 1, 10)),
        submitted_on=datetime.date(2022, 1, 5),
    )
    response = staff_client.get(reverse("grants:grant-list"))
    marked = [each for each in response.context["grant_list"] if each.lpj_is_overdue]
    assert marked == [overdue]
    assert response.content.decode().count("badge text-bg-danger") == 1


def test_the_expenditure_list_filters_and_totals(staff_client, kampar, expenditure):
    csr_grant = GrantFactory(funder__body=kampar, funder__kind="csr", fiscal_year=2023)
    late = ExpenditureFactory(
        grant=csr_grant,
        activity__program__body=kampar,
        date=datetime.date(2023, 9, 1),
        amount=2 * JUTA,
    )
    url = reverse("grants:expenditure-list")

    response = staff_client.get(url)
    assert response.context["totals"]["amount"] == 7 * JUTA

    for query, expected in (
        ({"year": 2024}, expenditure),
        ({"kind": "csr"}, late),
        ({"activity": expenditure.activity_id}, expenditure),
        ({"date_from": "2024-01-01", "date_to": "2024-12-31"}, expenditure),
        ({"date_to": "2023-12-31"}, late),
    ):
        response = staff_client.get(url, query)
        assert list(response.context["expenditure_list"]) == [expected], query
        assert response.context["totals"]["amount"] == expected.amount


def test_the_activity_filter_offers_only_the_current_bodys_activities(
    staff_client, activity, sleman_activity
):
    url = reverse("grants:expenditure-list")
    choices = staff_client.get(url).context["filter"].form.fields["activity"].queryset
    assert list(choices) == [activity]
    response = staff_client.get(url, {"activity": sleman_activity.pk})
    assert "activity" in response.context["filter"].form.errors


# Query counts do not grow with the rows


def make_grants(body, count):
    for _ in range(count):
        grant = GrantFactory(funder__body=body)
        AllocationFactory(grant=grant, amount=JUTA)
        DisbursementFactory(grant=grant, amount=JUTA)


def make_funders(body, count):
    FunderFactory.create_batch(count, body=body)


def make_expenditures(body, count):
    for _ in range(count):
        ExpenditureFactory(grant__funder__body=body, activity__program__body=body)


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("grant-list", make_grants),
        ("funder-list", make_funders),
        ("expenditure-list", make_expenditures),
    ],
)
def test_list_queries_do_not_grow_with_rows(count_queries, kampar, staff, name, make):
    url = reverse(f"grants:{name}")
    make(kampar, 5)
    with_5 = count_queries(url)
    make(kampar, 45)
    assert count_queries(url) == with_5


def test_grant_page_queries_do_not_grow_with_rows(count_queries, kampar, grant):
    def add(count):
        for _ in range(count):
            activity = ActivityFactory(program__body=kampar)
            AllocationFactory(grant=grant, activity=activity, amount=1)
            DisbursementFactory(grant=grant, amount=1)
            line = BudgetLineFactory(grant=grant, amount=1)
            ExpenditureFactory(
                grant=grant, activity=activity, budget_line=line, amount=1, receipt="receipts/x.pdf"
            )
            RemainderReturnFactory(grant=grant, amount=1)
            LpjSubmissionFactory(
                grant=grant,
                outcome="returned",
                decided_on="2025-01-09",
                review_note="Kurang kuitansi",
            )

    url = grant.get_absolute_url()
    add(5)
    with_5 = count_queries(url)
    add(45)
    assert count_queries(url) == with_5


# The cycle's pages


def test_a_proposal_gets_its_agreement_and_becomes_approved(staff_client, funder):
    proposal = GrantFactory(funder=funder, proposed=True, amount=100 * JUTA)
    url = reverse("grants:agreement-create", args=[proposal.pk])
    form = staff_client.get(url).context["form"]
    assert form.initial["kind"] == "nphd"

    incomplete = staff_client.post(
        url, {"kind": "nphd", "number": "NPHD/1", "signed_on": "2024-02-01"}
    )

    errors = incomplete.context["form"].errors
    assert {"purpose", "bank_account_number", "grantor_signatory_name"} <= set(errors)
    response = staff_client.post(
        url,
        {
            "kind": "nphd",
            "number": "900/NPHD/014/2024",
            "signed_on": "2024-02-01",
            "purpose": "Penguatan kelembagaan LKKS",
            "bank_name": "Bank Riau Kepri Syariah",
            "bank_account_number": "101.02.34567",
            "bank_account_holder": "LKKS Kabupaten Kampar",
            "grantor_signatory_name": "Zamzami Hasan",
            "grantor_signatory_title": "Kepala Dinas Sosial Kabupaten Kampar",
            "grantor_signatory_nip": "197001011990031005",
            "recipient_signatory_name": "Ricana Djayanti",
            "recipient_signatory_title": "Ketua Umum",
        },
    )
    assert response["Location"] == proposal.get_absolute_url()
    page = staff_client.get(proposal.get_absolute_url())
    assert page.context["grant"].stage == "approved"
    assert "900/NPHD/014/2024" in page.content.decode()


def test_the_new_agreement_page_of_an_agreed_grant_leads_to_its_agreement(staff_client, grant):
    response = staff_client.get(reverse("grants:agreement-create", args=[grant.pk]))

    assert response["Location"] == reverse("grants:agreement-update", args=[grant.agreement.pk])


def test_state_money_asks_for_the_sp2d_and_csr_for_the_transfer(staff_client, grant, csr_grant):
    hibah = staff_client.get(reverse("grants:disbursement-create", args=[grant.pk]))
    csr = staff_client.get(reverse("grants:disbursement-create", args=[csr_grant.pk]))

    assert hibah.context["form"].fields["reference"].label == "Nomor SP2D"
    assert csr.context["form"].fields["reference"].label == "Referensi transfer"
    assert "SP2D" not in csr.content.decode()


def test_spending_names_its_budget_line_only_where_the_grant_has_a_budget(
    staff_client, grant, csr_grant
):
    with_budget = staff_client.get(reverse("grants:expenditure-create", args=[grant.pk]))
    without = staff_client.get(reverse("grants:expenditure-create", args=[csr_grant.pk]))

    assert "budget_line" in with_budget.context["form"].fields
    assert "budget_line" not in without.context["form"].fields


def test_staff_keep_the_budget_lines(staff_client, submit, grant, line):
    refused = staff_client.post(
        reverse("grants:budget-line-create", args=[grant.pk]),
        {"item": "Tambahan", "amount": "1000000"},
    )
    assert "Rp 1.000.000" in str(refused.context["form"].errors["amount"])
    response = submit(
        staff_client, reverse("grants:budget-line-update", args=[line.pk]), amount="60000000"
    )
    assert response.status_code == 302
    staff_client.post(
        reverse("grants:budget-line-create", args=[grant.pk]),
        {"item": "Operasional", "amount": "40000000"},
    )
    assert grant.budget_lines.count() == 2


def test_the_delete_page_says_before_confirming_why_a_disbursement_stays(staff_client, expenditure):
    disbursement = expenditure.grant.disbursements.get()
    url = reverse("grants:disbursement-delete", args=[disbursement.pk])

    page = staff_client.get(url)
    response = staff_client.post(url)

    assert any("Rp 5.000.000" in str(message) for message in page.context["messages"])
    assert response.status_code == 200
    assert Disbursement.objects.filter(pk=disbursement.pk).exists()


def test_the_lpj_is_submitted_reviewed_and_the_remainder_returned(
    staff_client, submit, expenditure
):
    grant = expenditure.grant
    page = staff_client.get(grant.get_absolute_url()).content.decode()
    assert reverse("grants:lpj-submission-create", args=[grant.pk]) in page

    staff_client.post(
        reverse("grants:lpj-submission-create", args=[grant.pk]),
        {"submitted_on": "2025-01-08", "received_by": "Sekretariat Dinas Sosial"},
    )
    submission = grant.lpj_submissions.get()
    assert submission.letter_number  # from the body's register
    review = reverse("grants:lpj-review", args=[submission.pk])
    response = submit(staff_client, review, outcome="returned", decided_on="2025-01-10")
    assert "review_note" in response.context["form"].errors
    submit(staff_client, review, outcome="accepted", decided_on="2025-01-10")
    too_much = staff_client.post(
        reverse("grants:return-create", args=[grant.pk]),
        {"date": "2025-01-20", "amount": "56000000", "reference": "STS 0031/2025"},
    )
    assert "Rp 1.000.000" in str(too_much.context["form"].errors["amount"])
    staff_client.post(
        reverse("grants:return-create", args=[grant.pk]),
        {"date": "2025-01-20", "amount": "55000000", "reference": "STS 0031/2025"},
    )

    page = staff_client.get(grant.get_absolute_url())
    assert (page.context["grant"].stage, page.context["grant"].cash_held) == ("closed", 0)
    assert reverse("grants:lpj-review", args=[submission.pk]) not in page.content.decode()


def test_officials_see_the_cycle_without_its_buttons(client_of, official, records):
    content = client_of(official).get(records["grant"].get_absolute_url()).content.decode()

    for name in ("lpj-submission-create", "return-create", "budget-line-create"):
        assert reverse(f"grants:{name}", args=[records["grant"].pk]) not in content
    assert reverse("report-lpj", args=[records["grant"].pk]) in content


def test_the_page_offers_no_change_of_money_that_stands_still(staff_client, expenditure):
    grant = expenditure.grant
    submission = LpjSubmissionFactory(grant=grant)

    content = staff_client.get(grant.get_absolute_url()).content.decode()

    for name in ("allocation-create", "disbursement-create", "expenditure-create"):
        assert reverse(f"grants:{name}", args=[grant.pk]) not in content
    assert reverse("grants:expenditure-update", args=[expenditure.pk]) not in content
    assert reverse("grants:lpj-review", args=[submission.pk]) in content
    assert reverse("grants:return-create", args=[grant.pk]) in content  # cash is held

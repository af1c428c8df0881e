"""Every list and detail page takes as many queries with many rows as with a few: 3
rows, then 30 (over two pages of a list). Each row hangs off records of its own (its own
grant, program, registration…), so that a related record read row by row shows as more
queries. Each page is asked once before it is counted, as what is cached per user is
filled by a user's first request."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lkks.letters import issue_letter
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    AllocationFactory,
    ApplicationFactory,
    BudgetLineFactory,
    DecreeFactory,
    DelegateFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FollowUpFactory,
    FunderFactory,
    GrantFactory,
    LegalDocumentFactory,
    LpjSubmissionFactory,
    MentoringFactory,
    OfficerFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    RemainderReturnFactory,
    StudyVisitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def queries_of(staff_client):
    """``queries_of(url)``: the queries Kampar's staff spend on the page, after one
    request that fills what is cached per user."""

    def count(url):
        assert staff_client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
        assert response.status_code == 200
        return len(queries)

    return count


# Lists: ``make(body, count)`` adds ``count`` rows to the body's list.


def lks(body, count):
    for _ in range(count):
        organisation = OrganisationFactory(body=body)
        RegistrationFactory(organisation=organisation)
        AccreditationFactory(organisation=organisation)


def programs(body, count):
    for _ in range(count):
        ActivityFactory(program=ProgramFactory(body=body))


def activities(body, count):
    for _ in range(count):
        ActivityFactory(program__body=body)


def grants(body, count):
    for _ in range(count):
        grant = GrantFactory(funder__body=body)
        DisbursementFactory(grant=grant)
        ExpenditureFactory(grant=grant)


def funders(body, count):
    for _ in range(count):
        FunderFactory(body=body)


def expenditures(body, count):
    for _ in range(count):
        ExpenditureFactory(grant__funder__body=body)


def visits(body, count):
    for _ in range(count):
        FollowUpFactory(visit=StudyVisitFactory(visiting_body=body))


def letters(body, count):
    for number in range(count):
        issue_letter(
            body=body,
            kind="UND",
            on=datetime.date(2024, 3, 1),
            subject=f"Undangan rapat {number}",
            by=None,
        )


def applications(body, count):
    for _ in range(count):
        ApplicationFactory(organisation__body=body)


LISTS = [
    ("members:organisation-list", lks),
    ("programs:program-list", programs),
    ("programs:activity-list", activities),
    ("grants:grant-list", grants),
    ("grants:funder-list", funders),
    ("grants:expenditure-list", expenditures),
    ("visits:visit-list", visits),
    ("letter-list", letters),
    ("members:application-list", applications),
]


@pytest.mark.parametrize(("name", "make"), LISTS, ids=[name for name, _make in LISTS])
def test_a_list_takes_the_same_queries_for_3_rows_as_for_30_on_every_page(
    queries_of, kampar, name, make
):
    url = reverse(name)
    make(kampar, 3)
    with_3 = queries_of(url)
    make(kampar, 27)
    assert queries_of(url) == with_3
    assert queries_of(f"{url}?page=2") == with_3


def test_the_grant_list_counts_and_sums_in_one_query(staff_client, kampar):
    grants(kampar, 30)
    url = reverse("grants:grant-list")
    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(url)
    totals = response.context["totals"]
    # 30 grants of Rp 100,000,000, each disbursed Rp 10,000,000 and spent Rp 1,000,000:
    # the whole list's figures, not its first page's.
    assert response.context["paginator"].count == 30
    assert totals["amount"] == 3_000_000_000
    assert (totals["disbursed"], totals["spent"], totals["cash_held"]) == (
        300_000_000,
        30_000_000,
        270_000_000,
    )
    summing = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"]]
    assert len(summing) == 1
    assert "SUM(" in summing[0]


def test_officer_list_queries_do_not_grow_with_officers(queries_of, kampar):
    decree = DecreeFactory(body=kampar)
    OfficerFactory.create_batch(3, decree=decree)
    with_3 = queries_of(reverse("officer-list"))
    OfficerFactory.create_batch(27, decree=decree)
    DecreeFactory(body=kampar, number="KPTS.999/2022")
    assert queries_of(reverse("officer-list")) == with_3


# Detail pages: ``add(record, count)`` adds ``count`` rows of each kind shown on its page.


def lks_rows(organisation, count):
    for _ in range(count):
        RegistrationFactory(organisation=organisation)
        AccreditationFactory(organisation=organisation)
        LegalDocumentFactory(organisation=organisation)
        MentoringFactory(organisation=organisation)
        ActivityFactory(program__body=organisation.body).participants.add(organisation)
        ApplicationFactory(organisation=organisation)


def program_rows(program, count):
    for _ in range(count):
        activity = ActivityFactory(program=program)
        ExpenditureFactory(activity=activity, grant__funder__body=program.body)


def activity_rows(activity, count):
    for _ in range(count):
        activity.participants.add(OrganisationFactory(body=activity.program.body))
        ExpenditureFactory(activity=activity, grant__funder__body=activity.program.body)


def grant_rows(grant, count):
    for _ in range(count):
        activity = ActivityFactory(program__body=grant.funder.body)
        AllocationFactory(grant=grant, activity=activity, amount=1)
        DisbursementFactory(grant=grant, amount=1)
        line = BudgetLineFactory(grant=grant, amount=1)
        ExpenditureFactory(grant=grant, activity=activity, budget_line=line, amount=1)
        RemainderReturnFactory(grant=grant, amount=1)
        LpjSubmissionFactory(
            grant=grant, outcome="returned", decided_on="2025-01-09", review_note="Kurang kuitansi"
        )


def visit_rows(visit, count):
    for _ in range(count):
        DelegateFactory(visit=visit)
        FollowUpFactory(visit=visit)


DETAILS = [
    ("members:organisation-detail", lambda body: OrganisationFactory(body=body), lks_rows),
    ("programs:program-detail", lambda body: ProgramFactory(body=body), program_rows),
    ("programs:activity-detail", lambda body: ActivityFactory(program__body=body), activity_rows),
    ("grants:grant-detail", lambda body: GrantFactory(funder__body=body), grant_rows),
    ("visits:visit-detail", lambda body: StudyVisitFactory(visiting_body=body), visit_rows),
]


@pytest.mark.parametrize(
    ("name", "record", "add"), DETAILS, ids=[name for name, _record, _add in DETAILS]
)
def test_a_detail_page_takes_the_same_queries_for_3_rows_as_for_30(
    queries_of, kampar, name, record, add
):
    shown = record(kampar)
    url = reverse(name, args=[shown.pk])
    add(shown, 3)
    with_3 = queries_of(url)
    add(shown, 27)
    assert queries_of(url) == with_3


def test_body_profile_queries_do_not_grow_with_its_board(queries_of, kampar):
    decree = DecreeFactory(body=kampar)
    OfficerFactory.create_batch(3, decree=decree)
    with_3 = queries_of(reverse("body-profile"))
    OfficerFactory.create_batch(27, decree=decree)
    assert queries_of(reverse("body-profile")) == with_3

"""The list of printable documents (/reports/), the dashboard's link to its annual
report, and the 403 page that says why."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lkks.models import Membership
from members.services import recommendation_issue
from tests.factories import (
    FunderFactory,
    GrantFactory,
    OrganisationFactory,
    ProgramFactory,
    StudyVisitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
URL = "/reports/"


def documents_of(body, n):
    """``n`` grants, recommendations and programs (so a fiscal year) of the body."""
    for i in range(n):
        GrantFactory(funder=FunderFactory(body=body), name=f"Hibah {body.slug} {i}")
        organisation = OrganisationFactory(body=body, name=f"LKS {body.slug} {i}")
        recommendation_issue(organisation=organisation, date=datetime.date(2024, 10, 16))
    ProgramFactory(body=body, fiscal_year=2024)


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_staff_see_the_documents_of_their_body_only(kampar, sleman, staff_client):
    documents_of(kampar, 1)
    documents_of(sleman, 1)
    visit = StudyVisitFactory(visiting_body=kampar, host_body=sleman)

    response = staff_client.get(URL)

    assert response.status_code == 200
    page = response.text
    grant = kampar.funders.get().grants.get()
    assert reverse("report-lpj", args=[grant.pk]) in page
    assert "Hibah kampar 0" in page
    assert "Hibah sleman 0" not in page
    assert "LKS kampar 0" in page
    assert "LKS sleman 0" not in page
    assert "?body=kampar&amp;year=2024" in page
    assert "?body=sleman" not in page
    # A visit both bodies took part in is Kampar's to print too.
    assert reverse("visits:visit-report", args=[visit.pk]) in page


def test_a_provincial_official_sees_the_annual_reports_of_both_bodies(
    kampar, sleman, provincial, client_of
):
    documents_of(kampar, 1)
    page = client_of(provincial).get(URL).text
    assert "?body=kampar&amp;year=2024" in page
    assert "?body=sleman&amp;year=2024" in page


def test_a_user_of_no_body_is_refused(client_of):
    response = client_of(UserFactory()).get(URL)
    assert response.status_code == 403


def test_the_query_count_does_not_grow_with_the_documents(kampar, staff_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert staff_client.get(URL).status_code == 200
        return len(queries)

    documents_of(kampar, 1)
    few = count()
    documents_of(kampar, 4)
    assert count() == few


def test_the_dashboard_links_its_annual_report(kampar, staff_client):
    ProgramFactory(body=kampar, fiscal_year=2024)
    page = staff_client.get("/?year=2024").text
    assert f"{reverse('report-annual')}?body=kampar&amp;year=2024" in page


def test_the_navigation_leads_to_every_list(staff_client):
    page = staff_client.get(URL).text
    for name in ("due-list", "report-list", "programs:activity-list", "grants:expenditure-list"):
        assert f'href="{reverse(name)}"' in page


def test_staff_refused_the_comparison_are_told_why_within_the_navigation(staff_client):
    response = staff_client.get(reverse("compare"))
    assert response.status_code == 403
    assert "403.html" in [t.name for t in response.templates]
    page = response.text
    assert "membaca beberapa lembaga" in page
    assert "Pejabat dapat membaca" not in page
    assert f'href="{reverse("report-list")}"' in page  # the navigation is there


def test_an_official_refused_a_change_keeps_the_navigation(kampar, member, client_of):
    official = member(kampar, Membership.Role.OFFICIAL)
    response = client_of(official).get(reverse("members:organisation-create"))
    assert response.status_code == 403
    assert f'href="{reverse("due-list")}"' in response.text

"""The JSON summary at /api/summary/?body=<slug>&year=<yyyy>."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from grants.models import Funder
from lkks.models import Membership
from overview import dashboard
from tests.factories import (
    BodyFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.overview.dashboard_helpers import (
    add_lks,
    add_records,
    demo_fixture,
    demo_user,
    member,
    query_count,
)

demo = demo_fixture()

SUMMARY = reverse("api-summary")


@pytest.mark.django_db
class TestDemo:
    """The demo's figures in the JSON."""

    def test_sleman(self, client, demo):
        client.force_login(demo_user("pejabat-provinsi"))

        response = client.get(SUMMARY, {"body": "sleman", "year": 2024})

        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        data = response.json()
        assert data["body"] == {"slug": "sleman", "name": "LKKS Kabupaten Sleman"}
        assert data["year"] == 2024
        assert data["organisations"] == {
            "total": 125,
            "registered": 97,
            "in_process": 4,
            "unregistered": 24,
            "expired": 0,
            "accredited": 57,
            "accredited_by_grade": {"A": 12, "B": 30, "C": 15},
            "expiring_90_days": 0,
        }
        assert data["money"]["absorption_pct"] == 90.0  # all that was paid out is spent

    def test_kampar(self, client, demo):
        client.force_login(demo_user("pejabat-kampar"))

        data = client.get(SUMMARY, {"body": "kampar", "year": 2024}).json()

        assert data["programs"] == {
            "total": 5,
            "activities": 15,
            "activities_by_status": {"planned": 2, "ongoing": 2, "done": 11, "cancelled": 0},
        }
        money = data["money"]
        assert money["total"] == 1_128_000_000
        assert money["by_funder_kind"] == {
            "hibah_apbd": 1_000_000_000,
            "apbn": 0,
            "csr": 128_000_000,
            "donation": 0,
            "own": 0,
            "other": 0,
        }
        assert money["allocated"] == 1_128_000_000
        assert money["disbursed"] == 1_028_000_000
        assert money["spent"] == 893_100_000
        assert money["absorption_pct"] == 79.2  # 893,1 of 1.128 juta, one decimal

    def test_without_body_a_user_of_one_body_gets_it(self, client, demo):
        client.force_login(demo_user("staf-kampar"))

        data = client.get(SUMMARY, {"year": 2024}).json()

        assert data["body"]["slug"] == "kampar"


# The keys


@pytest.mark.django_db
def test_exactly_the_documented_keys(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)

    data = client.get(SUMMARY).json()

    assert set(data) == {"body", "year", "organisations", "programs", "money"}
    assert set(data["body"]) == {"slug", "name"}
    assert set(data["organisations"]) == {
        "total",
        "registered",
        "in_process",
        "unregistered",
        "expired",
        "accredited",
        "accredited_by_grade",
        "expiring_90_days",
    }
    assert set(data["organisations"]["accredited_by_grade"]) == {"A", "B", "C"}
    assert set(data["programs"]) == {"total", "activities", "activities_by_status"}
    assert set(data["programs"]["activities_by_status"]) == {
        "planned",
        "ongoing",
        "done",
        "cancelled",
    }
    assert set(data["money"]) == {
        "total",
        "by_funder_kind",
        "allocated",
        "disbursed",
        "spent",
        "absorption_pct",
    }
    assert set(data["money"]["by_funder_kind"]) == set(Funder.Kind.values)
    assert all(isinstance(value, int) for value in data["money"]["by_funder_kind"].values())
    assert data["money"]["absorption_pct"] == 10.0


@pytest.mark.django_db
def test_without_money_absorption_is_null(client, kampar):
    client.force_login(member(kampar))

    data = client.get(SUMMARY).json()

    assert data["money"]["total"] == 0
    assert data["money"]["absorption_pct"] is None
    assert data["year"] == timezone.localdate().year


# Years


@pytest.mark.django_db
def test_the_year_chooses_the_figures_and_the_as_of_date(client, kampar):
    client.force_login(member(kampar))
    ProgramFactory(body=kampar, fiscal_year=2023)
    ProgramFactory(body=kampar, fiscal_year=2025)
    RegistrationFactory(
        organisation=OrganisationFactory(body=kampar),
        submitted_on=datetime.date(2024, 5, 1),
        issued_on=datetime.date(2024, 6, 1),
    )

    data_2023 = client.get(SUMMARY, {"year": 2023}).json()
    data_2024 = client.get(SUMMARY, {"year": 2024}).json()

    assert data_2023["programs"]["total"] == 1
    assert data_2023["organisations"]["registered"] == 0  # as of 31 December 2023
    assert data_2024["organisations"]["registered"] == 1
    assert client.get(SUMMARY).json()["year"] == 2025  # the latest with data


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", "2024.5"])
def test_a_bad_year_is_a_400_with_a_json_error(client, kampar, year):
    client.force_login(member(kampar))

    response = client.get(SUMMARY, {"year": year})

    assert response.status_code == 400
    assert response.json()["field"] == "year"
    assert response.json()["error"]


# Scoping


@pytest.mark.django_db
def test_another_bodys_summary_is_404(client, kampar, sleman):
    client.force_login(member(kampar, role=Membership.Role.STAFF))

    response = client.get(SUMMARY, {"body": "sleman"})

    assert response.status_code == 404
    assert "error" in response.json()
    assert client.get(SUMMARY, {"body": "nothing"}).status_code == 404


@pytest.mark.django_db
def test_without_body_a_user_of_several_bodies_is_told_to_choose(client, kampar, sleman):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)

    response = client.get(SUMMARY)

    assert response.status_code == 400
    assert response.json()["bodies"] == ["kampar", "sleman"]
    assert client.get(SUMMARY, {"body": "sleman"}).json()["body"]["slug"] == "sleman"


@pytest.mark.django_db
def test_a_user_of_no_body_gets_404(client, kampar):
    client.force_login(UserFactory())

    response = client.get(SUMMARY)

    assert response.status_code == 404
    assert "error" in response.json()


@pytest.mark.django_db
def test_the_admin_reads_any_body(client, kampar, sleman):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    assert client.get(SUMMARY, {"body": "sleman"}).json()["body"]["slug"] == "sleman"
    assert client.get(SUMMARY).status_code == 400  # several bodies: choose one


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client, kampar):
    response = client.get(SUMMARY, {"body": "kampar"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_only_get(client, kampar):
    client.force_login(member(kampar))

    assert client.post(SUMMARY).status_code == 405


# Speed


@pytest.mark.django_db
def test_the_summary_takes_as_many_queries_for_1000_lks_as_for_10(client, kampar):
    client.force_login(member(kampar))
    BodyFactory()
    add_records(kampar)
    add_lks(kampar, 10)
    url = f"{SUMMARY}?body=kampar&year=2024"
    query_count(client, url)
    cache.clear()  # computed, not taken from the cache

    with_10 = query_count(client, url)
    add_lks(kampar, 990)
    add_records(kampar)
    cache.clear()

    assert query_count(client, url) == with_10


# Kept between requests while nothing changes


FIGURES_TABLES = ("members_organisation", "programs_program", "grants_grant")


def statements_of(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


@pytest.mark.django_db
def test_the_second_summary_comes_from_the_cache(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)
    add_lks(kampar, 10)
    url = f"{SUMMARY}?body=kampar&year=2024"

    first, computed = statements_of(client, url)
    second, cached = statements_of(client, url)

    assert second.json() == first.json()
    assert any(table in sql for sql in computed for table in FIGURES_TABLES)
    assert not any(table in sql for sql in cached for table in FIGURES_TABLES)
    # The user and the data version; the session and the bodies are in the cache.
    assert len(cached) <= 3, cached
    assert len(cached) <= len(computed) - 8


@pytest.mark.django_db
def test_the_cached_summary_takes_as_many_queries_for_1000_lks_as_for_10(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)
    add_lks(kampar, 10)
    url = f"{SUMMARY}?body=kampar&year=2024"
    query_count(client, url)
    with_10 = query_count(client, url)

    add_lks(kampar, 990)
    add_records(kampar)
    query_count(client, url)

    assert query_count(client, url) == with_10


@pytest.mark.django_db
def test_the_summary_changes_after_a_write(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)
    url = f"{SUMMARY}?body=kampar"
    before = client.get(url).json()["organisations"]["total"]

    organisation = OrganisationFactory(body=kampar)
    assert client.get(url).json()["organisations"]["total"] == before + 1

    organisation.delete()
    assert client.get(url).json()["organisations"]["total"] == before

    kampar.name = "LKKS Kampar Baru"
    kampar.save()
    assert client.get(url).json()["body"]["name"] == "LKKS Kampar Baru"


@pytest.mark.django_db
def test_the_summary_is_kept_per_body_year_and_language(client, kampar, sleman, monkeypatch):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)
    add_records(kampar)
    computed = []
    body_figures = dashboard.body_figures
    monkeypatch.setattr(
        dashboard,
        "body_figures",
        lambda bodies, year, **kwargs: (
            computed.append(year) or body_figures(bodies, year, **kwargs)
        ),
    )
    asked = [("kampar", 2024, "id"), ("sleman", 2024, "id"), ("kampar", 2023, "id")]
    asked.append(("kampar", 2024, "en"))

    for _round in range(2):
        for slug, year, language in asked:
            client.cookies["django_language"] = language
            data = client.get(SUMMARY, {"body": slug, "year": year}).json()
            assert (data["body"]["slug"], data["year"]) == (slug, year)

    assert len(computed) == len(asked)

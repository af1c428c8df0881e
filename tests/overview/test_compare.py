"""The comparison of bodies at /compare/ and its CSV and XLSX downloads."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lkks.exports import neutralise
from lkks.models import Membership
from overview import dashboard
from tests.background import finished, request_job
from tests.factories import BodyFactory, UserFactory, region
from tests.overview.dashboard_helpers import (
    add_lks,
    add_records,
    demo_fixture,
    demo_user,
    member,
    query_count,
)

demo = demo_fixture()

COMPARE = reverse("compare")
EXPORT = reverse("compare-export")
ENGLISH = {"accept-language": "en"}  # the downloads' labels are read back in English


def row(board, key):
    return next(row for row in board.rows if row.key == key)


def values(board, key):
    return [cell.value for cell in row(board, key).cells]


def best(board, key):
    return [cell.is_best for cell in row(board, key).cells]


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    # The separator of every export (lkks/exports.py), as Indonesian Excel reads it.
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


@pytest.mark.django_db
class TestDemo:
    """Kampar and Sleman side by side, as the provincial official sees them."""

    def test_the_bodies_side_by_side(self, client, demo):
        client.force_login(demo_user("pejabat-provinsi"))

        response = client.get(COMPARE, {"year": 2024})

        board = response.context["board"]
        assert [body.slug for body in board.bodies] == ["kampar", "sleman"]
        assert values(board, "total") == [12, 125]
        assert values(board, "registered") == [7, 97]
        assert values(board, "registered_pct") == [58.3, 77.6]
        assert values(board, "money_total") == [Decimal(1_128_000_000), Decimal(85_000_000)]
        page = response.content.decode()
        assert "Rp 1.128.000.000" in page
        assert "77,6%" in page

    def test_the_best_value_of_each_row_is_marked_not_by_colour_only(self, client, demo):
        client.force_login(demo_user("pejabat-provinsi"))

        response = client.get(COMPARE, {"year": 2024})

        board = response.context["board"]
        assert best(board, "total") == [False, True]
        assert best(board, "unregistered") == [True, False]  # fewer is better
        assert best(board, "money_total") == [True, False]
        assert best(board, "expired") == [False, False]  # both 0: nothing to mark
        assert best(board, "in_process") == [False, False]  # neither side is better
        page = response.content.decode()
        assert '<td class="money best"><strong>125</strong><span class="visually-hidden">' in page

    def test_the_csv_holds_the_same_table(self, client, demo):
        client.force_login(demo_user("pejabat-provinsi"))

        response = client.get(EXPORT, {"year": 2024, "format": "csv"}, headers=ENGLISH)

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Content-Disposition"].startswith("attachment; filename=")
        rows = read_csv(response)
        assert rows[0][2:4] == ["LKKS Kabupaten Kampar", "LKKS Kabupaten Sleman"]
        by_label = {row[1]: row for row in rows[1:]}
        assert by_label["Jumlah LKS"][2:] == ["12", "125", "LKKS Kabupaten Sleman"]
        assert by_label["Jumlah hibah"][2:4] == ["1128000000", "85000000"]

    def test_the_xlsx_holds_the_same_table_with_the_best_in_bold(self, run_worker, client, demo):
        client.force_login(demo_user("pejabat-provinsi"))

        # The XLSX of several bodies is always written by a job (lkks/exports.py).
        _response, job = request_job(
            client, "get", EXPORT, {"year": 2024, "format": "xlsx"}, headers=ENGLISH
        )

        job = finished(job, run_worker)
        assert job.status == job.Status.SUCCEEDED
        assert job.result_name == "lkks-comparison-2024.xlsx"
        sheet = load_workbook(job.result.open("rb")).active
        rows = {row[1].value: row for row in sheet.iter_rows(min_row=2)}
        total = rows["Jumlah LKS"]
        assert [total[2].value, total[3].value] == [12, 125]
        assert total[3].font.bold
        assert not total[2].font.bold
        assert rows["Jumlah hibah"][2].value == 1_128_000_000


# Who may compare


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Membership.Role.STAFF, Membership.Role.OFFICIAL])
@pytest.mark.parametrize("url", [COMPARE, EXPORT])
def test_a_user_of_one_body_may_not_compare(client, kampar, sleman, role, url):
    client.force_login(member(kampar, role=role))

    assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_a_user_of_two_bodies_compares_just_those(client, kampar, sleman):
    BodyFactory(name="LKKS Lain", slug="lain")
    user = member(kampar)
    member(sleman, user=user, role=Membership.Role.STAFF)
    client.force_login(user)

    board = client.get(COMPARE).context["board"]

    assert board.bodies == [kampar, sleman]


@pytest.mark.django_db
def test_the_admin_compares_every_body(client, kampar, sleman):
    other = BodyFactory(name="LKKS Lain", slug="lain")
    client.force_login(UserFactory(is_superuser=True, is_staff=True))

    board = client.get(COMPARE).context["board"]

    assert board.bodies == [kampar, sleman, other]  # by name


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client):
    for url in (COMPARE, EXPORT):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


# The comparison's rules


@pytest.mark.django_db
def test_years_switch_and_default_to_the_latest_with_data(client, kampar, sleman):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)
    add_records(kampar, year=2023)
    add_records(sleman, year=2024)

    assert client.get(COMPARE).context["board"].year == 2024
    board_2023 = client.get(COMPARE, {"year": 2023}).context["board"]
    assert board_2023.year == 2023
    assert values(board_2023, "programs") == [1, 0]


def test_ties_at_the_best_value_are_all_marked():
    cells = dashboard._cells([3, 5, 5, None], dashboard.HIGHER)

    assert [cell.is_best for cell in cells] == [False, True, True, False]
    assert [cell.is_best for cell in dashboard._cells([3, 1], dashboard.LOWER)] == [False, True]
    assert not any(cell.is_best for cell in dashboard._cells([None, None], dashboard.HIGHER))


@pytest.mark.django_db
def test_a_bad_format_or_year_is_refused(client, kampar, sleman):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)

    assert client.get(EXPORT, {"format": "pdf"}).status_code == 400
    assert client.get(EXPORT, {"year": "20x4"}).status_code == 400
    response = client.get(COMPARE, {"year": "20x4"})
    assert response.status_code == 200
    assert response.context["year_form"].errors["year"]


# Cells that a spreadsheet would run


FORMULAS = ['=HYPERLINK("http://evil.example","klik")', "+1+2", "-3", "@SUM(A1)", "\tx", "\rx"]


@pytest.fixture
def formula_bodies(db):
    """Bodies whose names would be formulas in a spreadsheet, read by one user."""
    user = UserFactory()
    for n, name in enumerate(FORMULAS):
        body = BodyFactory(name=name, slug=f"rumus-{n}", regency=region("14.01"))
        member(body, user=user)
    return user


def test_formula_like_cells_are_neutralised_in_the_csv(client, formula_bodies):
    client.force_login(formula_bodies)

    header = read_csv(client.get(EXPORT, {"format": "csv"}))[0]

    assert sorted(header[2:-1]) == sorted("'" + name for name in FORMULAS)


def test_formula_like_cells_are_neutralised_in_the_xlsx(run_worker, client, formula_bodies):
    client.force_login(formula_bodies)

    _response, job = request_job(client, "get", EXPORT, {"format": "xlsx"})

    sheet = load_workbook(finished(job, run_worker).result.open("rb")).active
    header = list(sheet[1])[2:-1]
    # XML reads a carriage return back as a line feed.
    expected = sorted("'" + name.replace("\r", "\n") for name in FORMULAS)
    assert sorted(cell.value for cell in header) == expected
    assert {cell.data_type for cell in header} == {"s"}


def test_neutralise_leaves_plain_text_alone():
    assert neutralise("LKKS Kampar") == "LKKS Kampar"
    assert neutralise("=1+1") == "'=1+1"


# Speed


@pytest.mark.django_db
def test_the_comparison_takes_as_many_queries_for_1000_lks_as_for_10(client, kampar, sleman):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)
    for body in (kampar, sleman):
        add_records(body)
        add_lks(body, 5)
    query_count(client, COMPARE)

    page_10 = query_count(client, COMPARE)
    csv_10 = query_count(client, EXPORT + "?format=csv")
    # The XLSX of several bodies only starts a job.
    xlsx_10 = query_count(client, EXPORT + "?format=xlsx", status=302)
    add_lks(kampar, 500)
    add_lks(sleman, 490)
    for body in (kampar, sleman):
        add_records(body)

    assert query_count(client, COMPARE) == page_10
    assert query_count(client, EXPORT + "?format=csv") == csv_10
    assert query_count(client, EXPORT + "?format=xlsx", status=302) == xlsx_10


@pytest.mark.django_db
def test_the_figures_take_eight_queries_whatever_the_number_of_bodies(
    kampar, sleman, django_assert_num_queries
):
    bodies = [kampar, sleman, *(BodyFactory() for _ in range(4))]
    for body in bodies:
        add_records(body)

    with django_assert_num_queries(8):
        dashboard.body_figures(bodies, 2024)

"""The dashboard at /: one body's figures for a fiscal year, its charts, and the cost of
computing them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from lkks.models import Membership
from members.models import Accreditation, Registration
from overview import dashboard
from programs.models import Activity, Program
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    FunderFactory,
    GrantFactory,
    LpjSubmissionFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    UserFactory,
)
from tests.overview.dashboard_helpers import (
    SLEMAN_IN_PROCESS,
    add_lks,
    add_records,
    demo_fixture,
    demo_user,
    member,
    query_count,
)

demo = demo_fixture()

HOME = reverse("home")


@pytest.mark.django_db
class TestDemo:
    """The demo's figures, charts and letterhead on the page."""

    def test_sleman_dashboard_shows_the_story_figures(self, client, demo):
        client.force_login(demo_user("pejabat-sleman"))

        response = client.get(HOME, {"year": 2024})

        board = response.context["board"]
        lks = board.figures.organisations
        assert (lks.total, lks.registered, lks.in_process, lks.accredited) == (125, 97, 4, 57)
        assert (lks.unregistered, lks.expired) == (24, 0)
        assert lks.accredited_by_grade == {"A": 12, "B": 30, "C": 15}
        assert {link.label for link in board.in_process} == SLEMAN_IN_PROCESS
        assert board.as_of == datetime.date(2024, 12, 31)
        page = response.content.decode()
        for name in SLEMAN_IN_PROCESS:
            assert f">{name}</a>" in page
        assert 'data-figure="total">125</p>' in page
        assert 'data-figure="registered">97</p>' in page
        assert "77,6%" in page  # 97 of 125, in Indonesian
        assert 'data-figure="accredited">57</p>' in page

    def test_kampar_dashboard_shows_programs_activities_and_money(self, client, demo):
        client.force_login(demo_user("pejabat-kampar"))

        response = client.get(HOME, {"year": 2024})

        figures = response.context["board"].figures
        assert figures.programs.total == 5
        assert figures.programs.activities == 15
        assert figures.money.totals.total == Decimal(1_128_000_000)
        page = response.content.decode()
        assert "Rp 1.128.000.000" in page
        assert "Rp 1.000.000.000" in page  # the hibah APBD
        assert "Rp 128.000.000" in page  # the CSR
        # The hibah was accounted for and its remainder returned; the CSR is still held.
        money = figures.money
        assert money.totals.cash_held == Decimal(44_650_000)
        assert money.totals.returned == Decimal(90_250_000)
        assert (money.by_stage["closed"], money.by_stage["disbursed"]) == (1, 2)
        assert "Rp 44.650.000" in page
        chart = response.context["charts"]["lpj"]
        assert [row.values for row in chart.rows][-1] == (1,)  # closed

    def test_the_default_year_is_the_latest_with_data(self, client, demo):
        client.force_login(demo_user("pejabat-kampar"))

        response = client.get(HOME)

        assert response.context["board"].year == 2024

    def test_in_process_names_link_to_their_lks(self, client, demo):
        client.force_login(demo_user("pejabat-sleman"))

        board = client.get(HOME, {"year": 2024}).context["board"]

        for link in board.in_process:
            assert re.fullmatch(r"/members/\d+/", link.url)

    def test_charts_are_accessible_svg_with_data_tables_and_no_script(self, client, demo):
        client.force_login(demo_user("pejabat-sleman"))  # Sleman has data for every chart

        page = client.get(HOME, {"year": 2024}).content.decode()

        svgs = re.findall(r"<svg [^>]*>", page)
        assert len(svgs) == 7
        for svg in svgs:
            assert 'role="img"' in svg
            labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1)
            for element_id in labelled_by.split():
                assert f'id="{element_id}"' in page
        assert page.count("<title id=") == 7
        assert page.count('<table class="visually-hidden">') == 7
        assert "<script>" not in page  # only the Bootstrap bundle, as a static file
        assert "style=" not in page

    def test_the_printed_page_has_the_body_letterhead(self, client, demo):
        client.force_login(demo_user("pejabat-sleman"))

        page = client.get(HOME, {"year": 2024}).content.decode()

        assert 'class="letterhead d-none d-print-block"' in page
        assert "LEMBAGA KOORDINASI KESEJAHTERAAN SOSIAL KABUPATEN SLEMAN" in page
        assert "Mitra Dinas Sosial Kabupaten Sleman" in page
        assert "Jl. Parasamya" in page
        assert 'href="/static/css/print.css" media="print"' in page


# Years and the as-of date


def test_counts_are_as_of_today_this_year_and_31_december_of_past_years():
    today = datetime.date(2025, 6, 1)
    assert dashboard.as_of_date(2025, today) == today
    assert dashboard.as_of_date(2024, today) == datetime.date(2024, 12, 31)
    assert dashboard.as_of_date(2026, today) == today  # a future year: today


@pytest.mark.django_db
def test_without_data_the_default_year_is_the_current_year(client, kampar):
    client.force_login(member(kampar))

    board = client.get(HOME).context["board"]

    assert board.year == timezone.localdate().year
    assert board.as_of == timezone.localdate()


@pytest.mark.django_db
def test_year_switching_shows_that_year_and_counts_lks_as_of_its_end(client, kampar):
    client.force_login(member(kampar))
    ProgramFactory(body=kampar, fiscal_year=2023)
    for _ in range(2):
        ProgramFactory(body=kampar, fiscal_year=2024)
    # Applied in December 2023, registered from January 2024: a registration counts
    # from its issue date, so at the end of 2023 the LKS was still in process.
    RegistrationFactory(organisation=OrganisationFactory(body=kampar))

    board_2023 = client.get(HOME, {"year": 2023}).context["board"]
    board_2024 = client.get(HOME, {"year": 2024}).context["board"]

    assert board_2023.year == 2023
    assert board_2023.figures.programs.total == 1
    assert board_2023.figures.organisations.registered == 0
    assert board_2023.figures.organisations.in_process == 1
    assert board_2024.figures.programs.total == 2
    assert board_2024.figures.organisations.registered == 1
    assert board_2024.years == [2024, 2023]


@pytest.mark.django_db
def test_the_year_selector_offers_years_with_data_and_the_current_year(client, kampar):
    client.force_login(member(kampar))
    ProgramFactory(body=kampar, fiscal_year=2021)
    GrantFactory(funder=FunderFactory(body=kampar), fiscal_year=2022)

    response = client.get(HOME)

    assert response.context["board"].year == 2022
    assert response.context["year_choices"] == [timezone.localdate().year, 2022, 2021]


@pytest.mark.django_db
@pytest.mark.parametrize("year", ["abc", "1999", "2101"])
def test_a_bad_year_shows_a_message_on_the_field_and_the_default_year(client, kampar, year):
    client.force_login(member(kampar))
    ProgramFactory(body=kampar, fiscal_year=2024)

    response = client.get(HOME, {"year": year})

    assert response.status_code == 200
    assert response.context["board"].year == 2024
    assert response.context["year_form"].errors["year"]
    assert 'id="year-error" class="invalid-feedback"' in response.content.decode()


# Expiring within 90 days


@pytest.fixture
def expiring(kampar):
    """Three LKS whose registration and accreditation end 89, 90 and 91 days after
    1 June 2025."""
    today = datetime.date(2025, 6, 1)
    names = {}
    for days in (89, 90, 91):
        organisation = OrganisationFactory(body=kampar, name=f"LKS {days} hari")
        RegistrationFactory(
            organisation=organisation,
            issued_on=datetime.date(2020, 6, 1),
            submitted_on=datetime.date(2020, 5, 1),
            valid_until=today + datetime.timedelta(days=days),
        )
        AccreditationFactory(
            organisation=organisation,
            accredited_on=datetime.date(2023, 1, 1),
            valid_until=today + datetime.timedelta(days=days),
        )
        names[days] = organisation.name
    return today, names


@pytest.mark.django_db
def test_registrations_and_accreditations_ending_in_89_or_90_days_expire_not_91(kampar, expiring):
    today, names = expiring

    board = dashboard.dashboard(kampar, 2025, years=[], today=today)

    listed = [row.organisation.label for row in board.expiring_registrations]
    assert listed == [names[89], names[90]]
    assert [row.days_left for row in board.expiring_registrations] == [89, 90]
    accredited = [row.organisation.label for row in board.expiring_accreditations]
    assert accredited == [names[89], names[90]]
    assert board.figures.organisations.expiring_90_days == 2


@pytest.mark.django_db
def test_a_renewed_registration_is_not_expiring(kampar, expiring):
    today, names = expiring
    renewed = Registration.objects.get(organisation__name=names[89])
    RegistrationFactory(
        organisation=renewed.organisation,
        submitted_on=today - datetime.timedelta(days=30),
        issued_on=today - datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=5 * 365),
    )

    board = dashboard.dashboard(kampar, 2025, years=[], today=today)

    assert [row.organisation.label for row in board.expiring_registrations] == [names[90]]


@pytest.mark.django_db
def test_the_page_lists_expiring_records_with_their_dates(client, kampar):
    client.force_login(member(kampar))
    today = timezone.localdate()
    organisation = OrganisationFactory(body=kampar, name="Panti Segera Habis")
    RegistrationFactory(
        organisation=organisation,
        number="TD/HABIS/1",
        submitted_on=today - datetime.timedelta(days=400),
        issued_on=today - datetime.timedelta(days=365),
        valid_until=today + datetime.timedelta(days=30),
    )

    response = client.get(HOME)

    page = response.content.decode()
    assert f'<a href="{organisation.get_absolute_url()}">Panti Segera Habis</a>' in page
    assert "TD/HABIS/1" in page


@pytest.mark.django_db
def test_long_lists_stop_at_50_and_say_how_many_are_left_out(client, kampar):
    client.force_login(member(kampar))
    add_lks(kampar, 600)  # every tenth LKS is in the registration process

    board = client.get(HOME, {"year": 2024}).context["board"]

    assert board.figures.organisations.in_process == 60
    assert len(board.in_process) == 50
    assert board.in_process_left_out == 10


# Programs, money, LPJ


@pytest.mark.django_db
def test_programs_and_money_figures(kampar):
    add_records(kampar)
    planned = ActivityFactory(program=ProgramFactory(body=kampar, category="social"))
    ActivityFactory(program=planned.program, status=Activity.Status.CANCELLED)
    GrantFactory(  # a proposal is not money yet
        funder=FunderFactory(body=kampar), proposed=True, amount=Decimal(9)
    )

    board = dashboard.dashboard(kampar, 2024, years=[2024])

    programs = board.figures.programs
    assert programs.total == 2
    assert programs.by_category == {Program.Category.INSTITUTIONAL: 1, Program.Category.SOCIAL: 1}
    assert programs.activities_by_status == {
        "planned": 1,
        "ongoing": 0,
        "done": 1,
        "cancelled": 1,
    }
    assert programs.activities_done_pct == 50.0  # 1 done of 2 not cancelled
    assert (programs.participants, programs.organisations_reached) == (30, 1)
    money = board.figures.money
    assert money.by_funder_kind["csr"].total == Decimal(50_000_000)
    assert money.totals.total == Decimal(50_000_000)
    assert money.totals.allocated == Decimal(20_000_000)
    assert money.totals.spent == Decimal(5_000_000)
    assert money.totals.absorption_pct == 10.0
    assert [row.code for row in board.programs] == sorted(row.code for row in board.programs)


@pytest.mark.django_db
def test_lpj_overdue_and_due_soon(kampar):
    """An LPJ is due within the same 30 days as on the list of what is due and in the
    reminders (overview.policy), the 30th day included."""
    today = datetime.date(2025, 2, 1)
    funder = FunderFactory(body=kampar)
    overdue = GrantFactory(funder=funder, lpj_due_on=datetime.date(2025, 1, 10))
    due = GrantFactory(funder=funder, lpj_due_on=today + datetime.timedelta(days=30))
    GrantFactory(funder=funder, lpj_due_on=today + datetime.timedelta(days=31))
    LpjSubmissionFactory(
        grant=GrantFactory(funder=funder, lpj_due_on=datetime.date(2025, 1, 10)),
        submitted_on=datetime.date(2025, 1, 9),
    )

    board = dashboard.dashboard(kampar, 2024, years=[2024], today=today)

    assert [row.grant.url for row in board.lpj_overdue] == [overdue.get_absolute_url()]
    assert board.lpj_overdue[0].days == -22
    assert [row.grant.url for row in board.lpj_due] == [due.get_absolute_url()]
    assert board.figures.money.lpj_overdue == 1


# Recent changes


@pytest.mark.django_db
def test_recent_changes_show_who_changed_what_with_a_link(kampar, sleman):
    editor = UserFactory(first_name="Rina", last_name="Operator")
    organisation = OrganisationFactory.build(body=kampar, name="Panti Baru")
    organisation._history_user = editor
    organisation.save()
    OrganisationFactory(body=sleman, name="LKS Sleman Lain")

    changes = dashboard.recent_changes(kampar)

    assert changes[0].label == "Panti Baru"
    assert changes[0].who == "Rina Operator"
    assert changes[0].url == organisation.get_absolute_url()
    assert "LKS Sleman Lain" not in {change.label for change in changes}


@pytest.mark.django_db
def test_recent_changes_are_the_ten_newest_across_models(kampar):
    for _ in range(3):
        add_records(kampar)

    changes = dashboard.recent_changes(kampar)

    assert len(changes) == 10
    assert changes == sorted(changes, key=lambda change: change.order, reverse=True)
    assert len({change.kind for change in changes}) > 1


@pytest.mark.django_db
def test_a_deleted_record_is_listed_without_a_link(kampar):
    program = ProgramFactory(body=kampar, code="HAPUS")
    program.delete()

    changes = dashboard.recent_changes(kampar)

    assert changes[0].label.startswith("HAPUS")
    assert changes[0].url is None


# Scoping


@pytest.mark.django_db
def test_another_bodys_dashboard_is_404(client, kampar, sleman):
    client.force_login(member(kampar))

    assert client.get(HOME, {"body": "sleman"}).status_code == 404
    assert client.get(HOME, {"body": "no-such-body"}).status_code == 404


@pytest.mark.django_db
def test_a_user_of_two_bodies_opens_either_by_slug(client, kampar, sleman):
    user = member(kampar)
    member(sleman, user=user)
    client.force_login(user)

    assert client.get(HOME, {"body": "sleman"}).context["board"].body == sleman
    assert client.get(HOME, {"body": "kampar"}).context["board"].body == kampar


@pytest.mark.django_db
def test_the_dashboard_counts_only_its_own_body(kampar, sleman):
    add_lks(kampar, 3)
    add_lks(sleman, 5)

    board = dashboard.dashboard(kampar, 2024, years=[])

    assert board.figures.organisations.total == 3


@pytest.mark.django_db
def test_a_user_of_no_body_gets_a_friendly_message(client, kampar):
    client.force_login(UserFactory())

    response = client.get(HOME)

    assert response.status_code == 200
    assert response.context["board"] is None


@pytest.mark.django_db
def test_anonymous_users_go_to_the_login_page(client):
    response = client.get(HOME)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_only_users_of_several_bodies_see_the_compare_button(client, kampar, sleman):
    single = member(kampar, role=Membership.Role.STAFF)
    provincial = member(kampar)
    member(sleman, user=provincial)

    client.force_login(single)
    assert client.get(HOME).context["can_compare"] is False
    client.force_login(provincial)
    assert client.get(HOME).context["can_compare"] is True


# Speed


@pytest.mark.django_db
def test_the_dashboard_takes_as_many_queries_for_1000_lks_as_for_10(client, kampar, sleman):
    client.force_login(member(kampar))
    add_records(kampar)
    add_lks(kampar, 10)
    add_lks(sleman, 10)
    query_count(client, HOME)  # the first request of a session does some more

    cache.clear()  # computed anew, not taken from the cache
    with_10 = query_count(client, HOME)
    add_lks(kampar, 990)
    for _ in range(5):
        add_records(kampar)
    cache.clear()
    with_1000 = query_count(client, HOME)

    assert with_1000 == with_10


@pytest.mark.django_db
def test_the_dashboard_figures_take_a_fixed_number_of_queries(kampar, django_assert_num_queries):
    add_records(kampar)
    add_lks(kampar, 20)

    # 26, and the LKS's verified documents expiring and the applications waiting too
    # long (the register's and the portal's).
    with django_assert_num_queries(29):
        dashboard.dashboard(kampar, 2024, years=[2024])


@pytest.mark.django_db
def test_no_query_runs_while_the_template_renders(client, kampar, django_assert_num_queries):
    client.force_login(member(kampar))
    add_records(kampar)
    add_lks(kampar, 20)
    response = client.get(HOME, {"year": 2024})
    context = response.context[0].flatten()  # the page's own, not an include's
    cache.clear()  # the whole page drawn, not its sections taken from the cache

    with django_assert_num_queries(0):
        page = render_to_string("overview/dashboard.html", context)

    assert "Rp 50.000.000" in page


# Kept between requests while nothing changes


@pytest.mark.django_db
def test_a_second_request_reuses_the_figures(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)
    query_count(client, HOME)

    cached = query_count(client, HOME)
    cache.clear()
    computed = query_count(client, HOME)

    assert cached <= computed - 25


@pytest.mark.django_db
def test_a_save_or_a_deletion_shows_at_once(client, kampar):
    client.force_login(member(kampar))
    add_records(kampar)
    assert client.get(HOME).context["board"].figures.organisations.total == 1

    organisation = OrganisationFactory(body=kampar)
    assert client.get(HOME).context["board"].figures.organisations.total == 2

    organisation.delete()
    assert client.get(HOME).context["board"].figures.organisations.total == 1

    kampar.name = "LKKS Kampar Baru"
    kampar.save()
    assert client.get(HOME).context["board"].body.name == "LKKS Kampar Baru"


@pytest.mark.django_db
def test_the_data_version_changes_with_every_write(kampar):
    before = dashboard.data_version()
    program = ProgramFactory(body=kampar)
    after_save = dashboard.data_version()
    program.name = "Nama baru"
    program.save()
    after_change = dashboard.data_version()
    program.delete()

    assert len({before, after_save, after_change, dashboard.data_version()}) == 4


@pytest.mark.django_db
def test_a_new_day_computes_anew(kampar, django_assert_max_num_queries):
    add_records(kampar)
    today = datetime.date(2025, 6, 1)
    dashboard.cached_dashboard(kampar, 2025, today=today)

    with django_assert_max_num_queries(1):  # the data version only
        same_day = dashboard.cached_dashboard(kampar, 2025, today=today)
    next_day = dashboard.cached_dashboard(kampar, 2025, today=today + datetime.timedelta(days=1))

    assert same_day.as_of == today
    assert next_day.as_of == today + datetime.timedelta(days=1)


def test_accreditation_grades_are_the_dashboards_grades():
    assert [grade.value for grade in Accreditation.Grade] == dashboard.GRADES

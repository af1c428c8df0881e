"""``manage.py load_demo`` tells the story of the seed with exactly its figures."""

import datetime
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count, Max, Min, Sum
from django.test.utils import override_settings
from django.urls import reverse

from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    LpjSubmission,
)
from grants.services import Ledger
from lkks.models import Body, Membership, Officer, Region, User
from members.models import Mentoring, Organisation, RegistrationStatus
from programs.models import Activity, Program
from visits.models import FollowUp, StudyVisit

pytestmark = pytest.mark.django_db

END_OF_2024 = datetime.date(2024, 12, 31)
OUR_APPS = ["lkks", "members", "programs", "grants", "visits"]


def load_demo():
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its
    end; each test runs in a savepoint within it."""
    with django_db_blocker.unblock(), transaction.atomic():
        load_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def kampar(demo):
    return Body.objects.get(slug="kampar")


@pytest.fixture
def sleman(demo):
    return Body.objects.get(slug="sleman")


def sleman_status_counts(sleman):
    rows = (
        Organisation.objects.for_body(sleman)
        .with_status(on=END_OF_2024)
        .values("registration_status")
        .annotate(n=Count("pk"))
    )
    return {row["registration_status"]: row["n"] for row in rows}


def test_load_demo_refuses_to_run_without_debug_and_writes_nothing(settings):
    settings.DEBUG = False
    before = snapshot()

    with pytest.raises(CommandError, match="DJANGO_DEBUG"):
        call_command("load_demo", stdout=StringIO())

    assert snapshot() == before


# Sleman


def test_sleman_has_125_lks(sleman):
    assert Organisation.objects.for_body(sleman).count() == 125


def test_sleman_has_97_registered_4_in_process_24_unregistered_none_expired(sleman):
    counts = sleman_status_counts(sleman)

    assert counts.get(RegistrationStatus.REGISTERED) == 97
    assert counts.get(RegistrationStatus.IN_PROCESS) == 4
    assert counts.get(RegistrationStatus.UNREGISTERED) == 24
    assert counts.get(RegistrationStatus.EXPIRED, 0) == 0


def test_sleman_in_process_are_the_four_the_story_names(sleman):
    in_process = Organisation.objects.for_body(sleman).with_registration_status(
        RegistrationStatus.IN_PROCESS, on=END_OF_2024
    )

    assert set(in_process.values_list("name", flat=True)) == {
        "Al Ghifari Turi",
        "Quen Latifa",
        "Permata Nusantara",
        "Pdhi Hj Sarwa",
    }


def test_al_ghifari_turi_is_in_turi(sleman):
    lks = Organisation.objects.get(body=sleman, name="Al Ghifari Turi")

    assert lks.district.name == "Turi"


def test_sleman_has_57_accredited_lks_with_a_mix_of_grades_all_registered(sleman):
    accredited = (
        Organisation.objects.for_body(sleman)
        .with_status(on=END_OF_2024)
        .filter(accreditation_grade__isnull=False)
    )

    assert accredited.count() == 57
    grades = Counter(accredited.values_list("accreditation_grade", flat=True))
    assert set(grades) == {"A", "B", "C"}
    assert set(accredited.values_list("registration_status", flat=True)) == {
        RegistrationStatus.REGISTERED
    }


def test_sleman_lks_are_spread_over_all_17_kecamatan(sleman):
    kecamatan = set(Region.objects.filter(parent__code="34.04").values_list("code", flat=True))

    used = set(Organisation.objects.for_body(sleman).values_list("district", flat=True))

    assert len(kecamatan) == 17
    assert used == kecamatan


def test_sleman_lks_villages_lie_in_their_kecamatan(sleman):
    for lks in Organisation.objects.for_body(sleman).select_related("village", "district"):
        lks.full_clean()


def test_sleman_has_mentoring_records(sleman):
    mentoring = Mentoring.objects.for_body(sleman)

    assert mentoring.exists()
    assert mentoring.values("kind").distinct().count() > 1


def test_sleman_has_85_million_from_dinas_sosial_sleman(sleman):
    grant = Grant.objects.for_body(sleman).get(funder__name="Dinas Sosial Kabupaten Sleman")

    assert grant.amount == Decimal(85_000_000)
    assert grant.funder.kind == Funder.Kind.HIBAH_APBD


def test_sleman_pintar_and_dinsos_pedas_are_in_the_visits_record_not_lkks_programs(sleman):
    """They are Dinas Sosial Sleman's programs, presented at the visit."""
    names = set(Program.objects.for_body(sleman).values_list("name", flat=True))
    visit = StudyVisit.objects.get(host_body=sleman)

    assert not {"Sleman Pintar", "Dinsos PEDAS"} & names
    assert "Sleman Pintar dan Dinsos PEDAS" in visit.lessons


# Kampar


def test_kampar_has_5_programs_with_15_activities_in_2024(kampar):
    programs = Program.objects.for_body(kampar).for_year(2024)

    assert programs.count() == 5
    assert Activity.objects.for_body(kampar).for_year(2024).count() == 15


def test_kampar_institutional_programs_hold_10_activities_and_social_ones_5(kampar):
    rows = (
        Program.objects.for_body(kampar)
        .for_year(2024)
        .values("category")
        .annotate(programs=Count("pk", distinct=True), activities=Count("activities"))
    )
    by_category = {row["category"]: (row["programs"], row["activities"]) for row in rows}

    assert by_category == {
        Program.Category.INSTITUTIONAL: (2, 10),
        Program.Category.SOCIAL: (3, 5),
    }


def test_kampar_grants_make_exactly_1128000000(kampar):
    total = Grant.objects.for_body(kampar).for_year(2024).aggregate(total=Sum("amount"))["total"]

    assert total == Decimal("1128000000")


def test_kampar_money_comes_from_hibah_apbd_and_csr_held_at_dinas_sosial(kampar):
    grants = Grant.objects.for_body(kampar)

    assert set(grants.values_list("funder__kind", flat=True)) == {
        Funder.Kind.HIBAH_APBD,
        Funder.Kind.CSR,
    }
    assert grants.filter(funder__name="Pemerintah Kabupaten Kampar").exists()
    assert set(grants.values_list("held_at", flat=True)) == {"Dinas Sosial Kabupaten Kampar"}


def test_kampar_money_is_allocated_partly_disbursed_and_spent(kampar):
    # Aliases differ from the annotations' names: Django drops an annotation that an
    # aggregate of the same name shadows (SQLite then sums a string literal to 0).
    totals = (
        Grant.objects.for_body(kampar)
        .with_totals()
        .aggregate(
            total=Sum("amount"),
            total_allocated=Sum("allocated"),
            total_disbursed=Sum("disbursed"),
            total_spent=Sum("spent"),
        )
    )

    assert Allocation.objects.for_body(kampar).exists()
    assert 0 < totals["total_allocated"] <= totals["total"]
    assert 0 < totals["total_disbursed"] < totals["total"]
    assert totals["total_spent"] > 0


def test_demo_money_keeps_the_money_rules(demo):
    for grant in Grant.objects.with_totals():
        assert grant.allocated <= grant.amount
        assert grant.disbursed <= grant.amount
        assert Ledger(grant).first_shortfall() is None  # no spending ahead of the cash
        assert grant.cash_held >= 0
    for allocation in Allocation.objects.with_spent():
        assert allocation.spent <= allocation.amount
    for line in BudgetLine.objects.with_spent():
        assert line.spent <= line.amount
    first_cash = dict(
        Disbursement.objects.values("grant")
        .annotate(first=Min("date"))
        .values_list("grant", "first")
    )
    for grant, date in Expenditure.objects.values_list("grant", "date"):
        assert date >= first_cash[grant]


def test_the_demos_grants_are_proposed_agreed_and_paid_as_their_money_requires(demo):
    for grant in Grant.objects.select_related("funder", "agreement"):
        assert grant.proposal_number
        assert grant.amount <= grant.requested_amount
        agreement = grant.agreement
        if grant.funder.kind == Funder.Kind.HIBAH_APBD:
            assert agreement.kind == Agreement.Kind.NPHD
            assert agreement.purpose
            assert agreement.bank_account_number
            assert agreement.grantor_signatory_name
            budget = grant.budget_lines.aggregate(total=Sum("amount"))["total"]
            assert budget == grant.amount  # the RAB makes the grant exactly
        else:
            assert agreement.kind == Agreement.Kind.MOU
        for disbursement in grant.disbursements.all():
            assert disbursement.date >= agreement.signed_on
            assert ("SP2D" in disbursement.reference) is grant.funder.is_state_money


def test_kampar_accounted_for_its_2024_hibah_in_january_2025_and_returned_the_rest(kampar):
    hibah = Grant.objects.for_body(kampar).with_stage().get(funder__kind=Funder.Kind.HIBAH_APBD)
    [lpj] = hibah.lpj_submissions.all()

    assert lpj.submitted_on.year == 2025
    assert lpj.submitted_on.month == 1
    assert lpj.submitted_on <= hibah.lpj_due_on
    assert lpj.outcome == LpjSubmission.Outcome.ACCEPTED
    assert lpj.letter_number == "001/LKKS-KPR/LPJ/I/2025"  # from its letter register
    [returned] = hibah.returns.all()
    assert returned.reference.startswith("STS")
    assert hibah.returned == returned.amount > 0
    assert (hibah.cash_held, hibah.stage) == (0, Grant.Stage.CLOSED)


def test_sleman_accounted_for_its_2024_hibah(demo):
    sleman = Grant.objects.with_stage().get(funder__body__slug="sleman")

    assert sleman.lpj_submissions.get().outcome == LpjSubmission.Outcome.ACCEPTED
    assert sleman.stage in (Grant.Stage.LPJ_ACCEPTED, Grant.Stage.CLOSED)


def test_hibah_apbd_lpj_is_due_on_10_january_2025(demo):
    hibah = Grant.objects.filter(funder__kind=Funder.Kind.HIBAH_APBD)

    assert set(hibah.values_list("lpj_due_on", flat=True)) == {datetime.date(2025, 1, 10)}


# Users


def test_demo_users_log_in_with_demo(demo):
    admin = User.objects.get(username="admin")

    assert admin.is_superuser
    assert admin.check_password("demo")
    for username in [
        "staf-kampar",
        "staf-sleman",
        "pejabat-kampar",
        "pejabat-sleman",
        "pejabat-provinsi",
    ]:
        user = User.objects.get(username=username)
        assert user.check_password("demo"), username
        assert not user.is_superuser, username


def test_demo_users_hold_their_roles(demo):
    memberships = {
        (m.user.username, m.body.slug, m.role)
        for m in Membership.objects.select_related("user", "body")
    }

    assert memberships == {
        ("staf-kampar", "kampar", Membership.Role.STAFF),
        ("staf-sleman", "sleman", Membership.Role.STAFF),
        ("pejabat-kampar", "kampar", Membership.Role.OFFICIAL),
        ("pejabat-sleman", "sleman", Membership.Role.OFFICIAL),
        ("pejabat-provinsi", "kampar", Membership.Role.OFFICIAL),
        ("pejabat-provinsi", "sleman", Membership.Role.OFFICIAL),
    }


def test_staff_of_one_body_see_none_of_the_other(kampar, sleman):
    staff = User.objects.get(username="staf-kampar")

    assert Organisation.objects.for_user(staff).count() == (
        Organisation.objects.for_body(kampar).count()
    )
    assert not Organisation.objects.for_user(staff).filter(body=sleman).exists()
    assert not Grant.objects.for_user(staff).filter(funder__body=sleman).exists()


# The body's people, paper and visit (overview/demo_visits.py)


def test_both_boards_hold_the_story_names(kampar, sleman):
    def board(body):
        return {
            officer.position_label: officer.name
            for officer in Officer.objects.for_body(body).holding(on=datetime.date(2024, 10, 16))
        }

    assert board(kampar)["Ketua Umum"] == "Ricana Djayanti Hambali, B.Dsg"
    assert board(sleman)["Ketua Umum"] == "Aly Manshur"
    assert {"Sekretaris", "Bendahara"} <= set(board(kampar)) & set(board(sleman))
    assert (kampar.social_head_name, sleman.social_head_name) == (
        "Zamzami Hasan",
        "Mustadi, S.Sos, MM",
    )
    assert sleman.social_secretary_name == "Sigit Indarto, SE, M.Si"


def test_the_visit_of_16_october_2024_as_the_story_tells_it(kampar, sleman):
    visit = StudyVisit.objects.get()
    people = {(d.side, d.name) for d in visit.delegates.all()}

    assert (visit.visiting_body, visit.host_body, visit.date) == (
        kampar,
        sleman,
        datetime.date(2024, 10, 16),
    )
    assert visit.place == "Dinas Sosial Kabupaten Sleman"
    assert people == {
        ("visiting", "Ricana Djayanti Hambali, B.Dsg"),
        ("visiting", "Zamzami Hasan"),
        ("host", "Sigit Indarto, SE, M.Si"),
        ("host", "Aly Manshur"),
    }
    for figure in ["97 sudah memiliki tanda daftar", "57 sudah", "Rp 85 juta", "Rp 38 miliar"]:
        assert figure in visit.lessons
    follow_ups = visit.follow_ups.all()
    assert {follow_up.body for follow_up in follow_ups} == {kampar}
    assert [f.status for f in follow_ups if f.is_open] == [FollowUp.Status.IN_PROGRESS]


def test_staff_of_both_bodies_see_the_visit(client, kampar, sleman):
    visit = StudyVisit.objects.get()
    for username in ["staf-kampar", "staf-sleman"]:
        client.force_login(User.objects.get(username=username))
        assert client.get(reverse("visits:visit-detail", args=[visit.pk])).status_code == 200


def test_kampars_documents_are_dated_in_bangkinang(client, kampar):
    visit = StudyVisit.objects.get()
    client.force_login(User.objects.get(username="staf-kampar"))

    report = client.get(reverse("visits:visit-report", args=[visit.pk]), {"side": "kampar"})

    text = " ".join(report.content.decode().split())
    assert "Bangkinang, 21 Oktober 2024" in text
    assert "001/LKKS-KPR/LAP/X/2024" in text
    assert "Ricana Djayanti Hambali, B.Dsg" in text
    assert "Zamzami Hasan" in text


# Idempotence


def snapshot():
    """Rows and latest change of every model of the project, many-to-many included."""
    state = {}
    for app_label in OUR_APPS:
        for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
            fields = {field.name for field in model._meta.get_fields()}
            latest = (
                model.objects.aggregate(latest=Max("updated_at"))["latest"]
                if "updated_at" in fields
                else None
            )
            state[model._meta.label] = (model.objects.count(), latest)
    return state


def test_load_demo_twice_changes_nothing(demo):
    before = snapshot()

    load_demo()

    assert snapshot() == before
    assert before["members.Organisation"][0] > 125

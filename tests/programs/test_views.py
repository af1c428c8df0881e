import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lkks.models import Region
from programs.models import Activity, ActivityPhoto, Program
from programs.services import activity_save, program_save
from tests.conftest import recorded_by
from tests.factories import (
    KAMPAR,
    SLEMAN,
    ActivityFactory,
    ActivityPhotoFactory,
    AllocationFactory,
    ExpenditureFactory,
    OrganisationFactory,
    ProgramFactory,
    first_district,
    region,
)

pytestmark = pytest.mark.django_db


def url(name, record=None):
    return reverse(f"programs:{name}", args=[record.pk] if record is not None else [])


# Every page, with the record (a fixture) its URL is about.
READING = [
    ("program-list", None),
    ("program-detail", "program"),
    ("activity-list", None),
    ("activity-detail", "activity"),
]
WRITING = [
    ("program-create", None),
    ("program-update", "program"),
    ("program-delete", "program"),
    ("activity-create", "program"),
    ("activity-update", "activity"),
    ("activity-delete", "activity"),
    ("photo-create", "activity"),
    ("photo-delete", "photo"),
]
OF_A_RECORD = [page for page in READING + WRITING if page[1] is not None]


def page_url(request, name, target):
    return url(name, request.getfixturevalue(target) if target else None)


def record_counts():
    return (Program.objects.count(), Activity.objects.count(), ActivityPhoto.objects.count())


def program_data(**changes):
    data = {
        "fiscal_year": "2024",
        "code": "P09",
        "name": "Bakti Sosial dan Tanggap Bencana",
        "category": Program.Category.SOCIAL,
        "budget_ceiling": "58000000",
        "description": "Bakti sosial di kecamatan rawan bencana.",
    }
    return {**data, **changes}


def activity_data(**changes):
    data = {
        "name": "Bimtek manajemen administrasi LKS",
        "kind": Activity.Kind.CAPACITY_BUILDING,
        "status": Activity.Status.PLANNED,
        "planned_start": "2024-06-10",
        "planned_end": "2024-06-12",
        "actual_start": "",
        "actual_end": "",
        "district": first_district(region(KAMPAR)).pk,
        "budget": "45000000",
        "target_participants": "40",
        "actual_participants": "0",
        "outcome": "",
    }
    return {**data, **changes}


def edit_form_data(client, edit_url):
    """What the edit form sends back unchanged, with the version it was opened at."""
    form = client.get(edit_url).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            value = ""
        elif isinstance(value, list):
            value = [str(item) for item in value]
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        elif not isinstance(value, str):
            value = str(value)
        if field.__class__.__name__ == "ModelMultipleChoiceField" and not value:
            continue
        data[name] = value
    return data


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data()[field]]


# Who may open what


@pytest.mark.parametrize(("name", "target"), READING + WRITING)
@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_is_sent_to_log_in(request, client, name, target, method):
    response = getattr(client, method)(page_url(request, name, target))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(("name", "target"), READING + WRITING)
def test_staff_of_the_body_opens_every_page(request, staff_client, name, target):
    assert staff_client.get(page_url(request, name, target)).status_code == 200


@pytest.mark.parametrize(("name", "target"), READING + WRITING)
def test_admin_opens_every_page(request, admin_client, kampar, name, target):
    assert admin_client.get(page_url(request, name, target)).status_code == 200


@pytest.mark.parametrize(("name", "target"), READING)
def test_official_reads(request, official, client_of, name, target):
    assert client_of(official).get(page_url(request, name, target)).status_code == 200


@pytest.mark.parametrize(("name", "target"), WRITING)
@pytest.mark.parametrize("method", ["get", "post"])
def test_official_cannot_change_anything(request, official, client_of, name, target, method):
    address = page_url(request, name, target)
    before = record_counts()

    response = getattr(client_of(official), method)(address, program_data() | activity_data())

    assert response.status_code == 403
    assert record_counts() == before


@pytest.mark.parametrize(
    ("method", "name", "target"),
    [("get", *page) for page in OF_A_RECORD]
    + [("post", *page) for page in OF_A_RECORD if page in WRITING],
)
def test_staff_of_another_body_gets_404_for_records_of_this_body(
    request, other_staff, client_of, name, target, method
):
    address = page_url(request, name, target)
    before = record_counts()

    response = getattr(client_of(other_staff), method)(address, activity_data())

    assert response.status_code == 404
    assert record_counts() == before


def test_staff_of_another_body_lists_only_their_own_records(
    sleman, other_staff, client_of, activity
):
    own = ProgramFactory(body=sleman, fiscal_year=2024, name="Sleman Pintar")
    client = client_of(other_staff)

    programs = client.get(url("program-list")).context["object_list"]
    activities = client.get(url("activity-list")).context["object_list"]

    assert list(programs) == [own]
    assert list(activities) == []


def test_official_sees_no_buttons_to_change(official, client_of, activity, photo):
    program_page = client_of(official).get(url("program-detail", activity.program)).content
    activity_page = client_of(official).get(url("activity-detail", activity)).content
    list_page = client_of(official).get(url("program-list")).content

    for page, address in [
        (program_page, url("program-update", activity.program)),
        (program_page, url("program-delete", activity.program)),
        (program_page, url("activity-create", activity.program)),
        (activity_page, url("activity-update", activity)),
        (activity_page, url("activity-delete", activity)),
        (activity_page, url("photo-create", activity)),
        (activity_page, url("photo-delete", photo)),
        (list_page, url("program-create")),
    ]:
        assert address.encode() not in page


def test_staff_sees_the_buttons_to_change(staff_client, activity):
    program_page = staff_client.get(url("program-detail", activity.program)).content
    activity_page = staff_client.get(url("activity-detail", activity)).content

    assert url("program-update", activity.program).encode() in program_page
    assert url("activity-create", activity.program).encode() in program_page
    assert url("activity-update", activity).encode() in activity_page
    assert url("photo-create", activity).encode() in activity_page


# Program list


def test_program_list_shows_the_latest_year_unless_another_is_chosen(staff_client, kampar):
    old = ProgramFactory(body=kampar, fiscal_year=2023)
    new = ProgramFactory(body=kampar, fiscal_year=2024)

    latest = staff_client.get(url("program-list"))
    chosen = staff_client.get(url("program-list"), {"year": "2023"})

    assert list(latest.context["object_list"]) == [new]
    assert list(chosen.context["object_list"]) == [old]
    assert [value for value, _label in latest.context["filter"].form.fields["year"].choices] == [
        2024,
        2023,
    ]


def test_program_list_filters_by_category(staff_client, kampar):
    ProgramFactory(body=kampar, category=Program.Category.INSTITUTIONAL)
    social = ProgramFactory(body=kampar, category=Program.Category.SOCIAL)

    response = staff_client.get(url("program-list"), {"category": Program.Category.SOCIAL})

    assert list(response.context["object_list"]) == [social]


def test_program_list_counts_and_sums_each_relation_once(staff_client, kampar):
    program = ProgramFactory(body=kampar, budget_ceiling=Decimal(100_000_000))
    done = ActivityFactory(program=program, status=Activity.Status.DONE)
    planned = ActivityFactory(program=program, status=Activity.Status.PLANNED)
    for activity in (done, done, planned):
        ExpenditureFactory(activity=activity, grant__funder__body=kampar, amount=Decimal(2_000_000))
    AllocationFactory.create_batch(
        3, activity=done, grant__funder__body=kampar, amount=Decimal(10_000_000)
    )

    response = staff_client.get(url("program-list"))

    [row] = response.context["object_list"]
    assert (row.activity_count, row.done_count) == (2, 1)
    assert row.spent == Decimal(6_000_000)
    assert row.absorption_pct == pytest.approx(6.0)
    assert "Rp 6.000.000" in response.content.decode()
    assert response.context["totals"] == {
        "budget_ceiling": Decimal(100_000_000),
        "spent": Decimal(6_000_000),
    }


def test_program_without_budget_ceiling_has_no_absorption(staff_client, kampar):
    ProgramFactory(body=kampar, budget_ceiling=0)

    [row] = staff_client.get(url("program-list")).context["object_list"]

    assert row.absorption_pct is None


# Program forms


def test_staff_creates_a_program_of_their_body_whatever_body_is_posted(
    staff, staff_client, kampar, sleman
):
    response = staff_client.post(url("program-create"), program_data(body=sleman.pk))

    program = Program.objects.get()
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert program.body == kampar
    assert program.code == "P09"
    assert program.history.get().history_user == staff


def test_a_duplicate_program_code_is_an_error_on_the_code(staff_client, program):
    response = staff_client.post(
        url("program-create"), program_data(code=program.code, fiscal_year=program.fiscal_year)
    )

    assert response.status_code == 200
    assert "code" in response.context["form"].errors
    assert Program.objects.count() == 1


def test_a_code_used_in_another_year_or_body_is_accepted(staff_client, program, sleman):
    ProgramFactory(body=sleman, fiscal_year=2025, code="P02")

    create = url("program-create")

    other_year = staff_client.post(create, program_data(code="P01", fiscal_year=2025))
    other_body = staff_client.post(create, program_data(code="P02", fiscal_year=2025))

    assert (other_year.status_code, other_body.status_code) == (302, 302)


def test_a_negative_budget_ceiling_is_an_error_on_the_field(staff_client, kampar):
    response = staff_client.post(url("program-create"), program_data(budget_ceiling="-1"))

    assert "budget_ceiling" in response.context["form"].errors
    assert not Program.objects.exists()


def test_editing_a_program_writes_its_history_and_shows_it(staff, staff_client, program):
    data = edit_form_data(staff_client, url("program-update", program))
    data["name"] = "Penguatan Kelembagaan LKKS Kampar"

    response = staff_client.post(url("program-update", program), data)

    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert program.history.count() == 2
    assert program.history.first().history_user == staff
    page = staff_client.get(program.get_absolute_url()).content.decode()
    assert "Penguatan Kelembagaan LKKS → Penguatan Kelembagaan LKKS Kampar" in page


def test_a_program_changed_since_the_form_was_opened_is_not_overwritten(staff_client, program):
    data = edit_form_data(staff_client, url("program-update", program))
    elsewhere = Program.objects.get(pk=program.pk)
    elsewhere.name = "Saved by someone else"
    program_save(program=elsewhere)
    data["name"] = "Mine"

    response = staff_client.post(url("program-update", program), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "Saved by someone else" in response.content.decode()
    program.refresh_from_db()
    assert program.name == "Saved by someone else"


def test_a_program_with_activities_cannot_be_deleted(staff_client, activity):
    response = staff_client.post(url("program-delete", activity.program))

    assert response.status_code == 200
    assert response.context["blockers"] == [activity]
    assert Program.objects.filter(pk=activity.program.pk).exists()


def test_a_program_without_activities_is_deleted_after_confirmation(staff_client, program):
    assert staff_client.get(url("program-delete", program)).status_code == 200

    response = staff_client.post(url("program-delete", program))

    assert response.status_code == 302
    assert response["Location"] == url("program-list")
    assert not Program.objects.exists()


# Program detail


def test_program_detail_shows_its_activities_and_money(staff_client, kampar, program):
    activity = ActivityFactory(program=program, budget=Decimal(45_000_000))
    AllocationFactory(activity=activity, grant__funder__body=kampar, amount=Decimal(40_000_000))
    ExpenditureFactory(activity=activity, grant__funder__body=kampar, amount=Decimal(42_750_000))

    response = staff_client.get(url("program-detail", program))

    page = response.content.decode()
    assert response.context["activities"] == [activity]
    assert response.context["allocated"] == Decimal(40_000_000)
    assert response.context["remaining"] == Decimal(100_000_000 - 42_750_000)
    assert activity.get_absolute_url() in page
    assert "Rp 42.750.000" in page
    assert "Rp 45.000.000" in page


# Activity forms


def test_staff_adds_an_activity_with_participating_lks(staff, staff_client, kampar, program):
    participants = OrganisationFactory.create_batch(2, body=kampar)

    response = staff_client.post(
        url("activity-create", program),
        activity_data(participants=[lks.pk for lks in participants]),
    )

    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == program.get_absolute_url()
    assert activity.program == program
    assert set(activity.participants.all()) == set(participants)
    assert activity.history.get().history_user == staff


def test_an_lks_of_another_body_cannot_take_part(staff_client, kampar, sleman, program):
    own = OrganisationFactory(body=kampar)
    foreign = OrganisationFactory(body=sleman)

    response = staff_client.post(
        url("activity-create", program), activity_data(participants=[own.pk, foreign.pk])
    )

    assert response.status_code == 200
    assert error_codes(response, "participants") == ["invalid_choice"]
    assert not Activity.objects.exists()


def test_a_kecamatan_of_another_regency_is_refused(staff_client, program):
    response = staff_client.post(
        url("activity-create", program),
        activity_data(district=first_district(region(SLEMAN)).pk),
    )

    assert error_codes(response, "district") == ["invalid_choice"]
    assert not Activity.objects.exists()


def test_a_posted_program_or_body_is_ignored(staff_client, program, sleman):
    foreign = ProgramFactory(body=sleman)

    staff_client.post(
        url("activity-create", program), activity_data(program=foreign.pk, body=sleman.pk)
    )

    assert Activity.objects.get().program == program


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_start": "2024-06-12", "planned_end": "2024-06-10"}, "planned_end"),
        ({"actual_start": "2024-06-12", "actual_end": "2024-06-11"}, "actual_end"),
        ({"budget": "-5000"}, "budget"),
        ({"target_participants": "-1"}, "target_participants"),
    ],
)
def test_bad_activity_input_is_an_error_on_its_field(staff_client, program, changes, field):
    response = staff_client.post(url("activity-create", program), activity_data(**changes))

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    assert not Activity.objects.exists()


def test_editing_an_activity_writes_its_history_and_shows_it(staff, staff_client, activity):
    lks = OrganisationFactory(body=activity.program.body)
    data = edit_form_data(staff_client, url("activity-update", activity))
    data.update(status=Activity.Status.DONE, actual_start="2024-05-01", participants=[lks.pk])

    response = staff_client.post(url("activity-update", activity), data)

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    activity.refresh_from_db()
    assert activity.status == Activity.Status.DONE
    assert list(activity.participants.all()) == [lks]
    assert activity.history.count() == 2
    page = staff_client.get(activity.get_absolute_url()).content.decode()
    with translation.override("id"):
        assert f"{Activity.Status.PLANNED.label} → {Activity.Status.DONE.label}" in page
    assert "1 Mei 2024" in page


def test_an_activity_changed_since_the_form_was_opened_is_not_overwritten(staff_client, activity):
    data = edit_form_data(staff_client, url("activity-update", activity))
    elsewhere = Activity.objects.get(pk=activity.pk)
    elsewhere.budget = Decimal(12_500_000)
    activity_save(activity=elsewhere)
    data["budget"] = "99000000"

    response = staff_client.post(url("activity-update", activity), data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    activity.refresh_from_db()
    assert activity.budget == Decimal(12_500_000)


def test_an_activity_with_spending_cannot_be_deleted(staff_client, kampar, activity):
    ExpenditureFactory(activity=activity, grant__funder__body=kampar)

    response = staff_client.post(url("activity-delete", activity))

    assert response.status_code == 200
    assert response.context["blocker_count"] == 2  # the spending and its allocation
    assert Activity.objects.filter(pk=activity.pk).exists()


def test_deleting_an_activity_leads_back_to_its_program(staff_client, photo):
    activity = photo.activity

    response = staff_client.post(url("activity-delete", activity))

    assert response.status_code == 302
    assert response["Location"] == activity.program.get_absolute_url()
    assert not Activity.objects.exists()
    assert not ActivityPhoto.objects.exists()


def test_deleting_a_photo_leads_back_to_its_activity(staff_client, photo):
    assert staff_client.get(url("photo-delete", photo)).status_code == 200

    response = staff_client.post(url("photo-delete", photo))

    assert response.status_code == 302
    assert response["Location"] == photo.activity.get_absolute_url()
    assert not ActivityPhoto.objects.exists()


# Activity list and detail


def test_activity_list_filters(staff_client, kampar):
    district = Region.objects.filter(parent=kampar.regency).order_by("code")[1]
    old = ActivityFactory(program__body=kampar, program__fiscal_year=2023, name="Rapat kerja")
    done = ActivityFactory(program__body=kampar, status=Activity.Status.DONE, name="Bimtek")
    advocacy = ActivityFactory(program__body=kampar, kind=Activity.Kind.ADVOCACY, name="Audiensi")
    located = ActivityFactory(program__body=kampar, district=district, name="Baksos")

    def listed(**query):
        return set(staff_client.get(url("activity-list"), query).context["object_list"])

    assert listed() == {old, done, advocacy, located}
    assert listed(year="2023") == {old}
    assert listed(status=Activity.Status.DONE) == {done}
    assert listed(kind=Activity.Kind.ADVOCACY) == {advocacy}
    assert listed(district=district.pk) == {located}
    assert listed(q="bimtek") == {done}


def test_activity_detail_shows_participants_photos_and_spending(
    staff_client, kampar, activity, photo
):
    lks = OrganisationFactory(body=kampar, name="Panti Asuhan Al-Ikhlas")
    activity.participants.add(lks)
    expenditure = ExpenditureFactory(
        activity=activity,
        grant__funder__body=kampar,
        amount=Decimal(1_250_000),
        description="Konsumsi peserta",
        receipt=SimpleUploadedFile("kwitansi.pdf", b"%PDF-1.4\n%%EOF\n"),
    )

    page = staff_client.get(url("activity-detail", activity)).content.decode()

    assert reverse("members:organisation-detail", args=[lks.pk]) in page
    assert "Panti Asuhan Al-Ikhlas" in page
    assert reverse("file", args=["activityphoto-image", photo.pk]) in page
    assert reverse("file", args=["expenditure-receipt", expenditure.pk]) in page
    assert "Konsumsi peserta" in page
    assert "Rp 1.250.000" in page
    assert "/media/" not in page


# Query counts


def queries_of(client, address):
    client.get(address)  # the first request fills caches that later ones reuse
    with CaptureQueriesContext(connection) as queries:
        response = client.get(address)
    assert response.status_code == 200
    return len(queries)


def assert_same_queries(client, address, make):
    make(5)
    with_5 = queries_of(client, address)
    make(45)
    with_50 = queries_of(client, address)
    assert with_50 == with_5, f"{address}: {with_5} queries with 5 rows, {with_50} with 50"


def test_program_list_queries_do_not_grow_with_rows(staff_client, kampar):
    def make(count):
        for program in ProgramFactory.create_batch(count, body=kampar):
            ExpenditureFactory(activity__program=program, grant__funder__body=kampar)

    assert_same_queries(staff_client, url("program-list"), make)


def test_program_detail_queries_do_not_grow_with_rows(staff_client, kampar, program):
    def make(count):
        for activity in ActivityFactory.create_batch(
            count, program=program, district=first_district(kampar.regency)
        ):
            ExpenditureFactory(activity=activity, grant__funder__body=kampar)
            AllocationFactory(activity=activity, grant__funder__body=kampar)

    assert_same_queries(staff_client, url("program-detail", program), make)


def test_activity_list_queries_do_not_grow_with_rows(staff_client, kampar):
    def make(count):
        for activity in ActivityFactory.create_batch(
            count, program__body=kampar, district=first_district(kampar.regency)
        ):
            ExpenditureFactory(activity=activity, grant__funder__body=kampar)

    assert_same_queries(staff_client, url("activity-list"), make)


def test_activity_detail_queries_do_not_grow_with_rows(
    staff, staff_client, kampar, activity, media
):
    def make(count):
        activity.participants.add(*OrganisationFactory.create_batch(count, body=kampar))
        ActivityPhotoFactory.create_batch(count, activity=activity)
        for _ in range(count):
            ExpenditureFactory(
                activity=activity,
                grant__funder__body=kampar,
                receipt=SimpleUploadedFile("kwitansi.pdf", b"%PDF-1.4\n%%EOF\n"),
            )
            activity.budget += 1
            recorded_by(activity_save(activity=activity), staff)

    assert_same_queries(staff_client, url("activity-detail", activity), make)


def test_activity_list_goes_by_program_newest_year_first(staff_client, kampar):
    older = ProgramFactory(body=kampar, fiscal_year=2023, code="P01")
    newer = ProgramFactory(body=kampar, fiscal_year=2024, code="P01")
    ActivityFactory(
        program=older, name="Tahun lalu", planned_start=datetime.date(2023, 1, 9), planned_end=None
    )
    ActivityFactory(
        program=newer, name="Akhir", planned_start=datetime.date(2024, 9, 1), planned_end=None
    )
    ActivityFactory(
        program=newer, name="Awal", planned_start=datetime.date(2024, 2, 1), planned_end=None
    )

    listed = staff_client.get(url("activity-list")).context["object_list"]

    assert [activity.name for activity in listed] == ["Awal", "Akhir", "Tahun lalu"]

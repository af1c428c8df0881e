import datetime

import pytest
from django.db import connection
from django.db.models.fields.files import FieldFile
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Registration,
    RegistrationStatus,
)
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    LegalDocumentFactory,
    MentoringFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    TargetGroupFactory,
    UserFactory,
    region,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YEAR = datetime.timedelta(days=365)
DAY = datetime.timedelta(days=1)


def form_data(response, **changes):
    """What the browser would send back for the form of ``response``, changed by
    ``changes``: the values it shows (with the hidden version), files left out."""
    data = {}
    for bound in response.context["form"]:
        name, value = bound.name, bound.value()
        if isinstance(value, FieldFile) or value is None:  # files are not sent back
            continue
        if isinstance(value, bool):  # a checkbox is sent only when ticked
            if value:
                data[name] = "on"
            continue
        data[name] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def errors_of(response):
    return response.context["form"].errors.as_data()


def codes(response, field):
    return [error.code for error in errors_of(response)[field]]


# Every page, with the record its URL names


@pytest.fixture
def records(lks):
    return {
        "lks": lks,
        "registration": RegistrationFactory(organisation=lks),
        "accreditation": AccreditationFactory(organisation=lks),
        "document": LegalDocumentFactory(organisation=lks),
        "mentoring": MentoringFactory(organisation=lks),
    }


READ, WRITE = "read", "write"
# URL name, the record in its URL (None for none), whether it reads or changes.
PAGES = [
    ("organisation-list", None, READ),
    ("organisation-export", None, READ),
    ("organisation-create", None, WRITE),
    ("organisation-import", None, WRITE),
    ("organisation-import-template", None, WRITE),  # staff only, like the import
    ("organisation-detail", "lks", READ),
    ("organisation-update", "lks", WRITE),
    ("organisation-delete", "lks", WRITE),
    *(
        (f"{kind}-{action}", record, WRITE)
        for kind in ["registration", "accreditation", "document", "mentoring"]
        for action, record in [("create", "lks"), ("update", kind), ("delete", kind)]
    ),
]
WRITE_PAGES = [page for page in PAGES if page[2] == WRITE]


def url_of(records, name, record):
    args = [records[record].pk] if record else []
    return reverse(f"members:{name}", args=args)


# The verification desk's pages, tested in test_review_views.py.
REVIEW_PAGES = {
    "review-queue",
    "change-decide",
    "document-check",
    "application-list",
    "application-detail",
    "account-create",
    "account-disable",
    "account-enable",
    "account-invite-again",
}


def test_every_members_url_is_in_the_table():
    from members.urls import urlpatterns

    assert {pattern.name for pattern in urlpatterns} == {name for name, _, _ in PAGES} | (
        REVIEW_PAGES
    )


@pytest.fixture
def users(staff, official, other_staff, admin_user):
    return {
        "anonymous": None,
        "staff": staff,
        "admin": admin_user,
        "official": official,
        "staff of another body": other_staff,
    }


@pytest.mark.parametrize(("name", "record", "kind"), PAGES)
def test_who_may_open_each_page(client_of, users, records, name, record, kind):
    url = url_of(records, name, record)

    answers = {who: client_of(user).get(url) for who, user in users.items()}

    assert {who: response.status_code for who, response in answers.items()} == {
        "anonymous": 302,
        "staff": 200,
        "admin": 200,
        "official": 200 if kind == READ else 403,
        # A page of no record (the list, a new LKS) is the other body's own page.
        "staff of another body": 404 if record else 200,
    }
    assert answers["anonymous"]["Location"].startswith(f"{reverse('login')}?next=")


@pytest.mark.parametrize(("name", "record", "kind"), WRITE_PAGES)
def test_refused_posts_write_nothing(client_of, users, records, name, record, kind):
    url = url_of(records, name, record)
    expected = {"anonymous": 302, "official": 403}
    if record:
        expected["staff of another body"] = 404
    counts = [model.objects.count() for model in [Organisation, Registration, Accreditation]]
    post = {"name": "Diubah", "status": "submitted", "submitted_on": "2025-01-01"}

    answers = {who: client_of(users[who]).post(url, post).status_code for who in expected}

    assert answers == expected
    assert [model.objects.count() for model in [Organisation, Registration, Accreditation]] == (
        counts
    )
    records["lks"].refresh_from_db()
    assert records["lks"].name == "Panti Asuhan Al-Ikhlas"


def test_provincial_official_reads_the_lks_of_both_bodies(provincial, client_of, lks, make_lks):
    client = client_of(provincial)
    sleman_lks = make_lks(body=provincial.memberships.get(body__slug="sleman").body)

    for organisation in [lks, sleman_lks]:
        assert client.get(organisation.get_absolute_url()).status_code == 200
        edit = reverse("members:organisation-update", args=[organisation.pk])
        assert client.get(edit).status_code == 403


# The LKS list


def test_user_of_no_body_is_refused_the_list_and_cannot_add(client_of, db, lks):
    """A user of no body (the account of an LKS, or one given no role yet) has no
    list to read."""
    client = client_of(UserFactory())

    assert client.get(reverse("members:organisation-list")).status_code == 403
    assert client.get(reverse("members:organisation-create")).status_code == 403


def test_list_shows_the_current_body_only(staff_client, lks, sleman):
    OrganisationFactory(body=sleman, name="Panti Wreda Sleman")

    response = staff_client.get(reverse("members:organisation-list"))

    assert [row.name for row in response.context["organisations"]] == [lks.name]
    assert "Panti Wreda Sleman" not in response.text


def test_list_shows_columns_and_the_count(staff_client, lks, records):
    response = staff_client.get(reverse("members:organisation-list"))

    assert response.context["paginator"].count == 1
    row = response.context["organisations"][0]
    assert row.registration_status == RegistrationStatus.REGISTERED
    assert row.accreditation_grade == "B"
    for text in [lks.name, lks.get_kind_display(), lks.district.name, lks.chairperson]:
        assert str(text) in response.text
    assert 'class="table-responsive"' in response.text


def test_list_offers_new_lks_to_staff_only(staff_client, official, client_of, lks):
    url = reverse("members:organisation-list")
    new = reverse("members:organisation-create")

    assert new in staff_client.get(url).text
    response = client_of(official).get(url)
    assert response.context["can_create"] is False
    assert new not in response.text


def names(response):
    return [row.name for row in response.context["organisations"]]


def test_list_searches_name_and_registration_number(staff_client, make_lks, sleman):
    ikhlas = make_lks(name="Panti Asuhan Al-Ikhlas")
    make_lks(name="Panti Wreda Kasih")
    RegistrationFactory(organisation=ikhlas, number="460/777/TD/2024")
    url = reverse("members:organisation-list")

    assert names(staff_client.get(url, {"q": "ikhlas"})) == ["Panti Asuhan Al-Ikhlas"]
    assert names(staff_client.get(url, {"q": "777/TD"})) == ["Panti Asuhan Al-Ikhlas"]
    assert names(staff_client.get(url, {"q": "panti"})) == [
        "Panti Asuhan Al-Ikhlas",
        "Panti Wreda Kasih",
    ]


def test_list_filters_by_district_kind_and_target_group(staff_client, make_lks):
    children = TargetGroupFactory(name="Anak terlantar")
    first = make_lks(name="A", kind=Organisation.Kind.LKSA)
    first.target_groups.add(children)
    make_lks(name="B", kind=Organisation.Kind.ELDERLY, district=region("14.01.02"))
    url = reverse("members:organisation-list")

    assert names(staff_client.get(url, {"district": "14.01.02"})) == ["B"]
    assert names(staff_client.get(url, {"kind": "lksa"})) == ["A"]
    assert names(staff_client.get(url, {"target_group": children.pk})) == ["A"]


def test_list_offers_the_districts_of_the_bodys_regency(staff_client, lks):
    response = staff_client.get(reverse("members:organisation-list"))

    districts = response.context["filter"].form.fields["district"].queryset
    assert {district.parent_id for district in districts} == {"14.01"}
    assert districts.count() == 21


@pytest.fixture
def lks_by_status(make_lks):
    registered = make_lks(name="Registered")
    RegistrationFactory(organisation=registered)
    AccreditationFactory(organisation=registered, grade="A")
    in_process = make_lks(name="In process")
    RegistrationFactory(organisation=in_process, submitted=True, submitted_on=TODAY - DAY)
    expired = make_lks(name="Expired")
    RegistrationFactory(
        organisation=expired,
        submitted_on=TODAY - 4 * YEAR,
        issued_on=TODAY - 3 * YEAR,
        valid_until=TODAY - DAY,
    )
    AccreditationFactory(organisation=expired, grade="C")
    make_lks(name="Unregistered")


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("registered", ["Registered"]),
        ("in_process", ["In process"]),
        ("expired", ["Expired"]),
        ("unregistered", ["Unregistered"]),
    ],
)
def test_list_filters_by_registration_status(staff_client, lks_by_status, status, expected):
    response = staff_client.get(
        reverse("members:organisation-list"), {"registration_status": status}
    )

    assert names(response) == expected


@pytest.mark.parametrize(
    ("grade", "expected"),
    [("A", ["Registered"]), ("C", ["Expired"]), ("none", ["In process", "Unregistered"])],
)
def test_list_filters_by_accreditation_grade(staff_client, lks_by_status, grade, expected):
    response = staff_client.get(
        reverse("members:organisation-list"), {"accreditation_grade": grade}
    )

    assert names(response) == expected


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("name", ["Expired", "In process", "Registered", "Unregistered"]),
        ("-name", ["Unregistered", "Registered", "In process", "Expired"]),
        ("registration_status", ["Registered", "In process", "Expired", "Unregistered"]),
        ("-registration_status", ["Unregistered", "Expired", "In process", "Registered"]),
        ("accreditation_grade", ["Registered", "Expired", "In process", "Unregistered"]),
        ("-accreditation_grade", ["Expired", "Registered", "In process", "Unregistered"]),
        ("district", ["Expired", "In process", "Registered", "Unregistered"]),
        ("-updated_at", ["Unregistered", "Expired", "In process", "Registered"]),
    ],
)
def test_list_sorts(staff_client, lks_by_status, ordering, expected):
    response = staff_client.get(reverse("members:organisation-list"), {"ordering": ordering})

    assert names(response) == expected


def test_list_sort_links_keep_the_filters_and_turn_the_direction(staff_client, lks_by_status):
    response = staff_client.get(
        reverse("members:organisation-list"), {"ordering": "name", "kind": "lksa", "page": "1"}
    )

    links = response.context["sort_links"]
    assert links["name"] == {"query": "ordering=-name&kind=lksa", "direction": "asc"}
    assert links["district"]["query"] == "ordering=district&kind=lksa"
    assert links["district"]["direction"] is None


def test_list_is_paginated_by_25(staff_client, make_lks):
    for number in range(30):
        make_lks(name=f"LKS {number:02d}")
    url = reverse("members:organisation-list")

    first = staff_client.get(url)
    second = staff_client.get(url, {"page": 2})

    assert len(first.context["organisations"]) == 25
    assert len(second.context["organisations"]) == 5
    assert first.context["paginator"].count == 30
    assert "30 LKS" in first.text


def list_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response


def test_list_queries_do_not_grow_with_rows(staff_client, make_lks):
    def add(count):
        for _ in range(count):
            organisation = make_lks()
            RegistrationFactory(organisation=organisation)
            AccreditationFactory(organisation=organisation)
            organisation.target_groups.add(TargetGroupFactory())

    url = reverse("members:organisation-list") + "?ordering=registration_status&q=Panti"
    add(5)
    with_5, response = list_queries(staff_client, url)
    assert len(response.context["organisations"]) == 5
    add(45)
    with_50, response = list_queries(staff_client, url)
    assert len(response.context["organisations"]) == 25

    assert with_50 == with_5


# The LKS page


def test_detail_shows_profile_records_activities_and_history(staff_client, records):
    lks = records["lks"]
    program = ProgramFactory(body=lks.body, name="Penguatan kelembagaan")
    activity = ActivityFactory(program=program, name="Bimtek pengurus LKS")
    activity.participants.add(lks)
    lks.target_groups.add(TargetGroupFactory(name="Anak terlantar"))

    response = staff_client.get(lks.get_absolute_url())

    text = response.text
    for shown in [
        lks.name,
        lks.district.name,
        "Anak terlantar",
        records["registration"].number,
        records["accreditation"].certificate_number,
        records["document"].number,
        records["mentoring"].officer,
        "Bimtek pengurus LKS",
        "Penguatan kelembagaan",
    ]:
        assert shown in text
    assert response.context["object"].registration_status == RegistrationStatus.REGISTERED
    assert [r.valid_today for r in response.context["registrations"]] == [True]
    assert response.context["history"][0]["who"] == lks.history.get().history_user


def test_detail_shows_whether_records_are_valid_today(staff_client, lks):
    RegistrationFactory(
        organisation=lks,
        submitted_on=TODAY - 4 * YEAR,
        issued_on=TODAY - 3 * YEAR,
        valid_until=TODAY - DAY,
    )
    AccreditationFactory(organisation=lks)

    response = staff_client.get(lks.get_absolute_url())

    assert [r.valid_today for r in response.context["registrations"]] == [False]
    assert [a.valid_today for a in response.context["accreditations"]] == [True]
    assert response.context["object"].registration_status == RegistrationStatus.EXPIRED


def test_detail_offers_changes_to_staff_only(staff_client, official, client_of, records):
    lks = records["lks"]
    change_urls = [
        reverse("members:organisation-update", args=[lks.pk]),
        reverse("members:organisation-delete", args=[lks.pk]),
        reverse("members:registration-create", args=[lks.pk]),
        reverse("members:accreditation-create", args=[lks.pk]),
        reverse("members:document-create", args=[lks.pk]),
        reverse("members:mentoring-create", args=[lks.pk]),
        reverse("members:registration-update", args=[records["registration"].pk]),
        reverse("members:accreditation-delete", args=[records["accreditation"].pk]),
        reverse("members:document-update", args=[records["document"].pk]),
        reverse("members:mentoring-delete", args=[records["mentoring"].pk]),
    ]

    staff_page = staff_client.get(lks.get_absolute_url()).text
    official_page = client_of(official).get(lks.get_absolute_url()).text

    for url in change_urls:
        assert url in staff_page
        assert url not in official_page


def test_detail_queries_do_not_grow_with_rows(staff_client, lks):
    program = ProgramFactory(body=lks.body)

    def add(count):
        for _ in range(count):
            RegistrationFactory(organisation=lks)
            AccreditationFactory(organisation=lks)
            LegalDocumentFactory(organisation=lks)
            MentoringFactory(organisation=lks)
            ActivityFactory(program=program).participants.add(lks)
            lks.target_groups.add(TargetGroupFactory())
            lks.name = f"{lks.name}!"
            services.organisation_save(organisation=lks)

    add(5)
    with_5, response = list_queries(staff_client, lks.get_absolute_url())
    assert len(response.context["registrations"]) == 5
    add(45)
    with_50, response = list_queries(staff_client, lks.get_absolute_url())
    assert len(response.context["registrations"]) == 50

    assert with_50 == with_5


# Creating, changing and deleting an LKS


def organisation_data(**changes):
    data = {
        "name": "LKSA Harapan Bunda",
        "kind": "lksa",
        "legal_form": "foundation",
        "chairperson": "Siti Aminah",
        "client_count": "25",
        "address": "Jl. Pahlawan No. 3",
        "district": "14.01.01",
        "village": "14.01.01.1011",
        "email": "harapan@example.org",
    }
    data.update(changes)
    return data


def test_staff_creates_an_lks(staff_client, kampar, staff):
    group = TargetGroupFactory()

    response = staff_client.post(
        reverse("members:organisation-create"), organisation_data(target_groups=[group.pk])
    )

    lks = Organisation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == lks.get_absolute_url()
    assert lks.body == kampar
    assert list(lks.target_groups.all()) == [group]
    assert lks.history.get().history_user == staff


def test_lks_form_ignores_a_posted_body(staff_client, kampar, sleman, lks):
    staff_client.post(reverse("members:organisation-create"), organisation_data(body=sleman.pk))
    edit = reverse("members:organisation-update", args=[lks.pk])
    staff_client.post(edit, form_data(staff_client.get(edit), body=sleman.pk))

    assert set(Organisation.objects.values_list("body", flat=True)) == {kampar.pk}


@pytest.mark.parametrize(
    ("field", "value"),
    [("district", "34.04.01"), ("village", "34.04.01.2001")],
    ids=["sleman-district", "sleman-village"],
)
def test_lks_form_refuses_a_region_of_another_regency(staff_client, field, value):
    response = staff_client.post(
        reverse("members:organisation-create"), organisation_data(**{field: value})
    )

    assert response.status_code == 200
    assert codes(response, field) == ["invalid_choice"]
    assert not Organisation.objects.exists()


def test_lks_form_refuses_a_village_outside_the_district(staff_client):
    response = staff_client.post(
        reverse("members:organisation-create"), organisation_data(village="14.01.02.2001")
    )

    assert list(errors_of(response)) == ["village"]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"name": ""}, "name", "required"),
        ({"client_count": "-3"}, "client_count", "min_value"),
        ({"client_count": "banyak"}, "client_count", "invalid"),
        ({"email": "bukan-email"}, "email", "invalid"),
        ({"founded_on": "2024-13-45"}, "founded_on", "invalid"),
    ],
)
def test_lks_form_errors_are_on_their_field(staff_client, changes, field, code):
    response = staff_client.post(
        reverse("members:organisation-create"), organisation_data(**changes)
    )

    assert response.status_code == 200
    assert codes(response, field) == [code]
    assert response["Content-Language"] == "id"
    assert not Organisation.objects.exists()


def test_lks_form_speaks_indonesian(staff_client):
    response = staff_client.post(reverse("members:organisation-create"), organisation_data(name=""))

    assert errors_of(response)["name"][0].messages == ["Bidang ini tidak boleh kosong."]


def test_staff_edits_an_lks_and_the_change_is_in_its_history(staff_client, staff, lks):
    edit = reverse("members:organisation-update", args=[lks.pk])

    response = staff_client.post(edit, form_data(staff_client.get(edit), name="LKSA Bina Insani"))

    assert response.status_code == 302
    assert response["Location"] == lks.get_absolute_url()
    lks.refresh_from_db()
    assert lks.name == "LKSA Bina Insani"
    assert lks.history.count() == 2
    assert lks.history.first().history_user == staff
    page = staff_client.get(lks.get_absolute_url())
    assert page.context["history"][0]["changes"][0][1:] == (
        "Panti Asuhan Al-Ikhlas",
        "LKSA Bina Insani",
    )
    assert "Panti Asuhan Al-Ikhlas → LKSA Bina Insani" in page.text


def test_lks_edit_refuses_a_stale_form(staff_client, lks):
    edit = reverse("members:organisation-update", args=[lks.pk])
    stale = form_data(staff_client.get(edit), name="Nama dari form lama")
    elsewhere = Organisation.objects.get(pk=lks.pk)
    elsewhere.chairperson = "Ketua Baru"
    services.organisation_save(organisation=elsewhere)

    response = staff_client.post(edit, stale)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    lks.refresh_from_db()
    assert (lks.name, lks.chairperson) == ("Panti Asuhan Al-Ikhlas", "Ketua Baru")
    assert lks.history.count() == 2


def test_staff_deletes_an_lks_without_records(staff_client, lks):
    response = staff_client.post(reverse("members:organisation-delete", args=[lks.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("members:organisation-list")
    assert not Organisation.objects.exists()
    assert lks.history.first().history_type == "-"


def test_an_lks_with_records_cannot_be_deleted(staff_client, records):
    lks = records["lks"]
    url = reverse("members:organisation-delete", args=[lks.pk])

    page = staff_client.get(url)
    response = staff_client.post(url)

    assert page.context["blocker_count"] == 4
    assert response.status_code == 200
    assert response.context["blocker_count"] == 4
    assert records["registration"].number in response.text
    assert Organisation.objects.filter(pk=lks.pk).exists()


def test_an_lks_that_took_part_in_an_activity_cannot_be_deleted(staff_client, lks, kampar):
    activity = ActivityFactory(program__body=kampar)
    activity.participants.add(lks)
    url = reverse("members:organisation-delete", args=[lks.pk])

    response = staff_client.post(url)

    assert response.status_code == 200
    assert response.context["blocker_count"] == 1
    assert activity.name in response.text
    assert activity.participants.filter(pk=lks.pk).exists()


# Records of an LKS


def registration_data(**changes):
    data = {
        "status": "registered",
        "number": "460/101/TD/2025",
        "issuer": "Dinas Sosial Kabupaten Kampar",
        "submitted_on": "2025-01-10",
        "issued_on": "2025-02-01",
        "valid_until": "2030-02-01",
    }
    data.update(changes)
    return data


def accreditation_data(**changes):
    data = {
        "status": "accredited",
        "grade": "A",
        "certificate_number": "BALKS/2025/001",
        "accredited_on": "2025-03-01",
        "valid_until": "",
    }
    data.update(changes)
    return data


def document_data(**changes):
    data = {"kind": "deed", "number": "AKTA-12", "issuer": "Notaris", "issued_on": "2020-05-01"}
    data.update(changes)
    return data


def mentoring_data(**changes):
    data = {
        "date": "2025-04-10",
        "kind": "administrative",
        "officer": "Aly Manshur",
        "activities": "Menata buku kas dan daftar klien.",
        "follow_up_on": "2025-05-10",
    }
    data.update(changes)
    return data


CHILDREN = {
    "registration": (Registration, registration_data),
    "accreditation": (Accreditation, accreditation_data),
    "document": (LegalDocument, document_data),
    "mentoring": (Mentoring, mentoring_data),
}


@pytest.mark.parametrize("kind", CHILDREN)
def test_staff_adds_a_record_from_the_lks_page(staff_client, staff, lks, kind):
    model, data = CHILDREN[kind]

    response = staff_client.post(reverse(f"members:{kind}-create", args=[lks.pk]), data())

    assert response.status_code == 302
    assert response["Location"] == lks.get_absolute_url()
    record = model.objects.get()
    assert record.organisation == lks
    assert record.history.get().history_user == staff


@pytest.mark.parametrize("kind", CHILDREN)
def test_staff_edits_a_record_of_the_lks(staff_client, records, kind):
    record = records[kind]
    edit = reverse(f"members:{kind}-update", args=[record.pk])
    field = "officer" if kind == "mentoring" else "issuer"
    if kind == "accreditation":
        field = "notes"

    response = staff_client.post(edit, form_data(staff_client.get(edit), **{field: "Diubah"}))

    assert response.status_code == 302
    assert response["Location"] == records["lks"].get_absolute_url()
    record.refresh_from_db()
    assert getattr(record, field) == "Diubah"
    assert record.history.count() == 2


@pytest.mark.parametrize("kind", CHILDREN)
def test_staff_deletes_a_record_of_the_lks(staff_client, records, kind):
    model, _ = CHILDREN[kind]

    response = staff_client.post(reverse(f"members:{kind}-delete", args=[records[kind].pk]))

    assert response.status_code == 302
    assert response["Location"] == records["lks"].get_absolute_url()
    assert not model.objects.filter(pk=records[kind].pk).exists()


@pytest.mark.parametrize("kind", CHILDREN)
def test_record_form_ignores_a_posted_body_or_lks(staff_client, lks, make_lks, sleman, kind):
    model, data = CHILDREN[kind]
    sleman_lks = make_lks(body=sleman)

    staff_client.post(
        reverse(f"members:{kind}-create", args=[lks.pk]),
        data(body=sleman.pk, organisation=sleman_lks.pk),
    )

    record = model.objects.get()
    assert record.organisation == lks
    if kind == "registration":
        assert record.body == lks.body


def test_registration_edit_refuses_a_stale_form(staff_client, records):
    registration = records["registration"]
    edit = reverse("members:registration-update", args=[registration.pk])
    stale = form_data(staff_client.get(edit), issuer="Dari form lama")
    registration.refresh_from_db()
    registration.notes = "Diperbarui di tempat lain"
    services.registration_save(registration=registration)

    response = staff_client.post(edit, stale)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    registration.refresh_from_db()
    assert registration.issuer == "Dinas Sosial"


def test_accreditation_gets_the_default_validity_of_its_grade(staff_client, lks):
    staff_client.post(reverse("members:accreditation-create", args=[lks.pk]), accreditation_data())

    assert Accreditation.objects.get().valid_until == datetime.date(2030, 3, 1)


def constraint_message(model, name):
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


@pytest.mark.parametrize(
    ("kind", "changes", "field", "constraint"),
    [
        (
            "registration",
            {"valid_until": "2025-01-01"},
            "valid_until",
            "registration_valid_after_issued",
        ),
        (
            "registration",
            {"issued_on": "2025-01-01"},
            "issued_on",
            "registration_issued_after_submitted",
        ),
        (
            "accreditation",
            {"valid_until": "2025-02-01"},
            "valid_until",
            "accreditation_valid_after_accredited",
        ),
        (
            "accreditation",
            {"status": "submitted", "submitted_on": "2025-01-01", "accredited_on": ""},
            "grade",
            "accreditation_grade_only_when_accredited",
        ),
        (
            "document",
            {"valid_until": "2019-01-01"},
            "valid_until",
            "legaldocument_valid_after_issued",
        ),
        (
            "mentoring",
            {"follow_up_on": "2025-04-01"},
            "follow_up_on",
            "mentoring_follow_up_after_visit",
        ),
    ],
)
def test_record_form_errors_are_on_the_later_field(
    staff_client, lks, kind, changes, field, constraint
):
    model, data = CHILDREN[kind]

    response = staff_client.post(reverse(f"members:{kind}-create", args=[lks.pk]), data(**changes))

    assert response.status_code == 200
    assert [error.message for error in errors_of(response)[field]] == [
        constraint_message(model, constraint)
    ]
    assert not model.objects.exists()


def test_registration_needs_number_and_dates_when_registered(staff_client, lks):
    response = staff_client.post(
        reverse("members:registration-create", args=[lks.pk]), registration_data(number="")
    )

    assert response.context["form"].non_field_errors() == [
        constraint_message(Registration, "registration_registered_complete")
    ]
    assert not Registration.objects.exists()


def test_registration_number_is_unique_in_the_body(staff_client, records, make_lks):
    other = make_lks(name="LKS lain")

    response = staff_client.post(
        reverse("members:registration-create", args=[other.pk]),
        registration_data(number=records["registration"].number),
    )

    assert [error.message for error in errors_of(response)["number"]] == [
        constraint_message(Registration, "registration_number_unique_per_body")
    ]
    assert Registration.objects.count() == 1


def test_detail_shows_changes_made_without_a_user(staff_client, kampar):
    """Changes made by a command (e.g. load_demo) have no user."""
    lks = OrganisationFactory(body=kampar)

    response = staff_client.get(lks.get_absolute_url())

    assert response.status_code == 200
    assert response.context["history"][0]["who"] is None


def test_detail_lists_the_activities_of_an_lks_by_program(staff_client, kampar):
    lks = OrganisationFactory(body=kampar)
    older = ProgramFactory(body=kampar, fiscal_year=2023, code="P01")
    newer = ProgramFactory(body=kampar, fiscal_year=2024, code="P02")
    for program, name in [(older, "Rapat tahun lalu"), (newer, "Bimtek tahun ini")]:
        ActivityFactory(program=program, name=name).participants.add(lks)

    response = staff_client.get(lks.get_absolute_url())

    assert [activity.name for activity in response.context["activities"]] == [
        "Bimtek tahun ini",
        "Rapat tahun lalu",
    ]

"""The body's own pages: its profile, its officers and decrees, its letter register."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lkks.letters import issue_letter
from lkks.models import Body, Decree, Letter, LetterCounter, Officer
from tests.factories import DecreeFactory, OfficerFactory, UserFactory

pytestmark = pytest.mark.django_db

DATE = datetime.date(2024, 10, 16)


def login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


# The profile


def test_the_anonymous_user_is_sent_to_log_in():
    for name in ["body-profile", "body-edit", "officer-list", "officer-create", "letter-list"]:
        assert login_redirect(Client().get(reverse(name))), name


def test_staff_and_officials_read_the_profile_with_the_board(client_of, staff, official, kampar):
    kampar.signing_place = "Bangkinang"
    kampar.social_head_name = "Drs. Zamzami Hasan, M.Si"
    kampar.save()
    OfficerFactory(decree__body=kampar, name="Ricana Djayanti Hambali", term_end=None)

    for user in [staff, official]:
        response = client_of(user).get(reverse("body-profile"))
        assert response.status_code == 200
        text = response.content.decode()
        assert "Bangkinang" in text
        assert "Drs. Zamzami Hasan, M.Si" in text
        assert "Ricana Djayanti Hambali" in text
        assert (reverse("body-edit") in text) is (user == staff)


def test_a_reader_of_several_bodies_picks_one_and_no_other(client_of, provincial, kampar, sleman):
    client = client_of(provincial)
    third = Body.objects.create(name="LKKS Lain", slug="lain", regency=kampar.regency)

    assert client.get(reverse("body-profile"), {"body": "sleman"}).context["body"] == sleman
    assert client.get(reverse("body-profile"), {"body": "kampar"}).context["body"] == kampar
    assert client.get(reverse("body-profile"), {"body": third.slug}).status_code == 404


def test_a_user_of_no_body_finds_no_profile(client_of):
    assert client_of(UserFactory()).get(reverse("body-profile")).status_code == 404


def profile_data(client, **changes):
    """The profile form as the page fills it, with ``changes``."""
    form = client.get(reverse("body-edit")).context["form"]
    data = {name: form[name].value() for name in form.fields if name != "logo"}
    return {name: "" if value is None else value for name, value in {**data, **changes}.items()}


def test_staff_edit_the_profile_and_the_history_keeps_it(staff_client, staff, kampar):
    response = staff_client.post(
        reverse("body-edit") + "?body=kampar",
        profile_data(
            staff_client,
            address="Jl. Prof. M. Yamin, Bangkinang",
            signing_place="Bangkinang",
            letter_number_pattern="{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}",
            social_office_name="Dinas Sosial Kabupaten Kampar",
            social_head_name="Drs. Zamzami Hasan, M.Si",
            social_head_nip="19700101 199003 1 005",
        ),
    )

    assert response.status_code == 302
    kampar.refresh_from_db()
    assert (kampar.signing_place, kampar.social_head_nip) == ("Bangkinang", "19700101 199003 1 005")
    assert kampar.history.first().history_user == staff


def test_bad_profile_input_is_refused_on_its_field(staff_client, kampar):
    response = staff_client.post(
        reverse("body-edit"),
        profile_data(
            staff_client, letter_number_pattern="{kind}/{year}", social_head_nip="1970-01"
        ),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"letter_number_pattern", "social_head_nip"}
    assert errors["social_head_nip"] == ["NIP terdiri dari 18 angka, mis. 19700101 199003 1 005."]
    kampar.refresh_from_db()
    assert kampar.social_head_nip == ""


def test_officials_and_other_bodies_cannot_edit_the_profile(
    client_of, official, other_staff, kampar
):
    assert client_of(official).get(reverse("body-edit")).status_code == 403
    assert client_of(official).post(reverse("body-edit"), {"signing_place": "X"}).status_code == 403
    assert client_of(other_staff).get(reverse("body-edit"), {"body": "kampar"}).status_code == 404
    kampar.refresh_from_db()
    assert kampar.signing_place == ""


# Officers and decrees


def test_the_officer_list_shows_the_board_on_a_date_and_every_decree(
    client_of, official, kampar, django_assert_max_num_queries
):
    old = OfficerFactory(
        decree__body=kampar, name="Ketua Lama", term_end=datetime.date(2023, 12, 31)
    )
    for number in range(3):
        OfficerFactory(
            decree__body=kampar,
            decree__term_start=datetime.date(2024, 1, 1),
            term_start=datetime.date(2024, 1, 1),
            position=Officer.Position.MEMBER,
            name=f"Anggota {number}",
        )
    client = client_of(official)

    with django_assert_max_num_queries(12):
        then = client.get(reverse("officer-list"), {"on": "2023-06-01"})
    now = client.get(reverse("officer-list"), {"on": "2024-06-01"})

    assert then.context["board"] == [old]
    assert [officer.name for officer in now.context["board"]] == [f"Anggota {n}" for n in range(3)]
    assert len(now.context["decrees"]) == 4
    assert "Ketua Lama" in now.content.decode()  # the old board stays on record


def test_the_officer_list_takes_as_many_queries_for_many_officers(
    client_of, official, kampar, django_assert_num_queries
):
    decree = DecreeFactory(body=kampar)
    OfficerFactory(decree=decree)
    client = client_of(official)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("officer-list"))
    for _ in range(10):
        OfficerFactory(decree=DecreeFactory(body=kampar), position=Officer.Position.MEMBER)

    with django_assert_num_queries(len(few)):
        client.get(reverse("officer-list"))


def test_staff_record_a_decree_with_its_scan_then_its_officers(staff_client, staff, kampar):
    old_chair = OfficerFactory(decree__body=kampar, term_end=None)
    scan = SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n")

    created = staff_client.post(
        reverse("decree-create") + "?body=kampar",
        {
            "number": "KPTS.450/2024",
            "issued_on": "2024-03-01",
            "issued_by": "Bupati Kampar",
            "term_start": "2024-03-01",
            "replaces_board": "on",
            "scan": scan,
        },
    )
    decree = Decree.objects.get(number="KPTS.450/2024")
    form_page = staff_client.get(created["Location"])
    added = staff_client.post(
        created["Location"],
        {
            "decree": decree.pk,
            "position": Officer.Position.TREASURER,
            "name": "Hj. Bendahara Baru, S.E.",
            "term_start": "2024-03-01",
        },
    )

    assert created.status_code == 302
    assert decree.scan
    assert decree.history.get().history_user == staff
    assert form_page.context["form"].initial["decree"] == decree
    assert added.status_code == 302
    officer = Officer.objects.get(name="Hj. Bendahara Baru, S.E.")
    assert officer.decree == decree
    old_chair.refresh_from_db()
    assert old_chair.term_end == datetime.date(2024, 2, 29)
    assert staff_client.get(reverse("file", args=["decree-scan", decree.pk])).status_code == 200


def test_a_scan_that_is_not_one_is_refused_and_nothing_written(staff_client, kampar):
    fake = SimpleUploadedFile("sk.pdf", b"MZ this is a program")

    response = staff_client.post(
        reverse("decree-create"),
        {
            "number": "KPTS.1",
            "issued_on": "2024-03-01",
            "issued_by": "Bupati",
            "term_start": "2024-03-01",
            "scan": fake,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["scan"][0].startswith("Hanya berkas PDF")
    assert not Decree.objects.exists()


def test_a_duplicate_decree_number_is_an_error_beside_the_number(staff_client, kampar):
    DecreeFactory(body=kampar, number="KPTS.1")

    response = staff_client.post(
        reverse("decree-create"),
        {
            "number": "KPTS.1",
            "issued_on": "2024-03-01",
            "issued_by": "B",
            "term_start": "2024-03-01",
        },
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["number"]
    assert Decree.objects.count() == 1


def test_the_officer_form_starts_on_the_position_a_document_asked_for(staff_client, kampar):
    DecreeFactory(body=kampar)

    response = staff_client.get(
        reverse("officer-create"), {"body": "kampar", "position": Officer.Position.TREASURER}
    )

    assert response.context["form"].initial["position"] == Officer.Position.TREASURER


def test_without_a_decree_the_officer_form_asks_for_one_first(staff_client, kampar):
    response = staff_client.get(reverse("officer-create"))

    assert response.status_code == 302
    assert response["Location"] == reverse("decree-create") + "?body=kampar"


def test_another_bodys_decree_cannot_be_chosen(staff_client, kampar, sleman):
    DecreeFactory(body=kampar)
    theirs = DecreeFactory(body=sleman)

    response = staff_client.post(
        reverse("officer-create"),
        {"decree": theirs.pk, "position": 10, "name": "X", "term_start": "2021-04-01"},
    )

    assert response.status_code == 200
    assert "decree" in response.context["form"].errors
    assert not Officer.objects.exists()


def test_officials_read_officers_but_change_nothing(client_of, official, kampar):
    officer = OfficerFactory(decree__body=kampar)
    client = client_of(official)

    assert client.get(reverse("officer-list")).status_code == 200
    assert client.get(reverse("officer-create")).status_code == 403
    assert client.get(reverse("decree-create")).status_code == 403
    assert client.get(reverse("officer-update", args=[officer.pk])).status_code == 403
    assert client.post(reverse("officer-delete", args=[officer.pk])).status_code == 403
    assert client.get(reverse("decree-update", args=[officer.decree.pk])).status_code == 403
    assert Officer.objects.count() == 1


def test_another_bodys_officers_are_a_404(client_of, other_staff, kampar):
    officer = OfficerFactory(decree__body=kampar)
    client = client_of(other_staff)

    assert client.get(reverse("officer-list"), {"body": "kampar"}).status_code == 404
    assert client.get(reverse("officer-update", args=[officer.pk])).status_code == 404
    assert client.post(reverse("officer-delete", args=[officer.pk])).status_code == 404
    assert client.get(reverse("decree-update", args=[officer.decree.pk])).status_code == 404
    assert client.get(reverse("file", args=["decree-scan", officer.decree.pk])).status_code == 404


def test_staff_end_an_officers_term(staff_client, kampar):
    officer = OfficerFactory(decree__body=kampar, term_end=None)
    url = reverse("officer-update", args=[officer.pk])
    form = staff_client.get(url).context["form"]

    response = staff_client.post(
        url,
        {
            "decree": officer.decree.pk,
            "position": officer.position,
            "name": officer.name,
            "term_start": "2021-04-01",
            "term_end": "2024-06-30",
            "version": form["version"].value(),
        },
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.term_end == datetime.date(2024, 6, 30)


# The letter register


def test_the_register_lists_the_bodys_letters_with_a_constant_number_of_queries(
    client_of, official, staff, kampar, sleman, django_assert_num_queries
):
    issue_letter(body=kampar, kind="REK", on=DATE, subject="Satu", by=staff)
    issue_letter(body=sleman, kind="REK", on=DATE, subject="Lain", by=None)
    client = client_of(official)
    with CaptureQueriesContext(connection) as one:
        first = client.get(reverse("letter-list"))
    for number in range(10):
        issue_letter(body=kampar, kind="UND", on=DATE, subject=f"Undangan {number}", by=staff)

    with django_assert_num_queries(len(one)):
        many = client.get(reverse("letter-list"))

    assert [letter.subject for letter in first.context["object_list"]] == ["Satu"]
    assert many.context["paginator"].count == 11
    assert reverse("letter-create") not in many.content.decode()  # officials only read


def test_the_register_filters_by_year_kind_and_word(staff_client, kampar):
    issue_letter(body=kampar, kind="REK", on=DATE, subject="Rekomendasi Panti", by=None)
    issue_letter(body=kampar, kind="UND", on=DATE, subject="Undangan rapat", by=None)
    issue_letter(body=kampar, kind="UND", on=datetime.date(2023, 5, 1), subject="Lama", by=None)

    def subjects(**query):
        response = staff_client.get(reverse("letter-list"), query)
        return sorted(letter.subject for letter in response.context["object_list"])

    assert subjects(year=2024) == ["Rekomendasi Panti", "Undangan rapat"]
    assert subjects(kind="UND") == ["Lama", "Undangan rapat"]
    assert subjects(q="panti") == ["Rekomendasi Panti"]


def test_the_register_exports_what_it_lists(staff_client, staff, kampar, sleman):
    issue_letter(body=kampar, kind="REK", on=DATE, subject="Rekomendasi", by=staff)
    issue_letter(body=sleman, kind="REK", on=DATE, subject="Milik Sleman", by=None)

    response = staff_client.get(reverse("letter-export"), {"format": "xlsx"})

    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0][:4] == ("Nomor surat", "Tanggal", "Jenis", "Perihal")
    assert [row[0] for row in rows[1:]] == ["001/LKKS/REK/X/2024"]


def test_staff_take_a_number_for_a_letter_written_elsewhere(staff_client, staff, kampar):
    response = staff_client.post(
        reverse("letter-create"),
        {"kind": "UND", "date": "2024-10-16", "subject": "Undangan rapat koordinasi"},
    )

    letter = Letter.objects.get()
    assert response.status_code == 302
    assert (letter.number, letter.issued_by) == ("001/LKKS/UND/X/2024", staff)


def test_a_bad_letter_takes_no_number(staff_client, kampar):
    empty = staff_client.post(reverse("letter-create"), {"kind": "UND", "date": "2024-10-16"})
    future = staff_client.post(
        reverse("letter-create"), {"kind": "UND", "date": "2999-01-01", "subject": "Undangan"}
    )

    assert empty.status_code == future.status_code == 200
    assert set(empty.context["form"].errors) == {"subject"}
    assert future.context["form"].errors == {"date": ["Tanggal tidak boleh melewati hari ini."]}
    assert not Letter.objects.exists()
    assert not LetterCounter.objects.exists()


def test_staff_correct_a_subject_but_never_the_number(staff_client, kampar):
    letter = issue_letter(body=kampar, kind="UND", on=DATE, subject="Salah ketik", by=None)
    url = reverse("letter-update", args=[letter.pk])
    version = staff_client.get(url).context["form"]["version"].value()

    staff_client.post(url, {"subject": "Undangan", "number": "999/X", "version": version})

    letter.refresh_from_db()
    assert (letter.subject, letter.number) == ("Undangan", "001/LKKS/UND/X/2024")


def test_officials_and_other_bodies_take_no_number(client_of, official, other_staff, kampar):
    letter = issue_letter(body=kampar, kind="UND", on=DATE, subject="Undangan", by=None)
    data = {"kind": "UND", "date": "2024-10-16", "subject": "X"}

    assert client_of(official).post(reverse("letter-create"), data).status_code == 403
    assert client_of(official).get(reverse("letter-update", args=[letter.pk])).status_code == 403
    assert client_of(other_staff).get(reverse("letter-update", args=[letter.pk])).status_code == 404
    assert client_of(other_staff).get(reverse("letter-list")).context["paginator"].count == 0
    assert Letter.objects.count() == 1

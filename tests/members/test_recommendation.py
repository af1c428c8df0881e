"""Recommendation letters: numbered by the body's letter register, signed by the officer
holding the chosen position on the letter's date, issued by the body's staff, printed as
HTML and PDF."""

import datetime
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lkks import letters
from lkks.models import Letter, Officer
from members.models import Recommendation
from members.services import recommendation_issue
from tests.factories import (
    BodyFactory,
    LegalDocumentFactory,
    OfficerFactory,
    OrganisationFactory,
    region,
)

DATE = datetime.date(2024, 10, 16)
KAMPAR_PATTERN = "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}"


def issue(organisation, date=DATE, **fields):
    return recommendation_issue(organisation=organisation, date=date, **fields)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def new_url(organisation):
    return reverse("recommendation-create", args=[organisation.pk])


@pytest.fixture
def kampar_letters(kampar):
    """Kampar as it numbers and signs its letters: in Bangkinang, by its Ketua Umum."""
    kampar.letter_number_pattern = KAMPAR_PATTERN
    kampar.signing_place = "Bangkinang"
    kampar.save()
    OfficerFactory(decree__body=kampar, name="Ricana Djayanti Hambali, B.Dsg", term_end=None)
    return kampar


# Numbering


@pytest.mark.django_db
def test_the_number_comes_from_the_bodys_letter_register(kampar_letters, sleman):
    kampar_lks = OrganisationFactory(body=kampar_letters, name="Panti Asuhan Al-Ikhlas")
    letters.issue_letter(body=kampar_letters, kind="UND", on=DATE, subject="Undangan", by=None)

    first = issue(kampar_lks)
    sleman_first = issue(OrganisationFactory(body=sleman))

    assert first.number == "002/LKKS-KPR/REK/X/2024"  # after the invitation
    assert sleman_first.number == "001/LKKS/REK/X/2024"
    letter = first.letter
    assert (letter.body, letter.kind, letter.date) == (
        kampar_letters,
        Letter.Kind.RECOMMENDATION,
        DATE,
    )
    assert letter.subject == "Rekomendasi pendaftaran Panti Asuhan Al-Ikhlas"


@pytest.mark.django_db
def test_the_letter_belongs_to_the_body_of_its_lks(kampar):
    letter = issue(OrganisationFactory(body=kampar))

    assert letter.body == letter.letter.body == kampar


@pytest.mark.django_db
def test_a_refused_letter_takes_no_number(kampar):
    lks = OrganisationFactory(body=kampar)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        issue(lks, tomorrow)
    with pytest.raises(ValidationError) as undated:
        issue(lks, None)
    with pytest.raises(ValidationError) as bad_position:
        issue(lks, signer_position=99)

    assert future.value.error_dict["date"][0].code == "future_date"
    assert "date" in undated.value.error_dict
    assert "signer_position" in bad_position.value.error_dict
    assert not Recommendation.objects.exists()
    assert not Letter.objects.exists()
    assert issue(lks).number == "001/LKKS/REK/X/2024"


@pytest.mark.django_db
def test_the_issuer_is_in_the_history_and_the_register(kampar, staff):
    letter = issue(OrganisationFactory(body=kampar), by=staff)

    assert letter.history.get().history_user == staff
    assert letter.letter.issued_by == staff


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_issuing_at_the_same_moment_get_different_numbers(monkeypatch):
    """Both reach the register's counter together; its lock gives them two numbers."""
    locked_counter = letters._locked_counter
    barrier = threading.Barrier(2, timeout=10)

    def lock_when_both_are_in_their_transaction(body_id, year):
        barrier.wait()
        return locked_counter(body_id, year)

    monkeypatch.setattr(letters, "_locked_counter", lock_when_both_are_in_their_transaction)
    body = BodyFactory(slug="kampar", regency=region("14.01"))
    lks = OrganisationFactory(body=body)
    outcomes = []

    def issue_one():
        try:
            outcomes.append(issue(lks).number)
        except Exception as error:
            outcomes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue_one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str) == ["001/LKKS/REK/X/2024", "002/LKKS/REK/X/2024"]


# Who signs


@pytest.mark.django_db
def test_the_officer_holding_the_position_on_the_date_signs(kampar_letters, staff_client):
    lks = OrganisationFactory(body=kampar_letters)
    OfficerFactory(
        decree__body=kampar_letters,
        decree__term_start=datetime.date(2025, 1, 1),
        position=Officer.Position.EXECUTIVE_CHAIR,
        name="Ketua Harian 2025",
        term_end=None,
    )
    by_chair = issue(lks)
    by_executive = issue(lks, signer_position=Officer.Position.EXECUTIVE_CHAIR)

    chair_page = staff_client.get(by_chair.get_absolute_url())
    executive_page = staff_client.get(by_executive.get_absolute_url())

    chair = chair_page.context["letter"].signatures.signers[0]
    assert (chair.title, chair.name) == (
        "Ketua Umum LKKS Kabupaten Kampar",
        "Ricana Djayanti Hambali, B.Dsg",
    )
    # Nobody was Ketua Harian on 16 October 2024: the letter says so instead of a blank.
    executive = executive_page.context["letter"].signatures.signers[0]
    assert executive.missing == "Ketua Harian"
    assert "Ketua Harian belum tercatat" in " ".join(executive_page.content.decode().split())


# The pages


@pytest.mark.django_db
def test_staff_open_the_form_with_the_ketua_umum_as_signer(staff_client, lks):
    response = staff_client.get(new_url(lks))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["signer_position"] == Officer.Position.CHAIR
    assert form.initial["date"] == timezone.localdate()
    assert form.initial["purpose"].endswith("kepada Dinas Sosial Kabupaten Kampar")


@pytest.mark.django_db
def test_staff_issue_a_letter_and_see_it(staff_client, staff, lks, kampar_letters):
    response = staff_client.post(
        new_url(lks),
        {
            "date": "2024-10-16",
            "signer_position": Officer.Position.CHAIR,
            "purpose": "mengajukan tanda daftar kepada Dinas Sosial Kabupaten Kampar",
        },
    )

    letter = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == letter.get_absolute_url()
    assert letter.number == "001/LKKS-KPR/REK/X/2024"
    assert letter.history.get().history_user == staff
    page = staff_client.get(letter.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "001/LKKS-KPR/REK/X/2024" in content
    assert "Panti Asuhan Al-Ikhlas" in content
    assert "Bangkinang, 16 Oktober 2024" in content


@pytest.mark.django_db
def test_a_bad_form_writes_nothing_and_says_why(staff_client, lks):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    empty = staff_client.post(new_url(lks), {})
    future = staff_client.post(
        new_url(lks), {"date": tomorrow.isoformat(), "signer_position": Officer.Position.CHAIR}
    )

    assert empty.status_code == 200
    assert set(empty.context["form"].errors) == {"date", "signer_position"}
    assert future.status_code == 200
    assert future.context["form"].errors["date"] == ["Tanggal tidak boleh melewati hari ini."]
    assert not Recommendation.objects.exists()
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_the_letter_pdf_has_the_number_the_place_and_the_signatory(
    staff_client, lks, kampar_letters
):
    LegalDocumentFactory(organisation=lks, number="AHU-0012345.AH.01.04")
    letter = issue(lks)

    response = staff_client.get(letter.get_absolute_url() + "?format=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rekomendasi-001-lkks-kpr-rek-x-2024.pdf"'
    )
    text = pdf_text(response.content)
    for expected in (
        "LKKS KABUPATEN KAMPAR",
        "SURAT REKOMENDASI",
        "Nomor: 001/LKKS-KPR/REK/X/2024",
        "Panti Asuhan Al-Ikhlas",
        "AHU-0012345.AH.01.04",
        "Bangkinang, 16 Oktober 2024",
        "Ketua Umum LKKS Kabupaten Kampar",
        "Ricana Djayanti Hambali, B.Dsg",
    ):
        assert expected in text, expected


@pytest.mark.django_db
def test_officials_read_letters_but_do_not_issue_them(client_of, official, lks):
    letter = issue(lks)
    client = client_of(official)

    assert client.get(new_url(lks)).status_code == 403
    assert client.post(new_url(lks), {"date": "2024-10-16"}).status_code == 403
    assert client.get(letter.get_absolute_url()).status_code == 200
    assert client.get(letter.get_absolute_url() + "?format=pdf").status_code == 200
    assert Recommendation.objects.count() == 1


@pytest.mark.django_db
def test_another_bodys_staff_find_neither_form_nor_letter(client_of, other_staff, lks):
    letter = issue(lks)
    client = client_of(other_staff)

    assert client.get(new_url(lks)).status_code == 404
    assert client.post(new_url(lks), {"date": "2024-10-16"}).status_code == 404
    assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get(letter.get_absolute_url() + "?format=pdf").status_code == 404


@pytest.mark.django_db
def test_the_anonymous_user_is_sent_to_log_in(lks):
    letter = issue(lks)

    for url in (new_url(lks), letter.get_absolute_url()):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_the_form_lists_the_letters_already_issued_for_the_lks(staff_client, lks, make_lks):
    issue(lks)
    issue(make_lks(name="LKS lain"))

    response = staff_client.get(new_url(lks))

    assert [letter.number for letter in response.context["earlier"]] == ["001/LKKS/REK/X/2024"]


@pytest.mark.django_db
def test_the_lks_page_links_to_the_letters_for_staff_only(staff_client, client_of, official, lks):
    link = new_url(lks)

    assert link in staff_client.get(lks.get_absolute_url()).content.decode()
    assert link not in client_of(official).get(lks.get_absolute_url()).content.decode()

"""Recommendation letters: numbered per body and year, issued by the body's staff,
printed as HTML and PDF."""

import datetime
import io
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from members import services
from members.models import Recommendation
from members.services import recommendation_issue
from tests.factories import BodyFactory, LegalDocumentFactory, OrganisationFactory, region

DATE = datetime.date(2024, 10, 16)


def issue(organisation, date=DATE, **fields):
    fields.setdefault("signer_name", "Ricana Djayanti")
    fields.setdefault("signer_title", "Ketua LKKS Kabupaten Kampar")
    return recommendation_issue(organisation=organisation, date=date, **fields)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def new_url(organisation):
    return reverse("recommendation-create", args=[organisation.pk])


# Numbering


@pytest.mark.django_db
def test_letters_are_numbered_per_body_from_001(kampar, sleman):
    kampar_lks = OrganisationFactory(body=kampar)
    sleman_lks = OrganisationFactory(body=sleman)

    first = issue(kampar_lks)
    second = issue(kampar_lks)
    sleman_first = issue(sleman_lks)

    assert [first.number, second.number] == ["001/LKKS-KAMPAR/REK/2024", "002/LKKS-KAMPAR/REK/2024"]
    assert sleman_first.number == "001/LKKS-SLEMAN/REK/2024"
    assert (sleman_first.body, sleman_first.year, sleman_first.sequence) == (sleman, 2024, 1)


@pytest.mark.django_db
def test_a_new_year_starts_again_at_001_and_an_old_year_continues(kampar):
    lks = OrganisationFactory(body=kampar)
    issue(lks, datetime.date(2024, 12, 30))
    issue(lks, datetime.date(2024, 12, 31))

    january = issue(lks, datetime.date(2025, 1, 2))
    late_for_2024 = issue(lks, datetime.date(2024, 12, 31))

    assert january.number == "001/LKKS-KAMPAR/REK/2025"
    assert late_for_2024.number == "003/LKKS-KAMPAR/REK/2024"


@pytest.mark.django_db
def test_the_letter_belongs_to_the_body_of_its_lks_whatever_is_given(kampar, sleman):
    letter = recommendation_issue(
        organisation=OrganisationFactory(body=kampar),
        date=DATE,
        signer_name="A",
        signer_title="Ketua",
    )

    assert letter.body == kampar


@pytest.mark.django_db
def test_a_letter_cannot_be_dated_in_the_future_or_undated(kampar):
    lks = OrganisationFactory(body=kampar)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as future:
        issue(lks, tomorrow)
    with pytest.raises(ValidationError) as undated:
        issue(lks, None)

    assert future.value.error_dict["date"][0].code == "future_date"
    assert undated.value.error_dict["date"][0].code == "required"
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_a_letter_needs_its_signer(kampar):
    with pytest.raises(ValidationError) as refused:
        issue(OrganisationFactory(body=kampar), signer_name="")

    assert "signer_name" in refused.value.error_dict


@pytest.mark.django_db
def test_the_database_refuses_a_number_twice_in_a_body_and_year(kampar):
    letter = issue(OrganisationFactory(body=kampar))

    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.create(
            organisation=letter.organisation,
            body=kampar,
            year=2024,
            sequence=1,
            number="001/x",
            date=DATE,
            signer_name="A",
            signer_title="B",
        )


@pytest.mark.django_db
def test_the_issuer_is_in_the_history(kampar, staff):
    letter = issue(OrganisationFactory(body=kampar), by=staff)

    assert letter.history.get().history_user == staff


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_staff_issuing_at_the_same_moment_get_different_numbers(monkeypatch):
    """Both enter their transaction before either locks the body; without the lock both
    would read the same last number."""
    lock_body = services._lock_body
    barrier = threading.Barrier(2, timeout=10)

    def lock_when_both_are_in_their_transaction(body_id):
        barrier.wait()
        body = lock_body(body_id)
        time.sleep(0.1)  # a wide window for the other, if the lock were missing
        return body

    monkeypatch.setattr(services, "_lock_body", lock_when_both_are_in_their_transaction)
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

    assert sorted(outcomes, key=str) == ["001/LKKS-KAMPAR/REK/2024", "002/LKKS-KAMPAR/REK/2024"]


# The pages


@pytest.mark.django_db
def test_staff_open_the_form_with_the_body_chairperson_as_signer(staff_client, lks):
    response = staff_client.get(new_url(lks))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["signer_name"] == "Ricana Djayanti"
    assert form.initial["date"] == timezone.localdate()
    assert "Kampar" in form.initial["purpose"]


@pytest.mark.django_db
def test_staff_issue_a_letter_and_see_it(staff_client, staff, lks):
    response = staff_client.post(
        new_url(lks),
        {
            "date": "2024-10-16",
            "signer_name": "Ricana Djayanti",
            "signer_title": "Ketua LKKS Kabupaten Kampar",
            "purpose": "mengajukan tanda daftar kepada Dinas Sosial Kabupaten Kampar",
        },
    )

    letter = Recommendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == letter.get_absolute_url()
    assert letter.number == "001/LKKS-KAMPAR/REK/2024"
    assert letter.history.get().history_user == staff
    page = staff_client.get(letter.get_absolute_url())
    assert page.status_code == 200
    content = page.content.decode()
    assert "001/LKKS-KAMPAR/REK/2024" in content
    assert "Panti Asuhan Al-Ikhlas" in content
    assert "16 Oktober 2024" in content


@pytest.mark.django_db
def test_a_bad_form_writes_nothing_and_says_why(staff_client, lks):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    empty = staff_client.post(new_url(lks), {})
    future = staff_client.post(
        new_url(lks), {"date": tomorrow.isoformat(), "signer_name": "A", "signer_title": "B"}
    )

    assert empty.status_code == 200
    assert set(empty.context["form"].errors) == {"date", "signer_name", "signer_title"}
    assert future.status_code == 200
    assert future.context["form"].errors["date"] == ["Tanggal tidak boleh melewati hari ini."]
    assert not Recommendation.objects.exists()


@pytest.mark.django_db
def test_the_letter_pdf_has_the_number_the_lks_and_the_body(staff_client, lks):
    LegalDocumentFactory(organisation=lks, number="AHU-0012345.AH.01.04")
    letter = issue(lks)

    response = staff_client.get(letter.get_absolute_url() + "?format=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="rekomendasi-001-lkks-kampar-rek-2024.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = pdf_text(response.content)
    for expected in (
        "LKKS KABUPATEN KAMPAR",
        "SURAT REKOMENDASI",
        "Nomor: 001/LKKS-KAMPAR/REK/2024",
        "Panti Asuhan Al-Ikhlas",
        "AHU-0012345.AH.01.04",
        "Kampar, 16 Oktober 2024",
        "Ricana Djayanti",
    ):
        assert expected in text


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

    assert [letter.number for letter in response.context["earlier"]] == ["001/LKKS-KAMPAR/REK/2024"]


@pytest.mark.django_db
def test_the_lks_page_links_to_the_letters_for_staff_only(staff_client, client_of, official, lks):
    link = new_url(lks)

    assert link in staff_client.get(lks.get_absolute_url()).content.decode()
    assert link not in client_of(official).get(lks.get_absolute_url()).content.decode()

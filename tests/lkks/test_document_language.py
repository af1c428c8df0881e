"""Printed documents follow the chosen language around the sheet and stay Indonesian on
it (#12 item 9): the page title, the toolbar (back link, PDF button, date picker) speak
the user's language; the letter, the LPJ and the annual report themselves, and their
PDF, are Indonesian government papers (UU 24/2009; docs/decisions.md)."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from members.services import recommendation_issue
from tests.factories import FunderFactory, GrantFactory, OfficerFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def speaking(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def toolbar(html):
    return re.search(r'<nav class="toolbar.*?</nav>', html, re.S).group()


def sheet(html):
    return html[html.index('<div class="sheet"') :]


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


@pytest.fixture
def grant(kampar):
    kampar.signing_place = "Bangkinang"
    kampar.save()
    return GrantFactory(
        funder=FunderFactory(body=kampar, name="Pemerintah Kabupaten Kampar"),
        name="Hibah APBD 2024",
        amount=Decimal(100_000_000),
    )


def lpj_url(grant, **params):
    query = "&".join(f"{name}={value}" for name, value in {"date": "2025-01-08", **params}.items())
    return f"{reverse('report-lpj', args=[grant.pk])}?{query}"


# The LPJ


def test_in_english_the_page_around_the_lpj_is_english_and_the_lpj_indonesian(grant, staff_client):
    page = speaking(staff_client, "en").get(lpj_url(grant)).text

    assert '<html lang="en">' in page
    assert title(page) == "Accountability report (LPJ) of Hibah APBD 2024 2024"
    bar = toolbar(page)
    for english in (">Back<", ">Download PDF<", ">Letter date<", ">Show<"):
        assert english in bar
    assert "Kembali" not in bar
    assert "Tanggal surat" not in bar
    document = sheet(page)
    assert document.startswith('<div class="sheet" lang="id">')
    assert "Dengan hormat," in document
    assert "Bangkinang, 8 Januari 2025" in document  # an Indonesian date
    assert "Rp 100.000.000" in document  # Indonesian separators
    assert "January" not in document


def test_in_indonesian_the_page_around_the_lpj_is_indonesian(grant, staff_client):
    page = speaking(staff_client, "id").get(lpj_url(grant)).text

    assert '<html lang="id">' in page
    assert title(page) == "LPJ Hibah APBD 2024 2024"
    bar = toolbar(page)
    for indonesian in (">Kembali<", ">Unduh PDF<", ">Tanggal surat<", ">Tampilkan<"):
        assert indonesian in bar
    assert "Bangkinang, 8 Januari 2025" in sheet(page)


def test_the_pdf_of_the_lpj_is_indonesian_in_either_language(grant, staff_client):
    response = speaking(staff_client, "en").get(lpj_url(grant, format="pdf"))

    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Dengan hormat," in text
    assert "8 Januari 2025" in text
    assert "Halaman 1 dari" in text
    assert "Download PDF" not in text
    assert "Back" not in text
    title = PdfReader(io.BytesIO(response.content)).metadata.title
    assert title == "LPJ Hibah APBD 2024 2024"


# The annual report


def test_the_annual_report_page_speaks_english_around_an_indonesian_report(kampar, staff_client):
    url = f"{reverse('report-annual')}?body=kampar&year=2024&date=2025-01-15"

    page = speaking(staff_client, "en").get(url).text

    assert '<html lang="en">' in page
    assert title(page) == "Annual report of LKKS Kabupaten Kampar 2024"
    bar = toolbar(page)
    for english in (">Back<", ">Body<", ">Year<", ">Date printed<", ">Show<"):
        assert english in bar
    document = sheet(page)
    assert "LAPORAN TAHUNAN LKKS KABUPATEN KAMPAR" in document
    assert "Keadaan LKS per 31 Desember 2024" in document  # the end of the year


def test_a_wrong_year_is_told_in_the_language_of_the_user(kampar, staff_client):
    url = f"{reverse('report-annual')}?body=kampar&year=1800"

    english = speaking(staff_client, "en").get(url)
    indonesian = speaking(staff_client, "id").get(url).text

    assert english.status_code == 400
    assert '<html lang="en">' in english.text
    assert "Ensure this value is greater than or equal to" in toolbar(english.text)
    assert "Choose a body and a year between" in sheet(english.text)
    assert "Pastikan nilai ini lebih besar dari atau sama dengan" in toolbar(indonesian)
    assert "Pilih lembaga dan tahun antara" in sheet(indonesian)


# The recommendation letter


def test_the_recommendation_letter_page_speaks_english_around_an_indonesian_letter(
    kampar, staff_client
):
    OfficerFactory(decree__body=kampar, name="Ricana Djayanti Hambali, B.Dsg", term_end=None)
    lks = OrganisationFactory(body=kampar, name="Panti Asuhan Al-Ikhlas")
    letter = recommendation_issue(organisation=lks, date=datetime.date(2024, 10, 16))

    page = speaking(staff_client, "en").get(letter.get_absolute_url()).text

    assert title(page) == f"Recommendation letter {letter.number}"
    assert ">Recommendation letters of this LKS<" in toolbar(page)
    document = sheet(page)
    assert "SURAT REKOMENDASI" in document
    assert "Belum terdaftar (per 16 Oktober 2024)" in document
    assert "Not registered" not in document

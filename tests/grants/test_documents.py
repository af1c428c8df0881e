"""The LPJ package of a grant, as HTML and PDF: cover letter, SPTJM with its meterai,
realisation per budget line and per activity, receipts, cash held and its return,
signed by name by the officers holding the positions on the letter's date, in the
body's place of signing; who may read it."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from grants.models import Funder
from lkks.models import Officer
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
    DecreeFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    LpjSubmissionFactory,
    OfficerFactory,
    RemainderReturnFactory,
)
from tests.grants.conftest import JUTA

pytestmark = pytest.mark.django_db

LETTER_DAY = datetime.date(2025, 1, 8)


@pytest.fixture
def official_client(official, client_of):
    return client_of(official)


def pdf_text(content):
    """The text of a PDF, with its line breaks and runs of spaces made single spaces."""
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def board(kampar):
    """Kampar's place of signing, its Kepala Dinas Sosial, and the officers of its
    board of 2024-2029."""
    kampar.signing_place = "Bangkinang"
    kampar.social_head_name = "Zamzami Hasan"
    kampar.social_head_nip = "197001011990031005"
    kampar.save()
    decree = DecreeFactory(
        body=kampar, term_start=datetime.date(2024, 6, 3), term_end=datetime.date(2029, 6, 2)
    )
    for position, name in (
        (Officer.Position.CHAIR, "Ricana Djayanti Hambali, B.Dsg"),
        (Officer.Position.TREASURER, "Hj. Rosmaini, SE"),
    ):
        OfficerFactory(decree=decree, position=position, name=name)
    return decree


@pytest.fixture
def hibah(kampar):
    """A hibah of Rp 100 juta under NPHD/001/2024 with a budget of two lines: Rp 60
    juta received, Rp 40 juta allocated to an activity and Rp 12.500.000 spent on it in
    two receipts, Rp 2.500.000 returned by STS."""
    activity = ActivityFactory(program__body=kampar, name="Bimtek pengurus LKS")
    grant = GrantFactory(
        funder=FunderFactory(body=kampar, name="Pemerintah Kabupaten Kampar"),
        name="Hibah APBD 2024",
        agreement__number="NPHD/001/2024",
        amount=100 * JUTA,
    )
    line = BudgetLineFactory(grant=grant, item="Bimtek dan rapat", amount=70 * JUTA)
    BudgetLineFactory(grant=grant, item="Santunan", amount=30 * JUTA)
    DisbursementFactory(grant=grant, amount=60 * JUTA, reference="SP2D 001")
    AllocationFactory(grant=grant, activity=activity, amount=40 * JUTA)
    for receipt, description, amount in (
        ("KW-001", "Konsumsi bimtek", Decimal(7_500_000)),
        ("KW-002", "Honor narasumber", 5 * JUTA),
    ):
        ExpenditureFactory(
            grant=grant,
            activity=activity,
            budget_line=line,
            amount=amount,
            receipt_number=receipt,
            description=description,
        )
    RemainderReturnFactory(grant=grant, date=LETTER_DAY, amount=Decimal(2_500_000))
    return grant


def lpj_url(grant, **query):
    url = reverse("report-lpj", args=[grant.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_lpj_pdf_lists_the_receipts_and_the_cash(hibah, board, official_client):
    response = official_client.get(lpj_url(hibah, format="pdf", date=LETTER_DAY))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="lpj-2024-hibah-apbd-2024.pdf"'
    )
    text = pdf_text(response.content)
    assert "LKKS KABUPATEN KAMPAR" in text
    assert "NPHD/001/2024" in text
    assert "Seratus juta rupiah" in text  # the amount in words
    for receipt in ("KW-001", "Konsumsi bimtek", "Rp 7.500.000", "KW-002", "Honor narasumber"):
        assert receipt in text
    assert "Rp 12.500.000" in text  # spent
    assert "Rp 2.500.000" in text  # returned
    assert "Rp 45.000.000" in text  # in cash: received - spent - returned
    assert "Empat puluh lima juta rupiah" in text
    assert "Bimtek dan rapat" in text  # per budget line
    assert "SP2D 001" in text


def test_the_pdf_names_the_signatories_the_place_and_holds_the_sptjm(hibah, board, official_client):
    text = pdf_text(official_client.get(lpj_url(hibah, format="pdf", date=LETTER_DAY)).content)

    assert "SURAT PERNYATAAN TANGGUNG JAWAB MUTLAK" in text
    assert "METERAI" in text
    assert "Ricana Djayanti Hambali, B.Dsg" in text  # the general chair
    assert "Hj. Rosmaini, SE" in text  # the treasurer
    assert "Zamzami Hasan" in text  # Mengetahui, Kepala Dinas Sosial
    assert "197001011990031005" in text
    assert "Mengetahui" in text
    assert "Bangkinang, 8 Januari 2025" in text
    assert "Penyampaian Laporan Pertanggungjawaban" in text


def test_the_board_of_the_letters_date_signs(hibah, board, kampar, official_client):
    earlier = DecreeFactory(
        body=kampar, term_start=datetime.date(2019, 6, 3), term_end=datetime.date(2024, 6, 2)
    )
    OfficerFactory(decree=earlier, position=Officer.Position.CHAIR, name="Drs. Ketua Lama")

    text = pdf_text(official_client.get(lpj_url(hibah, format="pdf", date="2024-05-31")).content)

    assert "Drs. Ketua Lama" in text
    assert "Ricana Djayanti" not in text
    assert "Bendahara belum tercatat" in text  # a missing signatory is named, not a blank


def test_the_cover_letter_carries_the_number_of_the_submission_of_that_day(
    hibah, board, official_client
):
    LpjSubmissionFactory(grant=hibah, submitted_on=LETTER_DAY, letter_number="007/LPJ/I/2025")

    that_day = official_client.get(lpj_url(hibah, date=LETTER_DAY))
    other_day = official_client.get(lpj_url(hibah, date="2025-01-09"))

    assert that_day.context["lpj"].letter_number == "007/LPJ/I/2025"
    assert "007/LPJ/I/2025" in that_day.content.decode()
    assert other_day.context["lpj"].letter_number == ""


def test_the_letter_is_dated_today_unless_a_date_is_asked(hibah, official_client):
    today = datetime.date.today()

    assert official_client.get(lpj_url(hibah)).context["lpj"].on == today
    assert official_client.get(lpj_url(hibah, date="not-a-date")).context["lpj"].on == today
    page = official_client.get(lpj_url(hibah, date="2025-01-08"))
    assert page.context["lpj"].on == LETTER_DAY
    assert "date=2025-01-08" in page.context["pdf_url"]


def test_the_page_has_the_grant_with_its_totals(hibah, official_client):
    response = official_client.get(lpj_url(hibah))

    assert response.status_code == 200
    lpj = response.context["lpj"]
    assert (lpj.spent, lpj.returned, lpj.cash_held) == (
        Decimal(12_500_000),
        Decimal(2_500_000),
        45 * JUTA,
    )
    assert lpj.undisbursed == 40 * JUTA
    assert [allocation.left for allocation in lpj.allocations] == [Decimal(27_500_000)]
    assert [line.left for line in lpj.budget_lines] == [Decimal(57_500_000), 30 * JUTA]
    assert [e.receipt_number for e in lpj.expenditures] == ["KW-001", "KW-002"]


def test_csr_money_is_accounted_for_by_transfer_never_by_sp2d(kampar, official_client):
    csr = GrantFactory(
        funder=FunderFactory(body=kampar, name="PT Sawit", kind=Funder.Kind.CSR),
        name="CSR alat bantu",
    )
    DisbursementFactory(grant=csr, reference="TRF 0087")

    text = pdf_text(official_client.get(lpj_url(csr, format="pdf")).content)

    assert "Referensi transfer" in text
    assert "TRF 0087" in text
    assert "SP2D" not in text


def test_the_grant_page_links_its_lpj_package(hibah, staff_client):
    content = staff_client.get(hibah.get_absolute_url()).content.decode()

    assert f'action="{reverse("report-lpj", args=[hibah.pk])}"' in content


def test_the_lpj_of_another_bodys_grant_is_not_found(hibah, other_staff, client_of):
    client = client_of(other_staff)

    assert client.get(lpj_url(hibah)).status_code == 404
    assert client.get(lpj_url(hibah, format="pdf")).status_code == 404


def test_the_lpj_is_not_a_form(hibah, official_client):
    assert official_client.post(lpj_url(hibah)).status_code == 405


def test_the_lpj_takes_the_same_queries_for_more_receipts(hibah, board, official_client):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert official_client.get(lpj_url(hibah)).status_code == 200
        return len(captured)

    small = queries()
    for _ in range(10):
        activity = ActivityFactory(program__body=hibah.funder.body)
        AllocationFactory(grant=hibah, activity=activity, amount=JUTA)
        line = BudgetLineFactory(grant=hibah, amount=1)
        ExpenditureFactory(grant=hibah, activity=activity, budget_line=line, amount=1000)
        DisbursementFactory(grant=hibah, amount=Decimal(1000))
        RemainderReturnFactory(grant=hibah, amount=1)
    assert queries() == small


def test_the_lpj_page_has_no_inline_style_or_script(hibah, official_client):
    content = official_client.get(lpj_url(hibah)).content.decode()

    assert "style=" not in content
    assert "<style" not in content
    assert "<script" not in content


def test_the_lpj_reports_the_money_that_moved_by_its_letters_date(hibah, official_client):
    """Printed again later, a letter says what it said: the return of 8 January 2025 is
    not in the LPJ dated the day before, which still holds that cash."""
    lpj = official_client.get(lpj_url(hibah, date="2025-01-07")).context["lpj"]

    assert lpj.returns == []
    assert lpj.cash_held == Decimal(47_500_000)
    assert official_client.get(lpj_url(hibah, date="2024-01-01")).context["lpj"].spent == 0

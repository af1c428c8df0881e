"""Printed documents break their pages as a reader expects (#12 item 9): a table's
heading is on the page of its first rows, and the signature block never stands alone
on a page. Real PDFs of an LPJ and an annual report are rendered by WeasyPrint through
their views, with enough rows to break pages, at row counts that move the end of the
document across a page boundary; each page's text is read back with pypdf."""

import datetime
import io
import os
import re
from decimal import Decimal

import pytest
import tinyhtml5
from django.urls import reverse
from pypdf import PdfReader
from weasyprint import HTML

from lkks.documents import document_pdf
from lkks.models import Officer
from overview import reports
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DecreeFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    OfficerFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

XHTML = "{http://www.w3.org/1999/xhtml}"
HEADINGS = {f"{XHTML}h2", f"{XHTML}h3"}
FOOTER = re.compile(r"Halaman \d+ dari \d+")
LETTER_DAY = datetime.date(2025, 1, 8)


def words(text):
    return text.split()


def squeeze(text):
    """Text without any white space: pypdf and the HTML break lines differently."""
    return "".join(text.split())


def classes(element):
    return element.get("class", "").split()


def pdf_pages(content):
    """Each page's text, without the page footer ("Halaman 2 dari 5")."""
    return [FOOTER.sub("", page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]


def signature_words(html):
    """Every word printed in the document's signature blocks."""
    found = set()
    for element in tinyhtml5.parse(html).iter(f"{XHTML}div"):
        if "signatures-block" in classes(element):
            found.update(words(" ".join(element.itertext())))
    return found


def headed_tables(html):
    """(heading, words of the first body row) of every data table under a heading of
    its own: the table that follows an h2 or h3 before the next heading."""
    found = []
    for parent in tinyhtml5.parse(html).iter():
        heading = None
        for child in parent:
            if child.tag in HEADINGS:
                heading = " ".join(" ".join(child.itertext()).split())
            elif heading and child.tag == f"{XHTML}table" and "data" in classes(child):
                first_row = next(child.iter(f"{XHTML}tbody"), None)
                row = next(first_row.iter(f"{XHTML}tr"), None) if first_row is not None else None
                if row is not None:
                    found.append((heading, words(" ".join(row.itertext()))))
                heading = None
    return found


def page_faults(html, pdf):
    """What breaks badly in the PDF of the page ``html``: pages holding nothing but
    signatures, headings away from their table's first row."""
    pages = pdf_pages(pdf)
    signing = signature_words(html)
    faults = [
        f"page {number} holds only the signature block"
        for number, text in enumerate(pages, start=1)
        if words(text) and set(words(text)) <= signing
    ]
    tables = headed_tables(html)
    assert tables, "the document has tables under headings"
    for heading, row in tables:
        on = [text for text in pages if squeeze(heading) in squeeze(text)]
        assert on, f"{heading!r} is printed"
        if not any(set(row) <= set(words(text)) for text in on):
            faults.append(f"{heading!r} is not on the page of its first row")
    return faults, len(pages)


def rendered(client, url):
    html = client.get(url)
    pdf = client.get(f"{url}&format=pdf")
    assert html.status_code == pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    return html.text, pdf.content


@pytest.fixture
def board(kampar):
    """Kampar signs in Bangkinang; its chair, secretary and treasurer are recorded, and
    so is the Kepala Dinas Sosial who acknowledges the LPJ."""
    kampar.signing_place = "Bangkinang"
    kampar.social_head_name = "Zamzami Hasan"
    kampar.social_head_nip = "197001011990031005"
    kampar.save()
    decree = DecreeFactory(
        body=kampar, term_start=datetime.date(2024, 6, 3), term_end=datetime.date(2029, 6, 2)
    )
    for position, name in (
        (Officer.Position.CHAIR, "Ricana Djayanti Hambali, B.Dsg"),
        (Officer.Position.SECRETARY, "Drs. Syafrizal"),
        (Officer.Position.TREASURER, "Hj. Rosmaini, SE"),
    ):
        OfficerFactory(decree=decree, position=position, name=name)
    return kampar


def sweep(counts):
    """The row counts to render: ``counts``, or every count up to PDF_PAGES_SWEEP when
    that is set (to look for new cases after changing the CSS)."""
    if os.environ.get("PDF_PAGES_SWEEP"):
        return range(1, int(os.environ["PDF_PAGES_SWEEP"]) + 1)
    return counts


# The LPJ: its report ends with the receipts, the cash, and three signatures


# Around 14 receipts the report's end moves from its page to the next (A4, DejaVu).
LPJ_RECEIPTS = [1, 13, 14, 15, 16, 40]


def test_the_lpj_breaks_its_pages_well_at_any_number_of_receipts(board, official, client_of):
    grant = GrantFactory(
        funder=FunderFactory(body=board, name="Pemerintah Kabupaten Kampar"),
        name="Hibah APBD 2024",
        amount=Decimal(500_000_000),
    )
    DisbursementFactory(grant=grant, amount=Decimal(500_000_000), reference="SP2D 001")
    activity = ActivityFactory(program__body=board, name="Bimtek pengurus LKS")
    AllocationFactory(grant=grant, activity=activity, amount=Decimal(400_000_000))
    client = client_of(official)
    url = f"{reverse('report-lpj', args=[grant.pk])}?date={LETTER_DAY}"
    faults, pages, made = {}, {}, 0
    for count in sweep(LPJ_RECEIPTS):
        for number in range(made + 1, count + 1):
            ExpenditureFactory(
                grant=grant,
                activity=activity,
                receipt_number=f"KW-{number:03d}",
                description=f"Konsumsi peserta bimtek hari ke-{number}",
                amount=Decimal(1_000_000),
            )
        made = count
        faults[count], pages[count] = page_faults(*rendered(client, url))

    assert len(set(pages.values())) > 1, "the receipts move the end across pages"
    assert {count: found for count, found in faults.items() if found} == {}


# The annual report: a program's activities, the money, and two signatures


# Every nine activities or so the end moves a page on.
REPORT_ACTIVITIES = [4, 5, 13, 14, 22, 23]


def test_the_annual_report_breaks_its_pages_well_at_any_number_of_activities(
    board, official, client_of
):
    program = ProgramFactory(body=board, fiscal_year=2024, code="P01", name="Penguatan LKS")
    grant = GrantFactory(funder=FunderFactory(body=board), fiscal_year=2024)
    DisbursementFactory(grant=grant, amount=Decimal(50_000_000))
    client = client_of(official)
    url = f"{reverse('report-annual')}?body={board.slug}&year=2024&date=2025-01-15"
    faults, pages, made = {}, {}, 0
    for count in sweep(REPORT_ACTIVITIES):
        for number in range(made + 1, count + 1):
            ActivityFactory(
                program=program,
                name=f"Bimbingan teknis pengurus LKS angkatan {number}",
                outcome=f"{number * 3} pengurus LKS memahami tata kelola lembaga",
            )
        made = count
        html = client.get(url)
        assert html.status_code == 200
        # The worker makes the PDF (overview.tasks.annual_report_pdf) as this does.
        report = reports.annual_report(body=board, year=2024, today=datetime.date(2025, 1, 15))
        pdf = document_pdf(
            "overview/annual_report.html", {"body": board, "year": 2024, "report": report}
        )
        faults[count], pages[count] = page_faults(html.text, pdf)

    assert len(set(pages.values())) > 1, "the activities move the end across pages"
    assert {count: found for count, found in faults.items() if found} == {}


# The check itself


@pytest.mark.parametrize(
    ("style", "fault"),
    [
        (".signatures-block { break-before: page; }", "page 2 holds only the signature block"),
        (
            "h2 { break-after: page; }",
            "'Daftar Bukti Pengeluaran' is not on the page of its first row",
        ),
    ],
)
def test_the_check_sees_a_lonely_signature_and_a_heading_apart(style, fault):
    html = f"""<html><head><style>{style}</style></head><body>
      <h2>Daftar Bukti Pengeluaran</h2>
      <table class="data"><thead><tr><th>No.</th><th>Uraian</th></tr></thead>
        <tbody><tr><td>1</td><td>Konsumsi rapat</td></tr></tbody></table>
      <p>Demikian laporan ini dibuat.</p>
      <div class="signatures-block"><p>Bangkinang, 8 Januari 2025</p>
        <p>Ketua Umum LKKS Kabupaten Kampar</p><p>Ricana Djayanti Hambali</p></div>
    </body></html>"""

    faults, _pages = page_faults(html, HTML(string=html).write_pdf())

    assert faults == [fault]

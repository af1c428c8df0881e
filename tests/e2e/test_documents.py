import io
import re

from pypdf import PdfReader

from grants.models import Grant
from members.models import Organisation, RegistrationStatus
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in


def pdf_text(page, link):
    """Download the PDF behind a link and return its text."""
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), "rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_staff_print_the_lpj_the_annual_report_and_a_recommendation(site, page, run_worker):
    log_in(page, site, "staf-sleman")

    # The annual report, from the dashboard's link, dated as chosen; its PDF is a job
    # (tests/e2e/test_jobs.py) that the worker runs.
    follow(page, page.get_by_role("link", name=re.compile(r"^Laporan tahunan \d{4}$")))
    page.locator("#id_date").fill("2025-03-17")
    follow(page, page.get_by_role("button", name="Tampilkan"))
    follow(page, page.get_by_role("button", name="Unduh PDF"))
    run_worker()
    text = pdf_text(page, page.get_by_role("link", name=re.compile(r"^Unduh laporan-tahunan")))
    assert "LAPORAN TAHUNAN" in text.upper()
    assert "17 Maret 2025" in text

    # The LPJ, from the list of reports.
    grant = Grant.objects.filter(funder__body__slug="sleman", disbursements__isnull=False).first()
    visit(page, f"{site}/reports/")
    follow(page, page.get_by_role("link", name=re.compile(rf"^LPJ {re.escape(grant.name)}")))
    text = pdf_text(page, page.get_by_role("link", name="Unduh PDF"))
    assert grant.name in text
    assert "PERTANGGUNGJAWABAN" in text.upper()

    # A recommendation for a registered LKS: its purpose is not "to apply for registration".
    lks = (
        Organisation.objects.filter(body__slug="sleman")
        .with_status()
        .filter(registration_status=RegistrationStatus.REGISTERED)
        .first()
    )
    visit(page, f"{site}/members/{lks.pk}/")
    follow(page, page.get_by_role("link", name=re.compile("rekomendasi", re.I)).first)
    purpose = page.locator("#id_purpose").input_value()
    assert "pendaftaran" not in purpose.lower()
    follow(page, page.get_by_role("button", name=re.compile("Terbitkan")))
    text = pdf_text(page, page.get_by_role("link", name="Unduh PDF"))
    assert "REKOMENDASI" in text.upper()
    assert lks.name in text

"""Long work as a job, in the browser: the annual report's PDF is asked for on its page,
the job page shows the bar while the real worker runs, then the download."""

import re

from tests.e2e.checks import checked, follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.test_documents import pdf_text


def wait_for_the_file(page, run_worker):
    """On a job's page: the worker runs the job; the page's script sees it done and
    shows the download, with the bar full. Returns the download link."""
    bar = page.locator("#job-progress")
    assert bar.get_attribute("aria-valuenow") == "0"
    assert page.locator("#job-status").inner_text() == "Menunggu"
    run_worker()
    link = page.get_by_role("link", name=re.compile(r"^Unduh .+\.pdf$"))
    link.wait_for()
    checked(page)
    assert bar.get_attribute("aria-valuenow") == "100"
    assert page.locator("#job-status").inner_text() == "Selesai"
    return link


def test_the_annual_report_pdf_is_made_by_the_worker_with_a_progress_bar(site, page, run_worker):
    log_in(page, site, "staf-sleman")
    follow(page, page.get_by_role("link", name=re.compile(r"^Laporan tahunan \d{4}$")))
    year = re.search(r"year=(\d{4})", page.url).group(1)

    follow(page, page.get_by_role("button", name="Unduh PDF"))

    assert re.search(r"/jobs/[0-9a-f-]{36}/$", page.url)
    assert page.get_by_role("heading", level=1).inner_text().startswith(f"Laporan tahunan {year}")
    link = wait_for_the_file(page, run_worker)
    text = pdf_text(page, link)
    assert "LAPORAN TAHUNAN" in text.upper()

    # The list of the user's jobs, from the user menu, leads back to it.
    visit(page, f"{site}/jobs/")
    assert page.get_by_role("link", name=re.compile(r"^Unduh laporan-tahunan")).count() == 1
    follow(page, page.get_by_role("link", name=re.compile(r"^Laporan tahunan")))
    follow(page, page.get_by_role("link", name="Kembali ke halaman asal pekerjaan"))
    assert "/reports/annual/" in page.url

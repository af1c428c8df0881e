"""The LKS portal in a browser, on a phone: Al Ghifari Turi uploads its two missing
documents and submits its registration application; Sleman's staff verify a document
on their desk and the application waits for them."""

import re

from playwright.sync_api import expect

from members.applications import Application
from members.models import LegalDocument
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def field(page, label):
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def upload_for(page, item, filename):
    """Upload a document from the application's checklist, back to the application."""
    follow(
        page,
        page.locator("li", has_text=item).get_by_role(
            "link", name="Unggah dokumen baru untuk butir ini"
        ),
    )
    field(page, "Tanggal terbit").fill("2025-01-06")
    field(page, "Pindaian dokumen").set_input_files(
        {"name": filename, "mimeType": "application/pdf", "buffer": PDF}
    )
    follow(page, page.get_by_role("button", name="Unggah"))


def test_an_lks_uploads_and_applies_and_staff_verify(site, page):
    log_in(page, site, "lks-alghifari")
    visit(page, f"{site}/portal/")
    expect(page.locator("main h1")).to_have_text("Al Ghifari Turi")
    expect(page.get_by_text("Dalam proses")).to_be_visible()

    # Every page of the portal fits a phone (checked by visit/follow).
    for path in ["profile/", "documents/", "readiness/", "applications/new/"]:
        visit(page, f"{site}/portal/{path}")

    follow(page, page.get_by_role("link", name="Permohonan", exact=True).first)
    follow(page, page.get_by_role("link", name="Tanda daftar"))
    expect(page.get_by_text("2 butir wajib masih memerlukan dokumen")).to_be_visible()

    # Submitting before the checklist is complete is refused on the items.
    follow(page, page.get_by_role("button", name="Ajukan permohonan"))
    expect(page.get_by_text("Lampirkan dokumen untuk butir ini.")).to_have_count(2)

    upload_for(page, "Program kerja", "program-kerja.pdf")
    upload_for(page, "Laporan kegiatan", "laporan-kegiatan.pdf")
    expect(page).to_have_url(re.compile(r"/portal/applications/\d+/$"))
    page.get_by_label("Program kerja").select_option(index=1)
    page.get_by_label("Laporan kegiatan").select_option(index=1)
    follow(page, page.get_by_role("button", name="Ajukan permohonan"))
    expect(page.get_by_text("Permohonan sudah diajukan.")).to_be_visible()

    application = Application.objects.get(organisation__name="Al Ghifari Turi")
    assert application.status == Application.Status.SUBMITTED
    assert application.attachments.count() == 7

    # Sleman's staff find it on their desk and verify the work program.
    page.context.clear_cookies()
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/reviews/")
    expect(page.get_by_role("link", name="Al Ghifari Turi").first).to_be_visible()
    follow(
        page,
        page.locator("tr", has_text="program kerja").get_by_role("link", name="Periksa"),
    )
    page.get_by_label("Terverifikasi: dokumen ini berlaku").check()
    follow(page, page.get_by_role("button", name="Simpan hasil pemeriksaan"))
    expect(page.get_by_text("Sudah diperiksa. LKS diberi tahu melalui email.")).to_be_visible()

    work_program = LegalDocument.objects.get(
        organisation__name="Al Ghifari Turi", kind=LegalDocument.Kind.WORK_PROGRAM
    )
    assert work_program.verification == LegalDocument.Verification.VERIFIED
    assert work_program.verified_by.username == "staf-sleman"

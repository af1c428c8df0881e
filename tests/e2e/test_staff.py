import datetime
import re

from playwright.sync_api import expect

from members.models import Organisation
from tests.e2e.conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def scan(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def field(page, label):
    """A form field by its label, which ends with * when the field is required."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def registered_today(page, site):
    """The dashboard's count of registered LKS for the current year."""
    page.goto(f"{site}/?year={datetime.date.today().year}")
    return int(page.locator("[data-figure='registered']").first.inner_text().replace(".", ""))


def test_staff_add_an_lks_with_its_registration_and_accreditation(site, page):
    today = datetime.date.today()
    log_in(page, site, "staf-sleman")
    before = registered_today(page, site)

    page.goto(f"{site}/members/new/")
    field(page, "Nama").fill("LKSA Uji Peramban")
    field(page, "Jenis").select_option(label="LKSA (anak)")
    field(page, "Kecamatan").select_option(label="Turi")
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("main h1")).to_contain_text("LKSA Uji Peramban")

    page.get_by_role("link", name="Tambah tanda daftar").click()
    field(page, "Status").select_option(label="terdaftar")
    field(page, "Nomor tanda daftar").fill("460/999/TD/UJI")
    field(page, "Tanggal terbit").fill(f"{today - datetime.timedelta(days=1):%Y-%m-%d}")
    field(page, "Berlaku sampai").fill(f"{today.replace(year=today.year + 5):%Y-%m-%d}")
    field(page, "Pindaian dokumen").set_input_files(scan("tanda-daftar.pdf"))
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#registrations")).to_contain_text("460/999/TD/UJI")

    page.get_by_role("link", name="Tambah akreditasi").click()
    field(page, "Status").select_option(label="terakreditasi")
    field(page, "Peringkat").select_option(label="B (baik)")
    field(page, "Tanggal akreditasi").fill(f"{today:%Y-%m-%d}")
    field(page, "Pindaian sertifikat").set_input_files(scan("sertifikat.pdf"))
    page.get_by_role("button", name="Simpan").click()
    expect(page.locator("#accreditations")).to_contain_text("B")

    lks = Organisation.objects.get(name="LKSA Uji Peramban")
    assert lks.registrations.get().document.name.endswith(".pdf")
    assert lks.accreditations.get().valid_until == today.replace(year=today.year + 3)

    assert registered_today(page, site) == before + 1

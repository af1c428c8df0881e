import datetime
import re

from playwright.sync_api import expect

from members.models import Organisation
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def scan(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": PDF}


def field(page, label):
    """A form field by its label, which ends with * when the field is required."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}\s*\*?\s*$"))


def registered_today(page, site):
    """The dashboard's count of registered LKS for the current year."""
    visit(page, f"{site}/?year={datetime.date.today().year}")
    # On the 1366 px desktop no card's text is cut ("dari 5 yang direncanak…").
    cut = page.locator(".stat *").evaluate_all(
        "cells => cells.filter(cell => cell.scrollWidth > cell.clientWidth + 1).length"
    )
    assert cut == 0
    return int(page.locator("[data-figure='registered']").first.inner_text().replace(".", ""))


def test_staff_add_an_lks_with_its_registration_and_accreditation(site, page):
    today = datetime.date.today()
    log_in(page, site, "staf-sleman")
    before = registered_today(page, site)

    visit(page, f"{site}/members/new/")
    field(page, "Nama").fill("LKSA Uji Peramban")
    field(page, "Jenis").select_option(label="LKSA (anak)")
    field(page, "Kecamatan").select_option(label="Turi")
    # The desa choice offers only the villages of Turi (static/js/forms.js).
    offered = page.locator("#id_village option:not([hidden])").all_inner_texts()
    assert len(offered) > 2
    assert all("Turi" in name for name in offered[1:]), offered
    follow(page, page.get_by_role("button", name="Simpan"))
    expect(page.locator("main h1")).to_contain_text("LKSA Uji Peramban")

    follow(page, page.get_by_role("link", name="Tambah tanda daftar"))
    field(page, "Status").select_option("registered")
    field(page, "Nomor tanda daftar").fill("460/999/TD/UJI")
    field(page, "Tanggal terbit").fill(f"{today - datetime.timedelta(days=1):%Y-%m-%d}")
    field(page, "Berlaku sampai").fill(f"{today.replace(year=today.year + 5):%Y-%m-%d}")
    field(page, "Pindaian dokumen").set_input_files(scan("tanda-daftar.pdf"))
    follow(page, page.get_by_role("button", name="Simpan"))
    expect(page.locator("#registrations")).to_contain_text("460/999/TD/UJI")

    follow(page, page.get_by_role("link", name="Tambah akreditasi"))
    field(page, "Status").select_option("accredited")
    field(page, "Peringkat").select_option(label="B (baik)")
    field(page, "Tanggal akreditasi").fill(f"{today:%Y-%m-%d}")
    field(page, "Pindaian sertifikat").set_input_files(scan("sertifikat.pdf"))
    follow(page, page.get_by_role("button", name="Simpan"))
    expect(page.locator("#accreditations")).to_contain_text("B")

    # A legal document whose dates are wrong: the summary links the field, and the
    # chosen scan is to be chosen again, as its field says.
    follow(page, page.get_by_role("link", name="Tambah dokumen"))
    field(page, "Jenis").select_option("operating_permit")
    field(page, "Nomor").fill("503/IO/UJI")
    field(page, "Tanggal terbit").fill(f"{today:%Y-%m-%d}")
    field(page, "Berlaku sampai").fill(f"{today - datetime.timedelta(days=30):%Y-%m-%d}")
    field(page, "Pindaian dokumen").set_input_files(scan("izin.pdf"))
    follow(page, page.get_by_role("button", name="Simpan"))
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Berlaku sampai")).to_have_attribute(
        "href", "#id_valid_until"
    )
    expect(page.locator("#id_document_helptext")).to_contain_text("izin.pdf")
    expect(page.locator("#id_document_helptext")).to_contain_text("pilih lagi")
    field(page, "Berlaku sampai").fill(f"{today.replace(year=today.year + 2):%Y-%m-%d}")
    field(page, "Pindaian dokumen").set_input_files(scan("izin.pdf"))
    follow(page, page.get_by_role("button", name="Simpan"))
    expect(page.locator("#documents")).to_contain_text("503/IO/UJI")

    lks = Organisation.objects.get(name="LKSA Uji Peramban")
    assert lks.documents.get().document.name.endswith(".pdf")
    assert lks.registrations.get().document.name.endswith(".pdf")
    assert lks.accreditations.get().valid_until == today.replace(year=today.year + 3)

    assert registered_today(page, site) == before + 1

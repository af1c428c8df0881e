import io

from openpyxl import Workbook
from playwright.sync_api import expect

from members.models import Organisation
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in

ROWS = [
    ("Panti Asuhan Impor Satu", "LKSA", "Kapanewon Turi"),
    ("Panti Wredha Impor Dua", "LKS Lanjut Usia", "Depok"),
]


# A district no regency has, and a row without a name.
BROKEN_ROWS = [
    ("Panti Salah Kecamatan", "LKSA", "Kecamatan Antah Berantah"),
    (None, "LKSA", "Turi"),
]


def workbook(rows=ROWS):
    book = Workbook()
    sheet = book.active
    sheet.append(["Nama LKS", "Jenis", "Kecamatan"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_staff_import_a_small_workbook_through_the_page(site, page):
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/")
    follow(page, page.get_by_role("link", name="Impor"))

    # A workbook with broken rows: each error is listed, nothing can be imported.
    page.get_by_label("Lembar kerja").set_input_files(
        {
            "name": "lks-salah.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": workbook(BROKEN_ROWS),
        }
    )
    follow(page, page.get_by_role("button", name="Periksa berkas"))
    expect(page.locator("#import-errors tbody tr")).to_have_count(2)
    expect(page.get_by_role("button", name="Impor")).to_have_count(0)
    assert not Organisation.objects.filter(name="Panti Salah Kecamatan").exists()
    follow(page, page.get_by_role("link", name="Unggah berkas yang sudah diperbaiki"))

    page.get_by_label("Lembar kerja").set_input_files(
        {
            "name": "lks-baru.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": workbook(),
        }
    )
    follow(page, page.get_by_role("button", name="Periksa berkas"))

    # The preview says what will happen, and nothing is written yet.
    for name, _kind, _district in ROWS:
        expect(page.get_by_role("cell", name=name)).to_be_visible()
    assert not Organisation.objects.filter(name__contains="Impor").exists()

    follow(page, page.get_by_role("button", name="Impor"))
    expect(page.get_by_role("alert")).to_contain_text("2")

    visit(page, f"{site}/members/?q=Impor")
    for name, _kind, _district in ROWS:
        expect(page.get_by_role("link", name=name)).to_be_visible()
    turi = Organisation.objects.get(name="Panti Asuhan Impor Satu")
    assert turi.district.name == "Turi"
    assert turi.body.slug == "sleman"

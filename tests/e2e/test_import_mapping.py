from playwright.sync_api import expect

from members.models import ImportMapping, Organisation
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.members.registers import register_workbook

# A header the template does not know: "Nama Pengelola" holds the chairperson.
COLUMNS = [(None, [title]) for title in ("No", "Nama LKS", "Kecamatan", "Nama Pengelola")]
ROW = {"Nama LKS": "Panti Asuhan Pemetaan", "Kecamatan": "Kapanewon Turi", "Nama Pengelola": "Sri"}


def test_staff_map_an_unknown_column_and_import(site, page):
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/import/")
    page.get_by_label("Lembar kerja").set_input_files(
        {
            "name": "rekap-dinsos.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": register_workbook([ROW], groups=COLUMNS, title_rows=["REKAP LKS DINSOS"]),
        }
    )
    follow(page, page.get_by_role("button", name="Periksa berkas"))

    # The column no name tells is listed, and the staff says what it holds.
    expect(page.get_by_role("heading", name="Kolom mana berisi apa")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Nama Pengelola")
    expect(page.get_by_label("Nama LKS", exact=True)).to_have_value("name")
    page.get_by_label("Nama Pengelola").select_option(label="Ketua")
    follow(page, page.get_by_role("button", name="Periksa berkas"))

    expect(page.get_by_role("cell", name="Panti Asuhan Pemetaan")).to_be_visible()
    assert not Organisation.objects.filter(name="Panti Asuhan Pemetaan").exists()
    follow(page, page.get_by_role("button", name="Impor"))
    expect(page.get_by_role("alert")).to_contain_text("1")

    lks = Organisation.objects.get(name="Panti Asuhan Pemetaan")
    assert (lks.chairperson, lks.district.name, lks.body.slug) == ("Sri", "Turi", "sleman")
    mapping = ImportMapping.objects.get(body__slug="sleman")
    assert {"title": "Nama Pengelola", "field": "chairperson"} in mapping.columns

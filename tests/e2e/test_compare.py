from playwright.sync_api import expect

from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in


def test_a_provincial_official_compares_the_bodies_side_by_side(site, page):
    log_in(page, site, "pejabat-provinsi")
    follow(page, page.get_by_role("link", name="Bandingkan lembaga").first)
    table = page.locator(".compare-table")
    expect(table.get_by_role("columnheader", name="LKKS Kabupaten Kampar")).to_be_visible()
    expect(table.get_by_role("columnheader", name="LKKS Kabupaten Sleman")).to_be_visible()

    # On a phone the bodies scroll inside the table while the indicators stay in place.
    page.set_viewport_size({"width": 390, "height": 800})
    indicator = table.locator("tbody tr:has(td) > :first-child").first
    before = indicator.bounding_box()["x"]
    page.locator(".compare-table").evaluate(
        "table => { table.closest('.table-responsive').scrollLeft = 400; }"
    )
    assert indicator.bounding_box()["x"] == before


def test_staff_refused_the_comparison_are_told_why(site, page):
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/compare/")
    expect(page.locator("main")).to_contain_text("membaca beberapa lembaga")
    expect(page.get_by_role("link", name="Laporan", exact=True)).to_be_attached()

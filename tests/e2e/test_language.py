from playwright.sync_api import expect

from tests.e2e.checks import follow
from tests.e2e.conftest import log_in


def test_the_language_switch_turns_the_interface_english_and_back(site, page):
    log_in(page, site, "staf-sleman")
    expect(page.get_by_role("link", name="Program", exact=True)).to_be_visible()

    follow(page, page.get_by_role("button", name="English"))
    expect(page.get_by_role("link", name="Programs", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")

    follow(page, page.get_by_role("button", name="Bahasa Indonesia"))
    expect(page.get_by_role("link", name="Program", exact=True)).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "id")

import re

from playwright.sync_api import expect

from members.models import Organisation
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in


def test_an_official_reads_but_cannot_change(site, page):
    log_in(page, site, "pejabat-sleman")
    expect(page.locator("main h1")).to_contain_text("Sleman")

    follow(page, page.get_by_role("link", name="LKS", exact=True).first)
    expect(page.get_by_text(re.compile(r"125 LKS"))).to_be_visible()
    expect(page.get_by_role("link", name="Tambah LKS")).to_have_count(0)

    follow(page, page.get_by_role("link", name="Al Ghifari Turi"))
    expect(page.locator("main h1")).to_contain_text("Al Ghifari Turi")
    expect(page.get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Hapus", exact=True)).to_have_count(0)

    # The edit page itself is refused on a page that keeps the navigation.
    visit(page, f"{page.url}edit/")
    expect(page.locator("main h1")).to_have_text("Tidak diizinkan")
    expect(page.get_by_role("link", name="Laporan", exact=True)).to_be_attached()

    # A forged edit, with a valid CSRF token from the official's own session.
    lks = Organisation.objects.get(name="Al Ghifari Turi")
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{site}/members/{lks.pk}/edit/",
        form={"name": "Diubah tanpa hak", "csrfmiddlewaretoken": token},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert response.status == 403
    lks.refresh_from_db()
    assert lks.name == "Al Ghifari Turi"

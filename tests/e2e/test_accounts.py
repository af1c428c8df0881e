"""The account pages and the error pages in a browser: a wrong password at the login,
the password reset by email, the password change (once wrong), logging out; a page not
found and a page refused keep the navigation."""

import re

from django.core import mail
from playwright.sync_api import expect

from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import fill, refused, saved, send

NEW_PASSWORD = "Sleman-Berdaya-2026"


def test_a_user_resets_changes_and_uses_their_password(site, page):
    # A wrong password is refused on the login page, which says nothing of the account.
    visit(page, f"{site}/accounts/login/")
    fill(page, {"username": "staf-sleman", "password": "salah"})
    send(page, "Masuk")
    expect(page.locator("main")).to_contain_text("Masukkan nama pengguna dan sandi yang benar")
    expect(page).to_have_url(re.compile("/accounts/login/"))

    # Forgotten: the reset link comes by email and sets a new password.
    follow(page, page.get_by_role("link", name=re.compile("lupa", re.I)))
    fill(page, {"email": "staf-sleman@example.org"})
    send(page)
    expect(page.locator("main h1")).to_be_visible()
    link = re.search(r"https?://\S+/reset/\S+/", mail.outbox[-1].body).group(0)
    visit(page, link)
    fill(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"})
    refused(page, "new_password2", "cocok")
    fill(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    saved(page)
    follow(page, page.locator("main").get_by_role("link", name="Masuk"))

    # Logged in with it, they change it again: the old one must be right.
    fill(page, {"username": "staf-sleman", "password": NEW_PASSWORD})
    send(page, "Masuk")
    expect(page.locator("main h1")).to_contain_text("Sleman")
    page.get_by_role("button", name=re.compile("Staf|staf-sleman")).click()
    follow(page, page.get_by_role("link", name="Ganti kata sandi"))
    fill(page, {"old_password": "demo", "new_password1": "Kampar-2026-Baru"})
    fill(page, {"new_password2": "Kampar-2026-Baru"})
    refused(page, "old_password", "salah")
    fill(page, {"old_password": NEW_PASSWORD, "new_password1": "Kampar-2026-Baru"})
    fill(page, {"new_password2": "Kampar-2026-Baru"})
    saved(page)
    expect(page.locator("main")).to_contain_text("sudah diganti")

    page.get_by_role("button", name=re.compile("Staf|staf-sleman")).click()
    follow(page, page.get_by_role("button", name="Keluar"))
    log_in(page, site, "staf-sleman", password="Kampar-2026-Baru")


def test_pages_not_found_and_refused_keep_the_navigation(site, page):
    log_in(page, site, "pejabat-provinsi")
    visit(page, f"{site}/members/999999/")
    expect(page.locator("main h1")).to_have_text("Halaman tidak ditemukan")
    expect(page.get_by_role("link", name="Laporan", exact=True)).to_be_attached()

    # An official reads the register but cannot take a number from it.
    visit(page, f"{site}/letters/new/")
    expect(page.locator("main h1")).to_have_text("Tidak diizinkan")
    expect(page.get_by_role("link", name="Laporan", exact=True)).to_be_attached()

    # Reading two bodies, they switch between them and stay on the page they were on.
    visit(page, f"{site}/letters/")
    page.locator("#switch-body").select_option(label="LKKS Kabupaten Kampar")
    follow(page, page.locator("form[action='/body/switch/'] button"))
    expect(page).to_have_url(f"{site}/letters/")
    expect(page.locator("main")).to_contain_text("LKKS-KPR")
    page.locator("#switch-body").select_option(label="LKKS Kabupaten Sleman")
    follow(page, page.locator("form[action='/body/switch/'] button"))
    expect(page.locator("main")).not_to_contain_text("LKKS-KPR")

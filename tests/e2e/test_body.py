"""The body's own pages in a browser, as its staff: the profile, the board with its
decree (SK) and officers, and the letter register. Each form is sent once with a
mistake, then right."""

from playwright.sync_api import expect

from lkks.models import Body, Letter
from lkks.officers import Decree, Officer
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import fill, refused, saved

DECREE = "100.3.3.2/DINSOS/2026/77"


def test_staff_keep_the_profile_the_board_and_the_letter_register(site, page):
    log_in(page, site, "staf-kampar")
    visit(page, f"{site}/body/")
    expect(page.locator("main h1")).to_have_text("LKKS Kabupaten Kampar")

    # A number pattern with an unknown field is refused; nothing is written.
    follow(page, page.locator("main").get_by_role("link", name="Ubah", exact=True))
    pattern = page.locator("#id_letter_number_pattern").input_value()
    fill(page, {"letter_number_pattern": "{seq}/LKKS/{tahun}", "phone": "(0762) 20123"})
    refused(page, "letter_number_pattern", "{seq}")
    assert Body.objects.get(slug="kampar").phone != "(0762) 20123"
    fill(page, {"letter_number_pattern": pattern})
    saved(page)
    expect(page.locator("main")).to_contain_text("(0762) 20123")

    # A new decree whose term ends before it starts, then right; then its first officer.
    follow(page, page.locator("main").get_by_role("link", name="Pengurus", exact=True))
    follow(page, page.get_by_role("link", name="SK baru"))
    fill(page, {"number": DECREE, "issued_on": "2026-02-02", "issued_by": "Bupati Kampar"})
    fill(page, {"term_start": "2026-02-02", "term_end": "2025-02-01"})
    refused(page, "term_end", "berakhir sebelum")
    assert not Decree.objects.filter(number=DECREE).exists()
    fill(page, {"term_end": "2031-02-01"})
    saved(page)
    decree = Decree.objects.get(number=DECREE)

    expect(page.locator("#id_decree option:checked")).to_contain_text(DECREE)
    fill(page, {"position": "Wakil Ketua"})
    refused(page, "name", "tidak boleh kosong")
    fill(page, {"name": "Hj. Rosmaini, S.Sos"})
    saved(page)
    officer = Officer.objects.get(decree=decree, name="Hj. Rosmaini, S.Sos")
    expect(page.locator("main")).to_contain_text("Hj. Rosmaini, S.Sos")

    visit(page, f"{site}/body/decrees/{decree.pk}/edit/")
    fill(page, {"subject": "Penambahan pengurus"})
    saved(page)
    visit(page, f"{site}/body/officers/{officer.pk}/edit/")
    fill(page, {"name": "Hj. Rosmaini, S.Sos., M.Si"})
    saved(page)
    visit(page, f"{site}/body/officers/{officer.pk}/delete/")
    follow(page, page.get_by_role("button", name="Ya, hapus"))
    assert not Officer.objects.filter(pk=officer.pk).exists()

    # The register hands out the next number; a letter without a subject is refused.
    follow(page, page.get_by_role("link", name="Profil lembaga").first)
    follow(page, page.locator("main").get_by_role("link", name="Agenda surat"))
    follow(page, page.get_by_role("link", name="Ambil nomor surat"))
    letters = Letter.objects.filter(body__slug="kampar")
    before = letters.count()
    fill(page, {"kind": "undangan"})
    refused(page, "subject", "tidak boleh kosong")
    assert letters.count() == before
    fill(page, {"subject": "Undangan rapat pleno pengurus", "recipient": "Pengurus LKKS"})
    saved(page)
    letter = letters.get(subject="Undangan rapat pleno pengurus")
    expect(page.locator("main")).to_contain_text(letter.number)
    follow(page, page.locator(f"main a[href='/letters/{letter.pk}/edit/']"))
    fill(page, {"recipient": "Seluruh pengurus LKKS"})
    saved(page)
    letter.refresh_from_db()
    assert letter.recipient == "Seluruh pengurus LKKS"

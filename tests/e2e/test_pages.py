"""The pages no journey of the suite reaches otherwise, as the demo's users meet them:
programs, activities, funders, an LKS's records and mentoring, the lists of the
navigation, and every list as an official who only reads. Forms are sent once with a
mistake, then right. Which test shows which page: tests/e2e/README.md."""

import re

from playwright.sync_api import expect

from grants.models import Funder
from members.models import LegalDocument, Mentoring, Organisation
from programs.models import Activity, Program
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import fill, png, refused, saved

PROGRAM = "Penguatan forum LKS kecamatan"
ACTIVITY = "Temu forum LKS Kapanewon Turi"
FUNDER = "Baznas Kabupaten Sleman"


def test_staff_keep_programs_activities_and_funders(site, page):
    taken = Program.objects.filter(body__slug="sleman").order_by("pk").first()
    log_in(page, site, "staf-sleman")
    follow(page, page.get_by_role("link", name="Program", exact=True).first)

    # A code already used that year is refused; nothing is written.
    follow(page, page.get_by_role("link", name="Tambah program"))
    fill(page, {"fiscal_year": str(taken.fiscal_year), "code": taken.code, "name": PROGRAM})
    fill(page, {"category": "penunjang kelembagaan", "budget_ceiling": "25000000"})
    refused(page, "code", "sudah dipakai")
    assert not Program.objects.filter(name=PROGRAM).exists()
    fill(page, {"code": "P-UJI-01"})
    saved(page)
    program = Program.objects.get(name=PROGRAM)
    expect(page.locator("main h1")).to_contain_text(PROGRAM)
    follow(page, page.locator(f"main a[href='/programs/{program.pk}/edit/']"))
    fill(page, {"description": "Forum LKS di tiap kapanewon."})
    saved(page)

    # An activity planned to end before it starts, then right; its photo; its edit.
    follow(page, page.locator(f"main a[href='/programs/{program.pk}/activities/new/']"))
    fill(page, {"name": ACTIVITY, "kind": "rapat koordinasi", "district": "Turi"})
    fill(page, {"planned_start": f"{program.fiscal_year}-06-10"})
    fill(page, {"planned_end": f"{program.fiscal_year}-06-01", "budget": "5000000"})
    refused(page, "planned_end", "sebelum rencana mulai")
    assert not Activity.objects.filter(name=ACTIVITY).exists()
    fill(page, {"planned_end": f"{program.fiscal_year}-06-11", "target_participants": "30"})
    saved(page)
    activity = Activity.objects.get(name=ACTIVITY)
    visit(page, f"{site}/programs/activities/{activity.pk}/")
    follow(page, page.locator(f"main a[href='/programs/activities/{activity.pk}/photos/new/']"))
    page.locator("input[type='file']").set_input_files(png("forum.png"))
    saved(page)
    photo = activity.photos.get()
    visit(page, f"{site}/programs/photos/{photo.pk}/delete/")
    follow(page, page.locator("main").get_by_role("link", name="Batal"))
    follow(page, page.locator(f"main a[href='/programs/activities/{activity.pk}/edit/']"))
    fill(page, {"status": "Berjalan"})
    saved(page)
    follow(page, page.locator(f"main a[href='/programs/activities/{activity.pk}/delete/']"))
    follow(page, page.get_by_role("link", name="Batal"))

    follow(page, page.get_by_role("link", name="Kegiatan", exact=True).first)
    expect(page.locator("main")).to_contain_text(ACTIVITY)
    visit(page, f"{site}/programs/{program.pk}/delete/")

    # A funder needs its kind; the new one is changed, then deleted (it has no grant).
    visit(page, f"{site}/grants/funders/")
    follow(page, page.get_by_role("link", name="Tambah sumber dana"))
    fill(page, {"name": FUNDER})
    refused(page, "kind", "tidak boleh kosong")
    assert not Funder.objects.filter(name=FUNDER).exists()
    fill(page, {"kind": "donasi"})
    saved(page)
    funder = Funder.objects.get(name=FUNDER)
    follow(page, page.locator(f"main a[href='/grants/funders/{funder.pk}/edit/']"))
    fill(page, {"contact": "Sekretariat Baznas, (0274) 868405"})
    saved(page)
    follow(page, page.locator(f"main a[href='/grants/funders/{funder.pk}/delete/']"))
    follow(page, page.get_by_role("button", name="Ya, hapus"))
    assert not Funder.objects.filter(pk=funder.pk).exists()

    follow(page, page.get_by_role("link", name="Realisasi belanja").first)
    follow(page, page.get_by_role("link", name="Jatuh tempo dan terlambat").first)
    follow(page, page.get_by_role("link", name="Laporan", exact=True).first)


def test_staff_keep_an_lks_records_and_its_mentoring(site, page):
    lks = (
        Organisation.objects.filter(
            body__slug="sleman", registrations__isnull=False, accreditations__isnull=False
        )
        .distinct()
        .order_by("name")
        .first()
    )
    mentorings = Mentoring.objects.filter(organisation=lks)
    before = mentorings.count()
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/{lks.pk}/")

    # Each record of the LKS opens for editing and saves as it was.
    for kind, record in [
        ("registrations", lks.registrations.first()),
        ("accreditations", lks.accreditations.first()),
    ]:
        follow(page, page.locator(f"main a[href='/members/{kind}/{record.pk}/edit/']"))
        saved(page)
        expect(page.locator("main h1")).to_contain_text(lks.name)
    follow(page, page.locator("main a[href^='/members/registrations/'][href$='/delete/']").first)
    follow(page, page.get_by_role("link", name="Batal"))

    # The LKS's own edit page, and those of the records left (each left as it was).
    document = LegalDocument.objects.filter(organisation__body__slug="sleman").first()
    for path in [
        f"{lks.pk}/edit/",
        f"accreditations/{lks.accreditations.first().pk}/delete/",
        f"documents/{document.pk}/edit/",
        f"documents/{document.pk}/delete/",
    ]:
        visit(page, f"{site}/members/{path}")
        follow(page, page.locator("main").get_by_role("link", name=re.compile("^(Batal|Kembali)$")))

    # A follow-up dated before the mentoring itself is refused.
    visit(page, f"{site}/members/{lks.pk}/")
    follow(page, page.locator(f"main a[href='/members/{lks.pk}/mentoring/new/']"))
    fill(page, {"date": "2025-03-12", "kind": "manajemen administrasi", "officer": "Sri Lestari"})
    fill(page, {"activities": "Menyusun buku kas umum", "follow_up_on": "2025-03-01"})
    refused(page, "follow_up_on", "sebelum")
    assert mentorings.count() == before
    fill(page, {"follow_up_on": "2025-04-12"})
    saved(page)
    mentoring = mentorings.get(activities="Menyusun buku kas umum")
    follow(page, page.locator(f"main a[href='/members/mentoring/{mentoring.pk}/edit/']"))
    saved(page)
    visit(page, f"{site}/members/mentoring/{mentoring.pk}/delete/")
    follow(page, page.get_by_role("button", name="Ya, hapus"))
    assert not mentorings.filter(pk=mentoring.pk).exists()
    # An LKS with a register behind it is not deleted: the page says so.
    follow(page, page.locator(f"main a[href='/members/{lks.pk}/delete/']"))
    expect(page.get_by_role("button", name="Ya, hapus")).to_have_count(0)
    follow(page, page.locator("main").get_by_role("link", name="Kembali"))


def test_an_official_reads_every_list_of_the_navigation(site, page):
    log_in(page, site, "pejabat-sleman")
    navigation = page.locator("nav.navbar")
    for menu, name in [
        (None, "Studi tiru"),
        (None, "Program"),
        (None, "Kegiatan"),
        (None, "Hibah"),
        (None, "Realisasi belanja"),
        (None, "Jatuh tempo dan terlambat"),
        (None, "Laporan"),
        ("Lembaga", "Profil lembaga"),
        ("Lembaga", "Pengurus"),
        ("Lembaga", "Agenda surat"),
    ]:
        if menu:
            navigation.get_by_role("button", name=menu).click()
        follow(page, navigation.get_by_role("link", name=name, exact=True))
        # Read-only: no link to change anything.
        expect(page.locator("main").get_by_role("link", name="Ubah", exact=True)).to_have_count(0)
    visit(page, f"{site}/grants/funders/")
    visit(page, f"{site}/members/applications/")
    visit(page, f"{site}/members/reviews/")

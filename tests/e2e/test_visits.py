"""A study visit in the browser, as the staff of the visiting body: record it (once
wrongly), add a delegate, a follow-up (once wrongly) and a photo (once not an image),
give the report its number and print it; then the host's staff read it."""

import re

from playwright.sync_api import expect

from lkks.models import Letter
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import fill, pdf_text, png, refused, saved
from visits.models import FollowUp, StudyVisit, VisitPhoto

HOST = "LKKS Kota Pekanbaru"
ACTION = "Menyusun standar layanan pengaduan bagi LKS anak"


def test_staff_record_a_visit_follow_it_up_and_print_its_report(site, page):
    visits_before = StudyVisit.objects.count()
    log_in(page, site, "staf-kampar")
    follow(page, page.get_by_role("link", name="Studi tiru", exact=True).first)
    follow(page, page.get_by_role("link", name="Studi tiru baru"))
    expect(page.locator("#id_visiting_body option:checked")).to_have_text("LKKS Kabupaten Kampar")

    # No host, and an end before the start: refused on both, nothing written.
    fill(page, {"date": "2025-05-20", "start_time": "13:00", "end_time": "09:00"})
    fill(page, {"place": "Kantor LKKS Kota Pekanbaru", "purpose": "Belajar layanan pengaduan"})
    refused(page, "host_body", "tuan rumah")
    expect(page.locator("#id_end_time_error")).to_contain_text("sebelum")
    assert StudyVisit.objects.count() == visits_before

    fill(page, {"host_name": HOST, "end_time": "16:00"})
    saved(page)
    expect(page.locator("main h1")).to_contain_text(HOST)
    made = StudyVisit.objects.get(host_name=HOST)
    assert made.visiting_body.slug == "kampar"

    follow(page, page.get_by_role("link", name="Tambah peserta").first)
    fill(page, {"name": "Drs. H. Syahrial", "position": "Ketua Harian LKKS Kabupaten Kampar"})
    saved(page)
    expect(page.locator("main")).to_contain_text("Drs. H. Syahrial")

    # A follow-up marked done must say what came of it.
    follow(page, page.get_by_role("link", name="Tindak lanjut baru"))
    fill(page, {"action": ACTION, "responsible": "Sekretaris LKKS", "status": "Selesai"})
    fill(page, {"due_on": "2025-08-31"})
    refused(page, "outcome", "hasil")
    assert not FollowUp.objects.filter(visit=made).exists()
    fill(page, {"status": "Direncanakan"})
    saved(page)
    expect(page.locator("main")).to_contain_text(ACTION)
    follow(page, page.locator("main").get_by_role("link", name="Ubah").last)
    expect(page.locator("#id_action")).to_have_value(ACTION)
    follow(page, page.get_by_role("link", name="Batal"))

    # A photo that is not an image is refused; a real one is kept with its thumbnail.
    follow(page, page.get_by_role("link", name="Tambah foto"))
    page.locator("#id_image").set_input_files(
        {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": b"not an image at all"}
    )
    refused(page, "image", "gambar")
    page.locator("#id_image").set_input_files(png())
    fill(page, {"caption": "Diskusi dengan pengurus LKKS Kota Pekanbaru"})
    saved(page)
    photo = VisitPhoto.objects.get(visit=made)
    assert photo.thumbnail

    # The edit and delete pages of the visit and its parts, left without a change.
    delegate = made.delegates.get()
    follow_up = made.follow_ups.get()
    for path in [
        f"{made.pk}/edit/",
        f"{made.pk}/delete/",
        f"delegates/{delegate.pk}/edit/",
        f"delegates/{delegate.pk}/delete/",
        f"follow-ups/{follow_up.pk}/delete/",
        f"photos/{photo.pk}/delete/",
    ]:
        visit(page, f"{site}/visits/{path}")
        follow(page, page.locator("main").get_by_role("link", name="Batal"))

    # The report: numbered from Kampar's letter register, then printed.
    follow(page, page.get_by_role("link", name="Laporan LKKS Kabupaten Kampar"))
    expect(page.locator(".sheet")).to_contain_text("belum bernomor")
    follow(page, page.locator("form[action$='/report/number/'] button"))
    letter = Letter.objects.get(body__slug="kampar", reference=f"visit-report:{made.pk}")
    expect(page.locator(".sheet")).to_contain_text(letter.number)
    text = pdf_text(page, page.get_by_role("link", name="Unduh PDF"))
    assert "LAPORAN HASIL STUDI TIRU" in text
    assert letter.number in text
    assert ACTION in text

    visit(page, f"{site}/letters/")
    expect(page.locator("main")).to_contain_text(letter.number)

    # The host outside the application has no side to read; Sleman's staff, host of
    # the demo's visit, read it and its report but cannot change Kampar's follow-ups.
    page.context.clear_cookies()
    log_in(page, site, "staf-sleman")
    demo_visit = StudyVisit.objects.get(host_body__slug="sleman")
    visit(page, f"{site}/visits/")
    follow(page, page.locator(f"main a[href='/visits/{demo_visit.pk}/']"))
    report_link = page.get_by_role("link", name=re.compile("^Laporan LKKS Kabupaten Sleman"))
    expect(report_link).to_be_visible()
    kampar_follow_up = demo_visit.follow_ups.filter(body__slug="kampar").first()
    visit(page, f"{site}/visits/follow-ups/{kampar_follow_up.pk}/edit/")
    expect(page.locator("main h1")).to_have_text(re.compile("Tidak diizinkan|tidak ditemukan"))
    # A visit Sleman is no side of is not found.
    visit(page, f"{site}/visits/{made.pk}/")
    expect(page.locator("main h1")).to_have_text("Halaman tidak ditemukan")

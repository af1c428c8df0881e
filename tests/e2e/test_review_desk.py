"""The staff side of the LKS portal in a browser: the verification desk, a document
check, the decision on an application and on a proposed change, and the invitation of
an LKS's person. Each form is sent once with a mistake, then right."""

import datetime

from django.core.files.base import ContentFile
from playwright.sync_api import expect

from lkks.models import User
from members.accounts import LksAccount
from members.applications import Application, ChecklistItem, application_attach, application_submit
from members.models import LegalDocument, Organisation
from members.reviews import ProfileChange, document_upload
from tests.e2e.checks import follow, visit
from tests.e2e.conftest import log_in
from tests.e2e.forms import PDF, fill, refused, saved, send


def submitted_application():
    """Al Ghifari's application of the demo, completed and submitted by its LKS user as
    the portal would (tests/e2e/test_portal.py does it in the browser)."""
    user = User.objects.get(username="lks-alghifari")
    application = Application.objects.get(organisation__name="Al Ghifari Turi")
    attached = set(application.attachments.values_list("item", flat=True))
    for item in ChecklistItem.objects.filter(kind=application.kind, active=True, required=True):
        if item.pk in attached:
            continue
        document = LegalDocument(
            organisation=application.organisation,
            kind=item.document_kind,
            issued_on=datetime.date(2025, 1, 6),
        )
        document.document.save(f"{item.document_kind}.pdf", ContentFile(PDF), save=False)
        document_upload(document=document, by=user)
        application_attach(application=application, item=item, document=document, by=user)
    return application_submit(application=application, by=user)


def test_staff_verify_the_documents_and_decide_an_application(site, page):
    application = submitted_application()
    log_in(page, site, "staf-sleman")
    visit(page, f"{site}/members/reviews/")
    desk = page.locator("main")
    expect(desk.get_by_role("link", name="Al Ghifari Turi").first).to_be_visible()

    # The application cannot be approved while its documents wait for verification.
    follow(page, page.get_by_role("link", name="Semua permohonan"))
    follow(page, page.locator(f"main a[href='/members/applications/{application.pk}/']").first)
    expect(page.locator("main h1")).to_have_text("Tanda daftar: Al Ghifari Turi")
    page.get_by_label("Setujui").check()
    refused(page, "decision", "Verifikasi dokumen", button="Putuskan")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # Refusing a document says why; then each waiting document is verified.
    visit(page, f"{site}/members/reviews/")
    follow(page, page.get_by_role("link", name="Periksa").first)
    page.get_by_label("Ditolak").check()
    refused(page, "note", "alasan", button="Simpan hasil pemeriksaan")
    waiting = LegalDocument.objects.filter(
        organisation=application.organisation,
        verification=LegalDocument.Verification.AWAITING,
    )
    count = waiting.count()
    assert count >= 2
    for _ in range(count):
        visit(page, f"{site}/members/reviews/")
        follow(page, page.get_by_role("link", name="Periksa").first)
        page.get_by_label("Terverifikasi: dokumen ini berlaku").check()
        saved(page, "Simpan hasil pemeriksaan")
        expect(page.get_by_role("alert")).to_contain_text("Sudah diperiksa")
    assert not waiting.exists()

    visit(page, f"{site}/members/applications/{application.pk}/")
    page.get_by_label("Setujui").check()
    saved(page, "Putuskan")
    expect(page.get_by_role("alert")).to_contain_text("Disetujui")
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert application.registration.organisation == application.organisation
    # Decided: no form any more, and the desk is empty of it.
    expect(page.get_by_role("button", name="Putuskan")).to_have_count(0)
    visit(page, f"{site}/members/applications/")


def test_staff_decide_a_proposed_change_and_invite_a_person(site, page):
    change = ProfileChange.objects.get(organisation__body__slug="kampar")
    organisation = change.organisation
    log_in(page, site, "staf-kampar")
    visit(page, f"{site}/members/reviews/")
    follow(page, page.get_by_role("link", name=organisation.name))

    # A refusal without its reason is refused; nothing is written.
    page.locator("#id_phone_0").check()
    page.locator("#id_secretary_1").check()
    page.locator("#id_treasurer_0").check()
    refused(page, "secretary_note", "alasan", button="Putuskan")
    organisation.refresh_from_db()
    assert organisation.phone != "0812-7654-3210"

    page.locator("#id_phone_0").check()
    page.locator("#id_secretary_1").check()
    page.locator("#id_treasurer_0").check()
    fill(page, {"secretary_note": "Nama sekretaris belum ada di akta perubahan."})
    saved(page, "Putuskan")
    expect(page.get_by_role("alert")).to_contain_text("Sudah diputuskan")
    organisation.refresh_from_db()
    assert organisation.phone == "0812-7654-3210"
    assert organisation.treasurer == "Hendra Saputra"
    assert organisation.secretary != "Nur Aisyah"

    # Invite a second person of the LKS: an email that is not one is refused.
    lks = Organisation.objects.get(pk=organisation.pk)
    visit(page, f"{site}/members/{lks.pk}/")
    follow(page, page.locator(f"main a[href='/members/{lks.pk}/accounts/new/']").first)
    fill(page, {"first_name": "Siti", "last_name": "Bendahara", "email": "siti@"})
    refused(page, "email", "email", button="Undang")
    fill(page, {"email": "siti.bendahara@example.org"})
    send(page, "Undang")
    expect(page.get_by_role("alert")).to_contain_text("siti.bendahara@example.org")
    account = LksAccount.objects.get(organisation=lks, user__email="siti.bendahara@example.org")

    # Her account on the LKS page: the invitation again, disabled, enabled.
    row = page.locator("#accounts tr").filter(has_text="siti.bendahara@example.org")
    follow(page, row.locator(f"form[action$='/accounts/{account.pk}/invite/'] button"))
    expect(page.get_by_role("alert")).to_contain_text("Siti Bendahara")
    follow(page, row.locator(f"form[action$='/accounts/{account.pk}/disable/'] button"))
    account.user.refresh_from_db()
    assert not account.user.is_active
    follow(page, row.locator(f"form[action$='/accounts/{account.pk}/enable/'] button"))
    account.user.refresh_from_db()
    assert account.user.is_active

"""The LKS portal: its own people only, each LKS apart from every other, nothing in the
register changed by it, every refusal on its field."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.applications import Application, ApplicationDocument, ChecklistItem
from members.models import LegalDocument
from members.reviews import ProfileChange, ReadinessAnswer, ReadinessItem, document_decide
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    RegistrationFactory,
    UploadedDocumentFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HOME = reverse("portal:home")
PAGES = [
    "portal:home",
    "portal:profile",
    "portal:document-list",
    "portal:document-create",
    "portal:application-list",
    "portal:application-create",
    "portal:readiness",
]


@pytest.fixture
def person(lks, lks_person):
    return lks_person(lks)


@pytest.fixture
def portal(person, client_of):
    return client_of(person)


@pytest.mark.parametrize("name", PAGES)
def test_only_the_people_of_an_lks_open_its_portal(
    name, client_of, person, staff, official, admin_user
):
    url = reverse(name)

    answers = {
        who: client_of(user).get(url).status_code
        for who, user in {
            "anonymous": None,
            "LKS": person,
            "staff": staff,
            "official": official,
            "admin": admin_user,
        }.items()
    }

    assert answers == {"anonymous": 302, "LKS": 200, "staff": 403, "official": 403, "admin": 403}


# Each LKS apart


@pytest.fixture
def neighbours(lks, sleman):
    """Another LKS of the same body and one of another body, each with an application
    and a scanned document."""
    records = {}
    for key, organisation in {
        "same body": OrganisationFactory(body=lks.body),
        "other body": OrganisationFactory(body=sleman),
    }.items():
        records[key] = {
            "application": ApplicationFactory(organisation=organisation),
            "document": UploadedDocumentFactory(organisation=organisation),
        }
    return records


def test_an_lks_guessing_another_lkss_urls_finds_nothing(portal, neighbours):
    for records in neighbours.values():
        application = reverse("portal:application-detail", args=[records["application"].pk])
        scan = reverse("portal:file", args=["legaldocument-document", records["document"].pk])

        assert portal.get(application).status_code == 404
        assert portal.post(application, {}).status_code == 404
        assert portal.get(scan).status_code == 404


def test_an_lks_downloads_its_own_files_through_the_portal_only(portal, lks):
    document = UploadedDocumentFactory(organisation=lks)
    registration = RegistrationFactory(organisation=lks)
    registration.document.save("td.pdf", SimpleUploadedFile("td.pdf", PDF))

    own = portal.get(reverse("portal:file", args=["legaldocument-document", document.pk]))
    own_registration = portal.get(
        reverse("portal:file", args=["registration-document", registration.pk])
    )
    staff_route = portal.get(reverse("file", args=["legaldocument-document", document.pk]))
    unknown = portal.get(reverse("portal:file", args=["user-avatar", document.pk]))

    assert own.status_code == 200
    assert own["Content-Type"] == "application/pdf"
    assert own_registration.status_code == 200
    assert staff_route.status_code == 404
    assert unknown.status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        reverse("members:organisation-list"),
        reverse("programs:program-list"),
        reverse("grants:grant-list"),
        reverse("due-list"),
        reverse("compare"),
        reverse("api-summary"),
        reverse("body-profile"),
        reverse("members:review-queue"),
    ],
)
def test_every_staff_page_refuses_the_people_of_an_lks(portal, url):
    assert portal.get(url).status_code in (403, 404)


def test_the_lks_reaches_not_even_its_own_record_on_the_staff_pages(portal, lks):
    assert portal.get(lks.get_absolute_url()).status_code == 404
    assert portal.get(reverse("members:organisation-update", args=[lks.pk])).status_code == 404


def test_the_admin_is_closed_to_the_people_of_an_lks(portal):
    response = portal.get(reverse("admin:index"), follow=True)

    assert response.redirect_chain[0][0].startswith(reverse("admin:login"))
    assert "Anda diautentikasi sebagai" in response.text or "authenticated as" in response.text


def test_home_sends_the_lks_to_its_portal(portal):
    response = portal.get("/")

    assert response.status_code == 302
    assert response["Location"] == HOME


# Its own page


def test_the_portal_shows_the_lks_its_state_what_ends_and_what_is_missing(portal, lks, staff):
    RegistrationFactory(
        organisation=lks,
        number="460/001/TD/2024",
        issued_on=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2029, 1, 1),
    )
    refused = UploadedDocumentFactory(organisation=lks, number="AHU-9")
    document_decide(document=refused, by=staff, verified=False, note="Cap tidak terbaca")
    UploadedDocumentFactory(organisation=lks)

    response = portal.get(HOME)

    assert response.status_code == 200
    assert "Terdaftar" in response.text
    assert "460/001/TD/2024" in response.text
    assert "1 dokumen menunggu verifikasi LKKS." in response.text
    assert "AHU-9 ditolak: unggah lagi." in response.text
    assert "Cap tidak terbaca" in response.text  # a message of the LKKS


def test_the_portal_home_takes_as_many_queries_for_many_records_as_for_few(portal, lks, staff):
    def add(count):
        for _ in range(count):
            UploadedDocumentFactory(organisation=lks, valid_until=datetime.date(2030, 1, 1))
            ApplicationFactory(organisation=lks)
        for document in LegalDocument.objects.awaiting()[:count]:
            document_decide(document=document, by=staff, verified=True)

    add(1)
    with CaptureQueriesContext(connection) as few:
        portal.get(HOME)
    add(8)
    with CaptureQueriesContext(connection) as many:
        portal.get(HOME)

    assert len(many) == len(few)


# Proposed changes


def test_a_proposal_waits_for_staff_and_changes_nothing(portal, lks):
    data = {
        "name": lks.name,
        "kind": lks.kind,
        "legal_form": lks.legal_form,
        "client_count": "30",
        "district": lks.district_id,
        "address": lks.address,
        "phone": "0812-3333-4444",
        "chairperson": lks.chairperson,
        "secretary": "Nur Aisyah",
        "note": "Rapat anggota",
    }

    response = portal.post(reverse("portal:profile"), data)
    again = portal.get(reverse("portal:profile"))

    lks.refresh_from_db()
    change = ProfileChange.objects.get()
    assert response.status_code == 302
    assert {proposed.field for proposed in change.fields.all()} == {
        "client_count",
        "phone",
        "secretary",
    }
    assert (lks.phone, lks.secretary) == ("", "")
    assert again.context["form"].initial["phone"] == "0812-3333-4444"
    assert "Menunggu diperiksa sejak" in again.text


def test_a_proposal_the_register_would_refuse_shows_on_its_field(portal, lks):
    from tests.factories import region

    response = portal.post(
        reverse("portal:profile"),
        {
            "name": lks.name,
            "kind": lks.kind,
            "legal_form": lks.legal_form,
            "client_count": "0",
            "district": lks.district_id,
            "village": region("14.01.02").children.first().pk,
            "email": "bukan-email",
        },
    )

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert errors["email"] == ["Masukkan alamat email yang valid."]
    assert errors["village"] == ["Desa/kelurahan ini tidak berada di kecamatan yang dipilih."]
    assert not ProfileChange.objects.exists()


def test_a_proposal_of_nothing_new_is_refused(portal, lks):
    response = portal.post(
        reverse("portal:profile"),
        {
            "name": lks.name,
            "kind": lks.kind,
            "legal_form": lks.legal_form,
            "client_count": lks.client_count,
            "district": lks.district_id,
            "address": lks.address,
            "chairperson": lks.chairperson,
        },
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Tidak ada yang berbeda dari register: ubah satu isian dulu."
    ]
    assert not ProfileChange.objects.exists()


# Documents


def upload(portal, **data):
    fields = {"kind": "deed", "number": "12/2019", "issued_on": "2019-03-04"}
    return portal.post(
        reverse("portal:document-create"),
        fields | {"document": SimpleUploadedFile("akta.pdf", PDF)} | data,
    )


def test_an_upload_awaits_verification_and_does_not_count(portal, lks, person):
    response = upload(portal)

    document = LegalDocument.objects.get()
    assert response.status_code == 302
    assert document.organisation == lks
    assert document.verification == LegalDocument.Verification.AWAITING
    assert document.uploaded_by_lks
    assert document.history.first().history_user == person
    assert not LegalDocument.objects.verified().exists()


def test_a_file_that_is_not_a_scan_is_refused_on_its_field(portal):
    response = upload(portal, document=SimpleUploadedFile("akta.pdf", b"bukan pdf"))

    assert response.status_code == 200
    assert response.context["form"].errors["document"] == [
        "Hanya berkas PDF atau gambar (JPEG, PNG, WebP) yang diterima."
    ]
    assert not LegalDocument.objects.exists()


def test_a_legal_paper_without_its_number_or_scan_is_refused(portal):
    no_number = upload(portal, number="")
    no_scan = portal.post(reverse("portal:document-create"), {"kind": "board"})

    assert no_number.context["form"].errors["number"] == ["Isi nomor dokumen ini."]
    assert no_scan.context["form"].errors["document"] == ["Bidang ini tidak boleh kosong."]
    assert not LegalDocument.objects.exists()


def test_after_an_upload_the_lks_goes_back_only_to_a_page_of_this_site(portal):
    inside = upload(portal, next="/portal/applications/")
    outside = upload(portal, next="https://example.com/")

    assert inside["Location"] == "/portal/applications/"
    assert outside["Location"] == reverse("portal:document-list")


# Applications


def test_an_incomplete_application_is_not_submitted_and_keeps_nothing_new(portal, lks):
    application = ApplicationFactory(organisation=lks)
    deed = ChecklistItem.objects.get(kind=application.kind, document_kind="deed")
    document = UploadedDocumentFactory(organisation=lks, kind="deed")

    response = portal.post(
        reverse("portal:application-detail", args=[application.pk]),
        {f"item_{deed.pk}": document.pk, "submit": ""},
    )

    application.refresh_from_db()
    errors = response.context["form"].errors
    assert response.status_code == 200
    assert len(errors) == 6
    assert all(value == ["Lampirkan dokumen untuk butir ini."] for value in errors.values())
    assert application.status == Application.Status.DRAFT
    assert not ApplicationDocument.objects.exists()


def test_an_lks_fills_the_checklist_and_submits(portal, lks, person, sending):
    application = ApplicationFactory(organisation=lks)
    data = {"submit": ""}
    for item in ChecklistItem.objects.filter(kind=application.kind):
        data[f"item_{item.pk}"] = UploadedDocumentFactory(
            organisation=lks, kind=item.document_kind
        ).pk

    with sending():
        response = portal.post(reverse("portal:application-detail", args=[application.pk]), data)

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Application.Status.SUBMITTED
    assert application.attachments.count() == 7
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_another_lkss_document_cannot_be_slipped_into_a_checklist(portal, lks):
    application = ApplicationFactory(organisation=lks)
    deed = ChecklistItem.objects.get(kind=application.kind, document_kind="deed")
    foreign = UploadedDocumentFactory(organisation=OrganisationFactory(body=lks.body), kind="deed")

    response = portal.post(
        reverse("portal:application-detail", args=[application.pk]),
        {f"item_{deed.pk}": foreign.pk},
    )

    assert response.status_code == 200
    assert f"item_{deed.pk}" in response.context["form"].errors
    assert not ApplicationDocument.objects.exists()


def test_a_second_open_application_of_a_kind_is_refused_on_the_kind(portal, lks):
    ApplicationFactory(organisation=lks)

    response = portal.post(reverse("portal:application-create"), {"kind": "registration"})

    assert response.status_code == 200
    assert response.context["form"].errors["kind"] == [
        "Permohonan jenis ini masih terbuka; lanjutkan yang itu."
    ]
    assert Application.objects.count() == 1


def test_a_recommendation_needs_its_purpose(portal):
    response = portal.post(reverse("portal:application-create"), {"kind": "recommendation"})

    assert response.context["form"].errors["purpose"] == ["Sebutkan untuk apa rekomendasi ini."]
    assert not Application.objects.exists()


# Readiness


def test_the_lks_gives_evidence_and_its_readiness_counts_once_verified(portal, lks, staff):
    item = ReadinessItem.objects.first()
    document = UploadedDocumentFactory(organisation=lks)

    saved = portal.post(reverse("portal:readiness"), {f"item_{item.pk}": document.pk})
    before = portal.get(reverse("portal:readiness")).context["readiness"]
    document_decide(document=document, by=staff, verified=True)
    after = portal.get(reverse("portal:readiness")).context["readiness"]

    assert saved.status_code == 302
    assert ReadinessAnswer.objects.get().document == document
    assert (before.met, after.met, after.percent) == (0, 1, 6)

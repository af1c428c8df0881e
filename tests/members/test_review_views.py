"""The staff's verification desk: the queue, checking a document, deciding a proposal
field by field, deciding an application; each as anonymous, allowed and forbidden."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.applications import Application, ChecklistItem, application_attach
from members.models import LegalDocument
from members.reviews import ProfileChange, document_decide, profile_change_propose
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    UploadedDocumentFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("members:review-queue")


@pytest.fixture
def person(lks, lks_person):
    return lks_person(lks)


def waiting_items(lks, person, count):
    """``count`` LKS of the body, each with an upload, a proposal and an application."""
    for index in range(count):
        organisation = OrganisationFactory(body=lks.body)
        UploadedDocumentFactory(organisation=organisation)
        profile_change_propose(organisation=organisation, by=person, values={"phone": str(index)})
        ApplicationFactory(
            organisation=organisation,
            status=Application.Status.SUBMITTED,
            submitted_on=datetime.date(2024, 9, 2),
            created_by=person,
        )


def test_the_queue_is_the_staffs_of_their_own_body(
    client_of, staff_client, lks, person, official, other_staff
):
    waiting_items(lks, person, 1)
    UploadedDocumentFactory(organisation=OrganisationFactory(name="LKS Sleman"))

    response = staff_client.get(QUEUE)

    assert response.status_code == 200
    assert len(response.context["documents"]) == 1
    assert len(response.context["changes"]) == 1
    assert len(response.context["applications"]) == 1
    assert "LKS Sleman" not in response.text
    assert "Menunggu lebih dari 90 hari" in response.text
    assert client_of(None).get(QUEUE).status_code == 302
    assert client_of(official).get(QUEUE).status_code == 403
    assert client_of(person).get(QUEUE).status_code == 403
    assert list(client_of(other_staff).get(QUEUE).context["documents"]) == []


def test_the_queue_takes_as_many_queries_for_many_items_as_for_one(staff_client, lks, person):
    waiting_items(lks, person, 1)
    with CaptureQueriesContext(connection) as one:
        staff_client.get(QUEUE)
    waiting_items(lks, person, 9)
    with CaptureQueriesContext(connection) as ten:
        staff_client.get(QUEUE)

    assert len(ten) == len(one)


def test_staff_verify_a_document_and_the_lks_is_told(staff_client, lks, person, sending):
    document = UploadedDocumentFactory(organisation=lks)
    url = reverse("members:document-check", args=[document.pk])

    page = staff_client.get(url)
    with sending():
        response = staff_client.post(url, {"decision": "verify", "note": ""})

    document.refresh_from_db()
    assert page.status_code == 200
    assert reverse("file", args=["legaldocument-document", document.pk]) in page.text
    assert response.status_code == 302
    assert document.verification == LegalDocument.Verification.VERIFIED
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_a_refusal_without_a_note_is_refused_on_the_note(staff_client, lks):
    document = UploadedDocumentFactory(organisation=lks)

    response = staff_client.post(
        reverse("members:document-check", args=[document.pk]), {"decision": "refuse"}
    )

    document.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["note"] == ["Sebutkan alasan dokumen ditolak."]
    assert document.verification == LegalDocument.Verification.AWAITING


def test_only_the_bodys_staff_check_its_documents(client_of, lks, official, other_staff, person):
    url = reverse("members:document-check", args=[UploadedDocumentFactory(organisation=lks).pk])

    assert client_of(official).get(url).status_code == 403
    assert client_of(other_staff).get(url).status_code == 404
    assert client_of(person).get(url).status_code == 404
    assert client_of(None).get(url).status_code == 302


def test_staff_decide_a_proposal_field_by_field(staff_client, lks, person, staff):
    change = profile_change_propose(
        organisation=lks, by=person, values={"phone": "0812-9", "chairperson": "Siti"}
    )
    url = reverse("members:change-decide", args=[change.pk])

    missing = staff_client.post(url, {"phone": "accept"})
    decided = staff_client.post(
        url, {"phone": "accept", "chairperson": "refuse", "chairperson_note": "Belum ada SK"}
    )

    lks.refresh_from_db()
    assert missing.status_code == 200
    assert missing.context["form"].errors["chairperson"] == ["Terima atau tolak perubahan ini."]
    assert decided.status_code == 302
    assert (lks.phone, lks.chairperson) == ("0812-9", "Budi Santoso")
    assert ProfileChange.objects.get().decided_by == staff
    assert "Diusulkan oleh" in staff_client.get(lks.get_absolute_url()).text


def test_another_bodys_proposal_is_not_found(client_of, lks, person, other_staff, official):
    change = profile_change_propose(organisation=lks, by=person, values={"phone": "1"})
    url = reverse("members:change-decide", args=[change.pk])

    assert client_of(other_staff).get(url).status_code == 404
    assert client_of(official).get(url).status_code == 403
    assert client_of(person).get(url).status_code == 404


def submitted(lks, person):
    application = ApplicationFactory(organisation=lks, created_by=person)
    for item in ChecklistItem.objects.filter(kind=application.kind):
        application_attach(
            application=application,
            item=item,
            document=UploadedDocumentFactory(organisation=lks, kind=item.document_kind),
            by=person,
        )
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_on=datetime.date(2025, 1, 6)
    )
    return application


def test_officials_read_an_application_and_only_staff_decide(client_of, lks, person, official):
    application = submitted(lks, person)
    url = reverse("members:application-detail", args=[application.pk])

    read = client_of(official).get(url)
    refused = client_of(official).post(url, {"decision": "approve"})

    assert read.status_code == 200
    assert read.context["can_decide"] is False
    assert refused.status_code == 403


def test_approval_before_verification_is_refused_on_the_decision(staff_client, lks, person):
    application = submitted(lks, person)

    response = staff_client.post(
        reverse("members:application-detail", args=[application.pk]), {"decision": "approve"}
    )

    application.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["decision"][0].startswith("Verifikasi dokumennya dulu")
    assert application.status == Application.Status.SUBMITTED


def test_staff_approve_once_the_documents_are_verified(staff_client, lks, person, staff):
    application = submitted(lks, person)
    for attachment in application.attachments.all():
        document_decide(document=attachment.document, by=staff, verified=True)

    response = staff_client.post(
        reverse("members:application-detail", args=[application.pk]),
        {"decision": "approve", "note": ""},
    )

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == Application.Status.APPROVED
    assert application.registration.submitted_on == timezone.localdate()


def test_the_application_list_flags_what_waits_too_long(staff_client, lks, person):
    application = submitted(lks, person)
    Application.objects.filter(pk=application.pk).update(submitted_on=datetime.date(2024, 9, 2))

    response = staff_client.get(reverse("members:application-list"))

    assert response.status_code == 200
    assert list(response.context["in_queue"]) == [application]
    assert "menunggu terlalu lama" in response.text


def test_the_lks_page_shows_readiness_and_the_verification_log(staff_client, lks, staff):
    document = UploadedDocumentFactory(organisation=lks, number="AHU-77")
    document_decide(document=document, by=staff, verified=False, note="Tidak terbaca")

    response = staff_client.get(lks.get_absolute_url())

    assert response.status_code == 200
    assert "Catatan verifikasi" in response.text
    assert "Tidak terbaca" in response.text
    assert "Kesiapan akreditasi" in response.text
    assert response.context["lks_readiness"].total == 16

"""An LKS's applications: a checklist to fill, a submission only when complete, and the
staff's decision, each step emailed."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from members.applications import (
    Application,
    ApplicationDocument,
    ChecklistItem,
    application_approve,
    application_attach,
    application_refuse,
    application_return,
    application_start,
    application_submit,
    checklist,
    waiting_too_long,
)
from members.models import LegalDocument, Organisation, Recommendation, Registration
from members.reviews import document_decide
from tests.factories import (
    OrganisationFactory,
    RegistrationFactory,
    UploadedDocumentFactory,
)

pytestmark = pytest.mark.django_db

Kind = Application.Kind
Status = Application.Status


@pytest.fixture
def person(lks, lks_person):
    return lks_person(lks)


def items(kind=Kind.REGISTRATION):
    return list(ChecklistItem.objects.filter(kind=kind, active=True))


def complete(application, person, *, verified_by=None):
    """A document for every item of the checklist (verified when ``verified_by``)."""
    for item in items(application.kind):
        document = UploadedDocumentFactory(
            organisation=application.organisation, kind=item.document_kind, number="1/2024"
        )
        if verified_by:
            document_decide(document=document, by=verified_by, verified=True)
        application_attach(application=application, item=item, document=document, by=person)


def test_the_default_checklists_ask_for_the_seven_papers_of_the_regional_sops():
    names = [item.name for item in items()]

    assert len(names) == 7
    assert names[0] == "Akta pendirian"
    assert [item.document_kind for item in items(Kind.RECOMMENDATION)] == [
        "deed",
        "kemenkumham",
        "npwp",
        "domicile",
        "board",
        "work_program",
        "activity_report",
    ]


def test_one_open_application_of_a_kind_at_a_time(lks, person):
    application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)

    with pytest.raises(ValidationError) as refused:
        application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)

    assert refused.value.message_dict == {
        "kind": ["Permohonan jenis ini masih terbuka; lanjutkan yang itu."]
    }
    assert application_start(organisation=lks, kind=Kind.RECOMMENDATION, purpose="Hibah", by=person)


def test_a_recommendation_says_what_it_is_for(lks, person):
    with pytest.raises(ValidationError) as refused:
        application_start(organisation=lks, kind=Kind.RECOMMENDATION, purpose=" ", by=person)

    assert refused.value.message_dict == {"purpose": ["Sebutkan untuk apa rekomendasi ini."]}
    assert not Application.objects.exists()


def test_only_own_documents_of_the_items_kind_and_not_refused_are_attached(lks, person, staff):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    deed_item = items()[0]
    field = f"item_{deed_item.pk}"
    others = UploadedDocumentFactory(organisation=OrganisationFactory(body=lks.body), kind="deed")
    wrong_kind = UploadedDocumentFactory(organisation=lks, kind="npwp")
    refused_deed = UploadedDocumentFactory(organisation=lks, kind="deed")
    document_decide(document=refused_deed, by=staff, verified=False, note="Tidak terbaca")

    errors = []
    for document in (others, wrong_kind, refused_deed):
        with pytest.raises(ValidationError) as refused:
            application_attach(
                application=application, item=deed_item, document=document, by=person
            )
        errors.append(refused.value.message_dict[field][0])

    assert errors == [
        "Pilih salah satu dokumen Anda sendiri.",
        "Butir ini memerlukan dokumen jenis akta pendirian.",
        "Dokumen ini ditolak; unggah dokumen yang baru.",
    ]
    assert not ApplicationDocument.objects.exists()


def test_an_application_is_submitted_only_with_every_required_document(lks, person, sending):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    first, *rest = items()
    application_attach(
        application=application,
        item=first,
        document=UploadedDocumentFactory(organisation=lks, kind=first.document_kind),
        by=person,
    )

    with sending(), pytest.raises(ValidationError) as refused:
        application_submit(application=application, by=person)

    application.refresh_from_db()
    assert set(refused.value.message_dict) == {f"item_{item.pk}" for item in rest}
    assert refused.value.message_dict[f"item_{rest[0].pk}"] == [
        "Lampirkan dokumen untuk butir ini."
    ]
    assert application.status == Status.DRAFT
    assert mail.outbox == []


def test_an_optional_item_may_stay_empty(lks, person):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    *required, optional = items()
    ChecklistItem.objects.filter(pk=optional.pk).update(required=False)
    for item in required:
        application_attach(
            application=application,
            item=item,
            document=UploadedDocumentFactory(organisation=lks, kind=item.document_kind),
            by=person,
        )

    application_submit(application=application, by=person, on=datetime.date(2025, 2, 3))

    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_on == datetime.date(2025, 2, 3)


def test_the_lks_is_emailed_at_each_step(lks, person, staff, sending):
    lks.email = "lks@example.org"
    lks.save()
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person)

    with sending():
        application_submit(application=application, by=person)
        application_return(application=application, by=staff, note="Akta kurang halaman 3")
        application_submit(application=application, by=person)
        application_refuse(application=application, by=staff, note="Bukan LKS di wilayah ini")

    sent = mail.outbox

    assert [message.subject.split(":")[0] for message in sent] == [
        "Permohonan diterima",
        "Permohonan dikembalikan untuk diperbaiki",
        "Permohonan diterima",
        "Permohonan ditolak",
    ]
    assert all(sorted(message.to) == sorted([person.email, "lks@example.org"]) for message in sent)
    assert "Akta kurang halaman 3" in sent[1].body
    assert "Bukan LKS di wilayah ini" in sent[3].body


def test_returning_and_refusing_need_a_note(lks, person, staff):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person)
    application_submit(application=application, by=person)

    with pytest.raises(ValidationError) as not_returned:
        application_return(application=application, by=staff, note="")
    with pytest.raises(ValidationError) as not_refused:
        application_refuse(application=application, by=staff, note="")

    application.refresh_from_db()
    assert not_returned.value.message_dict == {"note": ["Sebutkan apa yang harus diubah LKS."]}
    assert not_refused.value.message_dict == {"note": ["Sebutkan alasan penolakannya."]}
    assert application.status == Status.SUBMITTED


def test_approval_waits_for_every_document_to_be_verified(lks, person, staff):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person)
    application_submit(application=application, by=person)

    with pytest.raises(ValidationError) as refused:
        application_approve(application=application, by=staff)

    application.refresh_from_db()
    assert refused.value.message_dict["decision"][0].startswith(
        "Verifikasi dokumennya dulu: Akta pendirian, "
    )
    assert application.status == Status.SUBMITTED
    assert not Registration.objects.exists()


def test_an_approved_registration_puts_the_lks_in_process(lks, person, staff, sending):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person, verified_by=staff)
    application_submit(application=application, by=person, on=datetime.date(2025, 1, 6))

    with sending():
        application_approve(application=application, by=staff, on=datetime.date(2025, 1, 20))

    application.refresh_from_db()
    registration = application.registration
    assert application.status == Status.APPROVED
    assert registration.status == Registration.Status.SUBMITTED
    assert registration.submitted_on == datetime.date(2025, 1, 20)
    assert "6 Januari 2025" in registration.notes
    assert registration.history.first().history_user == staff
    status = (
        Organisation.objects.filter(pk=lks.pk)
        .with_status(on=datetime.date(2025, 1, 21))
        .get()
        .registration_status
    )
    assert status == "in_process"
    assert mail.outbox[-1].subject.startswith("Permohonan disetujui")


def test_a_renewal_is_recorded_as_one(lks, person, staff):
    RegistrationFactory(organisation=lks)
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person, verified_by=staff)
    application_submit(application=application, by=person)

    application_approve(application=application, by=staff)

    application.refresh_from_db()
    assert application.registration.is_renewal


def test_an_approved_recommendation_is_issued_with_a_register_number(lks, person, staff, sending):
    application = application_start(
        organisation=lks, kind=Kind.RECOMMENDATION, purpose="mengajukan hibah", by=person
    )
    complete(application, person, verified_by=staff)
    application_submit(application=application, by=person)

    with sending():
        application_approve(application=application, by=staff, note="Silakan ambil di sekretariat")

    application.refresh_from_db()
    recommendation = application.recommendation
    assert Recommendation.objects.get() == recommendation
    assert recommendation.purpose == "mengajukan hibah"
    assert recommendation.number.startswith("001/")
    assert recommendation.number in mail.outbox[-1].body
    assert "Silakan ambil di sekretariat" in mail.outbox[-1].body


def test_a_decided_application_is_not_decided_again(lks, person, staff):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    complete(application, person)
    application_submit(application=application, by=person)
    application_refuse(application=application, by=staff, note="Tidak lengkap")

    with pytest.raises(ValidationError) as refused:
        application_return(application=application, by=staff, note="Lagi")
    with pytest.raises(ValidationError) as closed:
        application_attach(application=application, item=items()[0], document=None, by=person)

    assert refused.value.message_dict == {
        "decision": ["Permohonan ini tidak sedang menunggu keputusan."]
    }
    assert list(closed.value.message_dict.values()) == [["Permohonan ini tidak dapat diubah lagi."]]


def test_the_checklist_shows_each_items_document_and_state(lks, person, staff):
    application = application_start(organisation=lks, kind=Kind.REGISTRATION, by=person)
    deed, decree, *_ = items()
    verified = UploadedDocumentFactory(organisation=lks, kind=deed.document_kind)
    document_decide(document=verified, by=staff, verified=True)
    application_attach(application=application, item=deed, document=verified, by=person)
    application_attach(
        application=application,
        item=decree,
        document=UploadedDocumentFactory(organisation=lks, kind=decree.document_kind),
        by=person,
    )

    rows = checklist(application)

    assert [row.state for row in rows] == ["verified", "awaiting"] + ["missing"] * 5
    assert [row.is_missing for row in rows] == [False, False] + [True] * 5


# Waiting too long


def submitted_registration(lks, on):
    return RegistrationFactory(
        organisation=lks,
        status=Registration.Status.SUBMITTED,
        number="",
        issued_on=None,
        valid_until=None,
        submitted_on=on,
    )


def test_what_waits_longer_than_the_body_allows_waits_too_long(kampar, make_lks, person):
    today = datetime.date(2025, 1, 1)
    submitted_registration(make_lks(name="Lama"), today - datetime.timedelta(days=91))
    submitted_registration(make_lks(name="Pas"), today - datetime.timedelta(days=90))
    applied = make_lks(name="Portal")
    Application.objects.create(
        organisation=applied,
        kind=Kind.RECOMMENDATION,
        purpose="Hibah",
        status=Status.SUBMITTED,
        submitted_on=today - datetime.timedelta(days=120),
        created_by=person,
    )
    Application.objects.create(
        organisation=applied,
        kind=Kind.REGISTRATION,
        status=Status.REVISION,  # back with the LKS: its clock stopped
        submitted_on=today - datetime.timedelta(days=200),
        created_by=person,
    )

    rows = waiting_too_long(kampar, today)

    assert [(row.organisation_name, row.days, row.application_id is None) for row in rows] == [
        ("Portal", 120, False),
        ("Lama", 91, True),
    ]
    assert rows[1].too_long_since == datetime.date(2025, 1, 1)


def test_the_body_sets_how_long_an_application_may_wait(kampar, make_lks):
    today = datetime.date(2025, 1, 1)
    submitted_registration(make_lks(name="Lama"), today - datetime.timedelta(days=40))
    kampar.application_wait_days = 30
    kampar.save()

    assert [row.organisation_name for row in waiting_too_long(kampar, today)] == ["Lama"]


def test_an_lks_registered_since_waits_no_more(kampar, make_lks):
    lks = make_lks(name="Sudah")
    submitted_registration(lks, datetime.date(2024, 1, 2))
    RegistrationFactory(organisation=lks, issued_on=datetime.date(2024, 6, 1))

    assert waiting_too_long(kampar, datetime.date(2025, 1, 1)) == []


def test_unverified_documents_do_not_count_as_valid(lks):
    UploadedDocumentFactory(organisation=lks, kind="deed")

    assert not LegalDocument.objects.verified().exists()

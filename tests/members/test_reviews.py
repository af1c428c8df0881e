"""What staff review of an LKS's portal: its uploads, its proposed changes, and its
readiness for accreditation."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from members.models import LegalDocument, Organisation
from members.reviews import (
    ProfileChange,
    ProposedChange,
    ReadinessItem,
    document_decide,
    profile_change_decide,
    profile_change_propose,
    readiness,
    readiness_answer,
    verification_log,
)
from tests.factories import (
    LegalDocumentFactory,
    OrganisationFactory,
    UploadedDocumentFactory,
    region,
)

pytestmark = pytest.mark.django_db

Verification = LegalDocument.Verification


@pytest.fixture
def person(lks, lks_person):
    return lks_person(lks, user__first_name="Rina", user__last_name="Pengurus")


# Documents and their verification


def test_a_verified_document_counts_and_its_lks_is_told(lks, person, staff, sending):
    lks.email = "lks@example.org"
    lks.save()
    document = UploadedDocumentFactory(organisation=lks, number="12/2019")

    with sending():
        document_decide(document=document, by=staff, verified=True)

    document.refresh_from_db()
    assert document.verification == Verification.VERIFIED
    assert document.verified_by == staff
    assert list(LegalDocument.objects.verified().filter(pk=document.pk)) == [document]
    [message] = mail.outbox
    assert sorted(message.to) == sorted([person.email, "lks@example.org"])
    assert "sudah memverifikasi dokumen Anda" in message.body
    assert "/portal/" in message.body


def test_a_refusal_needs_a_note_and_writes_nothing_without_it(lks, staff, sending):
    document = UploadedDocumentFactory(organisation=lks)

    with sending(), pytest.raises(ValidationError) as refused:
        document_decide(document=document, by=staff, verified=False, note="  ")

    document.refresh_from_db()
    assert refused.value.message_dict == {"note": ["Sebutkan alasan dokumen ditolak."]}
    assert document.verification == Verification.AWAITING
    assert mail.outbox == []


def test_a_document_is_checked_once(lks, staff):
    document = UploadedDocumentFactory(organisation=lks)
    document_decide(document=document, by=staff, verified=False, note="Tidak terbaca")

    with pytest.raises(ValidationError) as refused:
        document_decide(document=document, by=staff, verified=True)

    document.refresh_from_db()
    assert refused.value.message_dict == {"decision": ["Dokumen ini sudah diperiksa."]}
    assert document.verification == Verification.REFUSED


def test_the_verification_log_names_who_checked_what_when_and_the_outcome(lks, staff):
    kept = UploadedDocumentFactory(organisation=lks, number="AHU-1")
    gone = UploadedDocumentFactory(organisation=lks, number="SALAH-1")
    document_decide(document=kept, by=staff, verified=True)
    document_decide(document=gone, by=staff, verified=False, note="Bukan milik LKS ini")
    kept.issuer = "Kemenkumham"  # a later correction repeats no check
    kept.save()
    gone.delete()  # its check stays in the log
    UploadedDocumentFactory(organisation=lks)  # awaiting: not checked yet
    LegalDocumentFactory(organisation=OrganisationFactory(body=lks.body))  # another LKS

    log = verification_log(lks)

    assert [(check.outcome, check.note) for check in log] == [
        ("refused", "Bukan milik LKS ini"),
        ("verified", ""),
    ]
    assert log[0].document.endswith("SALAH-1")
    assert log[1].document.endswith("AHU-1")
    assert {check.who for check in log} == {staff.get_full_name()}


def test_a_legal_paper_needs_its_number_and_a_board_list_does_not(lks):
    with pytest.raises(ValidationError) as refused:
        LegalDocument(organisation=lks, kind=LegalDocument.Kind.DEED).full_clean()

    LegalDocument(organisation=lks, kind=LegalDocument.Kind.BOARD).full_clean()
    assert refused.value.message_dict == {"number": ["Isi nomor dokumen ini."]}


# Proposed changes


def test_a_proposal_keeps_only_what_differs_and_changes_nothing_yet(lks, person):
    change = profile_change_propose(
        organisation=lks,
        by=person,
        values={"name": lks.name, "phone": "0812-1111-2222", "chairperson": "Siti Aminah"},
        note="Rapat anggota 2025",
    )

    lks.refresh_from_db()
    assert {proposed.field: proposed.value for proposed in change.fields.all()} == {
        "phone": "0812-1111-2222",
        "chairperson": "Siti Aminah",
    }
    assert lks.phone == ""
    assert lks.chairperson == "Budi Santoso"


def test_a_proposal_of_nothing_new_is_refused(lks, person):
    with pytest.raises(ValidationError) as refused:
        profile_change_propose(organisation=lks, by=person, values={"name": lks.name})

    assert refused.value.messages == ["Tidak ada yang berbeda dari register: ubah satu isian dulu."]
    assert not ProfileChange.objects.exists()


def test_a_proposal_the_register_would_refuse_is_refused_on_its_field(lks, person):
    elsewhere = region("14.01.02").children.first()  # a village of another kecamatan

    with pytest.raises(ValidationError) as refused:
        profile_change_propose(organisation=lks, by=person, values={"village": elsewhere})

    assert refused.value.message_dict == {
        "village": ["Desa/kelurahan ini tidak berada di kecamatan yang dipilih."]
    }
    assert not ProfileChange.objects.exists()


def test_proposing_again_replaces_what_waits(lks, person):
    first = profile_change_propose(
        organisation=lks, by=person, values={"phone": "1", "chairperson": "A"}
    )

    second = profile_change_propose(organisation=lks, by=person, values={"phone": "2"})

    assert second.pk == first.pk
    assert {(p.field, p.value) for p in second.fields.all()} == {("phone", "2")}
    assert ProfileChange.objects.pending().count() == 1


def test_staff_decide_each_field_and_the_history_names_both(lks, person, staff, sending):
    change = profile_change_propose(
        organisation=lks,
        by=person,
        values={"phone": "0812-1111-2222", "chairperson": "Siti Aminah", "client_count": 40},
    )

    with sending():
        profile_change_decide(
            change=change,
            by=staff,
            decisions={
                "phone": (True, ""),
                "client_count": (True, ""),
                "chairperson": (False, "SK pengurus baru belum dilampirkan"),
            },
        )

    lks.refresh_from_db()
    change.refresh_from_db()
    latest = lks.history.first()
    assert (lks.phone, lks.client_count, lks.chairperson) == ("0812-1111-2222", 40, "Budi Santoso")
    assert change.status == ProfileChange.Status.DECIDED
    assert change.decided_by == staff
    assert latest.history_user == staff
    assert latest.history_change_reason == "Diusulkan oleh Rina Pengurus di portal LKS"
    [message] = mail.outbox
    assert "SK pengurus baru belum dilampirkan" in message.body
    assert person.email in message.to


def test_every_field_needs_a_decision_and_a_refusal_its_note(lks, person, staff):
    change = profile_change_propose(
        organisation=lks, by=person, values={"phone": "1", "chairperson": "A"}
    )

    with pytest.raises(ValidationError) as refused:
        profile_change_decide(change=change, by=staff, decisions={"chairperson": (False, "")})

    lks.refresh_from_db()
    assert refused.value.message_dict == {
        "phone": ["Terima atau tolak perubahan ini."],
        "chairperson_note": ["Sebutkan alasan perubahan ini ditolak."],
    }
    assert lks.phone == ""
    assert ProfileChange.objects.get().status == ProfileChange.Status.PENDING


def test_accepted_values_the_register_no_longer_takes_write_nothing(lks, person, staff):
    """The district changed since the proposal: its village no longer fits."""
    village = lks.district.children.first()
    change = profile_change_propose(organisation=lks, by=person, values={"village": village})
    Organisation.objects.filter(pk=lks.pk).update(district=region("14.01.02"))

    with pytest.raises(ValidationError) as refused:
        profile_change_decide(change=change, by=staff, decisions={"village": (True, "")})

    lks.refresh_from_db()
    assert "village" in refused.value.message_dict
    assert lks.village is None
    assert ProposedChange.objects.get().decision == ""


def test_target_groups_are_proposed_and_accepted(lks, person, staff):
    from members.models import TargetGroup

    groups = list(TargetGroup.objects.order_by("pk")[:2])
    change = profile_change_propose(organisation=lks, by=person, values={"target_groups": groups})

    profile_change_decide(change=change, by=staff, decisions={"target_groups": (True, "")})

    assert set(lks.target_groups.all()) == set(groups)


# Readiness for accreditation


def test_readiness_counts_only_items_with_verified_evidence(lks, person, staff):
    items = list(ReadinessItem.objects.filter(active=True))
    verified = UploadedDocumentFactory(organisation=lks)
    awaiting = UploadedDocumentFactory(organisation=lks)
    readiness_answer(organisation=lks, item=items[0], document=verified, by=person)
    readiness_answer(organisation=lks, item=items[1], document=awaiting, by=person)
    document_decide(document=verified, by=staff, verified=True)

    state = readiness(lks)

    assert state.total == len(items) == 16
    assert state.met == 1
    assert state.percent == round(100 / 16)
    assert [row.state for row in state.rows[:2]] == ["verified", "awaiting"]
    assert len(state.missing) == 15


def test_evidence_must_be_the_lks_own_and_not_refused(lks, person, staff):
    item = ReadinessItem.objects.first()
    other = UploadedDocumentFactory(organisation=OrganisationFactory(body=lks.body))
    refused_document = UploadedDocumentFactory(organisation=lks)
    document_decide(document=refused_document, by=staff, verified=False, note="Kabur")

    with pytest.raises(ValidationError) as not_own:
        readiness_answer(organisation=lks, item=item, document=other, by=person)
    with pytest.raises(ValidationError) as refused:
        readiness_answer(organisation=lks, item=item, document=refused_document, by=person)

    assert not_own.value.message_dict == {"document": ["Pilih salah satu dokumen Anda sendiri."]}
    assert refused.value.message_dict == {
        "document": ["Dokumen ini ditolak; unggah dokumen yang baru."]
    }
    assert readiness(lks).met == 0


def test_documents_staff_enter_are_verified_and_awaiting_ones_never_count(lks):
    entered = LegalDocumentFactory(organisation=lks, valid_until=datetime.date(2025, 3, 1))
    UploadedDocumentFactory(organisation=lks, valid_until=datetime.date(2025, 3, 1))

    expiring = LegalDocument.objects.current_expiring(
        datetime.date(2025, 1, 1), datetime.date(2025, 3, 31)
    )

    assert entered.verification == Verification.VERIFIED
    assert list(expiring) == [entered]

"""What the groups and free-text columns of a register become: registrations with their
issuer, legal documents of their kind, accreditations from "Akreditasi C", the address
from its parts, kinds and target groups from the services; and that importing such a
file keeps every promise of the import (all or nothing, no duplicates, no history
twice)."""

import datetime

import pytest

from members.imports import import_commit
from members.models import (
    Accreditation,
    LegalDocument,
    Organisation,
    Registration,
    RegistrationStatus,
    TargetGroup,
)
from tests.factories import RegistrationFactory, region
from tests.members.registers import (
    FIRST_ROW,
    GROUPS,
    HARAPAN,
    SEHAT,
    SINGGAH,
    register_workbook,
)
from tests.members.test_import import (
    BANGKINANG,
    csv_bytes,
    english,  # noqa: F401 (autouse: messages are compared in English)
    messages_of,
    preview,
)

pytestmark = pytest.mark.django_db


def commit(body, content):
    return import_commit(body=body, content=content)


def counts():
    return tuple(
        model.objects.count()
        for model in (Organisation, Registration, Accreditation, LegalDocument)
    ) + tuple(
        model.history.count()
        for model in (Organisation, Registration, Accreditation, LegalDocument)
    )


def test_a_register_with_groups_creates_its_lks_and_their_records(kampar):
    plan = commit(kampar, register_workbook())
    assert plan.written, plan.errors
    harapan = Organisation.objects.get(name="Panti Asuhan Harapan")
    assert (harapan.address, harapan.village.name, harapan.district.code) == (
        "Jl. Melati 3, RT 002/RW 005",
        "Kumantan",
        BANGKINANG,
    )
    registration = harapan.registrations.get()
    assert (
        registration.status,
        registration.number,
        registration.issued_on,
        registration.valid_until,
        registration.issuer,
    ) == (
        Registration.Status.REGISTERED,
        "460/0001/TD/2024",
        datetime.date(2024, 1, 15),
        datetime.date(2029, 1, 15),
        "Dinas Sosial Kab. Kampar",
    )
    domicile = harapan.documents.get()
    assert (domicile.kind, domicile.number, domicile.valid_until, domicile.issuer) == (
        LegalDocument.Kind.DOMICILE,
        "470/12/DOM/2023",
        datetime.date(2030, 12, 31),
        "Kecamatan Bangkinang Kota",
    )
    accreditation = harapan.accreditations.get()
    assert (accreditation.grade, accreditation.accredited_on, accreditation.valid_until) == (
        "C",
        datetime.date(2024, 3, 1),
        datetime.date(2026, 3, 1),
    )
    assert harapan.documents.get().history.count() == 1


def test_a_registration_past_its_validity_is_recorded_and_the_lks_is_expired(kampar):
    plan = commit(kampar, register_workbook())
    singgah = Organisation.objects.with_status().get(name="Yayasan Rumah Singgah Bunda")
    assert singgah.registration_status == RegistrationStatus.EXPIRED
    assert "The registration has expired." in plan.rows[1].notices


def test_ada_or_tidak_ada_without_a_number_records_nothing(kampar):
    commit(kampar, register_workbook())
    assert not LegalDocument.objects.filter(kind=LegalDocument.Kind.BUSINESS_NUMBER).exists()
    sehat = Organisation.objects.get(name="LKS Napza Sehat")
    assert (sehat.registrations.count(), sehat.accreditations.count()) == (0, 0)


def test_belum_records_no_accreditation(kampar):
    commit(kampar, register_workbook())
    assert Accreditation.objects.get().organisation.name == "Panti Asuhan Harapan"


def test_services_give_the_kind_and_target_groups(kampar):
    plan = commit(kampar, register_workbook())
    sehat = Organisation.objects.get(name="LKS Napza Sehat")
    assert sehat.kind == Organisation.Kind.NAPZA
    assert list(sehat.target_groups.values_list("code", flat=True)) == ["korban-napza"]
    harapan = Organisation.objects.get(name="Panti Asuhan Harapan")
    # Children and the elderly: two kinds, so none of them; the elderly are a group.
    assert harapan.kind == Organisation.Kind.OTHER
    assert list(harapan.target_groups.values_list("code", flat=True)) == ["lanjut-usia-terlantar"]
    assert {key: (word.word, word.rows) for key, word in plan.unknown_words.items()} == {
        "rumah singgah": ("Rumah Singgah", [FIRST_ROW + 1])
    }


def test_the_preview_says_what_each_row_creates_by_record_kind(kampar):
    plan = preview(kampar, register_workbook())
    assert plan.rows[0].changes == [
        "New LKS",
        "New registration 460/0001/TD/2024",
        "New accreditation C",
        "New legal document: domicile letter (surat domisili) 470/12/DOM/2023",
        "Target groups added: Lanjut usia terlantar",
    ]
    assert plan.record_counts() == [
        ("LKS", 3, 0),
        ("registrations (tanda daftar)", 2, 0),
        ("accreditations", 1, 0),
        ("legal documents", 1, 0),
        ("target groups", 2, 0),
    ]
    assert Organisation.objects.count() == 0


def test_importing_the_register_twice_changes_nothing_the_second_time(kampar):
    content = register_workbook()
    assert commit(kampar, content).written
    before = counts()
    plan = commit(kampar, content)
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 3, "invalid": 0}
    assert plan.record_counts() == []
    assert counts() == before


def test_a_document_and_a_registration_are_corrected_not_added(kampar, make_lks):
    lks = make_lks(name="Panti Asuhan Harapan", district=region(BANGKINANG))
    RegistrationFactory(
        organisation=lks,
        number="460/0001/TD/2024",
        issued_on=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2029, 1, 15),
        issuer="",
    )
    LegalDocument.objects.create(organisation=lks, kind="domicile", number="470/12/dom/2023")
    plan = commit(kampar, register_workbook([HARAPAN]))
    assert plan.written
    assert "Registration 460/0001/TD/2024 corrected" in plan.rows[0].changes
    assert "Legal document corrected: domicile letter (surat domisili) 470/12/DOM/2023" in (
        plan.rows[0].changes
    )
    assert lks.registrations.get().issuer == "Dinas Sosial Kab. Kampar"
    document = lks.documents.get()
    assert (document.number, document.issuer) == ("470/12/dom/2023", "Kecamatan Bangkinang Kota")


def test_target_groups_are_added_never_removed(kampar, make_lks):
    lks = make_lks(name="LKS Napza Sehat", district=region(BANGKINANG))
    lks.target_groups.add(TargetGroup.objects.get(code="gelandangan"))
    commit(kampar, register_workbook([SEHAT]))
    assert set(lks.target_groups.values_list("code", flat=True)) == {
        "gelandangan",
        "korban-napza",
    }


def test_a_broken_document_row_writes_nothing_at_all(kampar):
    broken = SINGGAH | {
        "SURAT KETERANGAN DOMISILI · Berlaku Sampai": "31/12/2030",
        "NIB · Status (Ada/Tidak Ada)": "mungkin",
    }
    content = register_workbook([HARAPAN, broken, SEHAT])
    before = counts()
    plan = commit(kampar, content)
    assert not plan.written
    assert messages_of(plan) == [
        (
            FIRST_ROW + 1,
            "NIB · Status (Ada/Tidak Ada)",
            "“mungkin” is not a status. Write Ada or Tidak Ada.",
        ),
    ]
    plan = commit(kampar, register_workbook([broken | {"NIB · Status (Ada/Tidak Ada)": ""}]))
    assert messages_of(plan) == [
        (
            FIRST_ROW,
            "SURAT KETERANGAN DOMISILI · Nomor",
            "Give the number of this document: without it, it cannot be recorded.",
        ),
    ]
    assert counts() == before


def test_tidak_ada_with_a_number_is_an_error_on_the_status(kampar):
    groups = [*GROUPS[:2], GROUPS[2], ("NIB", ["Nomor", "Status"])]
    row = {
        "Nama LKS": "Panti A",
        "ALAMAT · Kecamatan": "Kampar",
        "NIB · Nomor": "9120001234567",
        "NIB · Status": "Tidak Ada",
    }
    plan = preview(kampar, register_workbook([row], groups=groups))
    assert messages_of(plan) == [
        (
            FIRST_ROW,
            "NIB · Status",
            "The status says there is no such document, but its number is given.",
        )
    ]
    row["NIB · Status"] = "Ada"
    plan = commit(kampar, register_workbook([row], groups=groups))
    assert LegalDocument.objects.get().kind == LegalDocument.Kind.BUSINESS_NUMBER


def test_ada_in_the_registration_status_with_a_number_is_registered(kampar):
    content = csv_bytes(
        [["Panti A", "Kampar", "Ada", "460/9", "01/02/2024", "01/02/2029"]],
        header=[
            "Nama LKS",
            "Kecamatan",
            "Status Tanda Daftar",
            "No. Tanda Daftar",
            "Tanggal Terbit",
            "Berlaku Sampai",
        ],
    )
    assert commit(kampar, content).written
    assert Registration.objects.get().status == Registration.Status.REGISTERED


def test_an_accreditation_group_with_its_own_end_date_keeps_it(kampar):
    groups = [*GROUPS[:3], ("AKREDITASI", ["Nilai", "Tanggal", "Berlaku Sampai", "No. Sertifikat"])]
    row = {
        "Nama LKS": "Panti A",
        "ALAMAT · Kecamatan": "Kampar",
        "AKREDITASI · Nilai": "Akreditasi B",
        "AKREDITASI · Tanggal": "01/03/2024",
        "AKREDITASI · Berlaku Sampai": "01/03/2028",
        "AKREDITASI · No. Sertifikat": "BALKS/123",
    }
    assert commit(kampar, register_workbook([row], groups=groups)).written
    accreditation = Accreditation.objects.get()
    assert (accreditation.grade, accreditation.valid_until, accreditation.certificate_number) == (
        "B",
        datetime.date(2028, 3, 1),
        "BALKS/123",
    )

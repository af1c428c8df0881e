"""The import of the LKS register from XLSX and CSV: reading files as people save them,
matching the register, refusing broken files whole, and the upload/preview/confirm
pages."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from members import imports
from members.models import Accreditation, Organisation, Registration
from tests.factories import (
    AccreditationFactory,
    OrganisationFactory,
    RegistrationFactory,
    region,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """Messages are compared with their English msgids, whatever the translation."""
    with translation.override("en"):
        yield


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


TODAY = timezone.localdate()
HEADER = imports.HEADERS
BANGKINANG = "14.01.01"  # Bangkinang Kota, the first kecamatan of Kampar
KAMPAR_DISTRICT = "14.01.02"  # kecamatan Kampar, in Kampar


def row(**values):
    """A row of the template's columns, given by key (``name``, ``district``, …)."""
    keys = [column.key for column in imports.COLUMNS]
    unknown = set(values) - set(keys)
    assert not unknown, unknown
    return [values.get(key, "") for key in keys]


def csv_bytes(rows, *, header=HEADER, delimiter=",", encoding="utf-8"):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def registered_row(number="460/0001/TD/2024", **values):
    return row(
        **{
            "name": "Panti Asuhan Harapan",
            "kind": "LKSA",
            "district": "Bangkinang Kota",
            "number": number,
            "issued_on": "15/01/2024",
            "valid_until": "15/01/2029",
            "status": "Terdaftar",
        }
        | values
    )


def preview(body, content):
    return imports.import_preview(body=body, content=content)


def commit(body, content):
    return imports.import_commit(body=body, content=content)


def messages_of(plan):
    return [(error.row, error.column, error.message) for error in plan.errors]


def history_counts():
    return (
        Organisation.history.count(),
        Registration.history.count(),
        Accreditation.history.count(),
    )


def register_counts():
    return (
        Organisation.objects.count(),
        Registration.objects.count(),
        Accreditation.objects.count(),
    )


# Files that cannot be imported at all


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf  \r\n", "The file is empty."),
        (b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n", "not a spreadsheet"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a spreadsheet"),
        (b"\x00\x01\x02binary\x00", "not a spreadsheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "(.xls)"),
        (b"PK\x03\x04 not really a zip", "damaged or is not an Excel workbook"),
        (b"Just some notes\nabout nothing\n", "This is not the LKS register"),
    ],
    ids=["empty", "bom-only", "pdf", "png", "binary", "old-xls", "broken-zip", "text"],
)
def test_a_file_that_is_not_a_register_is_refused_with_one_message(kampar, content, message):
    with pytest.raises(imports.ImportFileError) as refused:
        preview(kampar, content)
    assert message in str(refused.value)


@pytest.mark.parametrize("make", [csv_bytes, xlsx_bytes], ids=["csv", "xlsx"])
def test_a_header_only_file_is_refused(kampar, make):
    with pytest.raises(imports.ImportFileError, match="no rows"):
        preview(kampar, make([]))


def test_a_header_only_file_with_empty_rows_is_refused(kampar):
    content = csv_bytes([[""] * len(HEADER), [" "] * len(HEADER)])
    with pytest.raises(imports.ImportFileError, match="no rows"):
        preview(kampar, content)


def test_a_missing_required_column_is_one_error(kampar):
    header = [h for h in HEADER if h not in ("Kecamatan",)]
    content = csv_bytes([["Panti A"] + [""] * (len(header) - 1)], header=header)
    with pytest.raises(imports.ImportFileError) as refused:
        preview(kampar, content)
    assert str(refused.value) == "The file has no column “Kecamatan”; it is needed."


def test_unknown_columns_are_ignored_with_a_notice(kampar):
    content = csv_bytes(
        [["Panti A", "Bangkinang Kota", "catatan"]], header=["Nama LKS", "Kecamatan", "Catatan"]
    )
    plan = preview(kampar, content)
    assert not plan.errors
    assert plan.notices == [
        "Column “Catatan” is not one of the template's (or repeats one) and was ignored."
    ]


def test_too_many_rows_are_refused(kampar, monkeypatch):
    monkeypatch.setattr(imports.reading, "MAX_ROWS", 3)
    content = csv_bytes([row(name=f"Panti {n}", district="Bangkinang Kota") for n in range(4)])
    with pytest.raises(imports.ImportFileError, match="more than 3 rows"):
        preview(kampar, content)


# Reading files as people save them


def test_headers_match_ignoring_case_spaces_and_punctuation(kampar):
    header = [
        "NAMA  LKS",
        "kecamatan",
        "desa / kelurahan",
        "No Tanda-Daftar",
        "STATUS tanda daftar",
    ]
    content = csv_bytes(
        [["Panti A", "Bangkinang Kota", "Kumantan", "460/1", "Belum"]], header=header
    )
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (
            2,
            "Status Tanda Daftar",
            (
                "A registration number or date is given, but the status says the LKS is "
                "not registered."
            ),
        )
    ]


def test_a_title_row_above_the_header_is_skipped_and_row_numbers_stay(kampar):
    content = (
        "Data LKS Kabupaten Kampar 2024\n\n" + "Nama LKS,Kecamatan\n,Bangkinang Kota\n"
    ).encode()
    plan = preview(kampar, content)
    assert messages_of(plan) == [(4, "Nama LKS", "The name of the LKS is missing.")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [",", ";"])
def test_csv_in_utf8_bom_or_windows_1252_with_commas_or_semicolons(kampar, encoding, delimiter):
    content = csv_bytes(
        [
            row(name="Yayasan Peñuela José", district="Bangkinang Kota", address="Jl. Café; No. 1"),
            row(name="Panti Asuhan Ibnu", district="Bangkinang Kota"),
        ],
        delimiter=delimiter,
        encoding=encoding,
    )
    plan = commit(kampar, content)
    assert plan.written, plan.errors
    lks = Organisation.objects.get(name="Yayasan Peñuela José")
    assert lks.address == "Jl. Café; No. 1"
    assert Organisation.objects.filter(name="Panti Asuhan Ibnu").exists()


def test_a_tab_separated_file_is_read(kampar):
    content = b"Nama LKS\tKecamatan\nPanti A\tBangkinang Kota\n"
    assert commit(kampar, content).written


@pytest.mark.parametrize(
    "value",
    [
        "16/10/2024",
        "16-10-2024",
        "16.10.2024",
        "2024-10-16",
        "16 Oktober 2024",
        "16 okt 2024",
        "45581",
        45581,
        datetime.datetime(2024, 10, 16),
        datetime.date(2024, 10, 16),
    ],
)
def test_dates_as_people_type_them(kampar, value):
    assert imports.date_value(value) == datetime.date(2024, 10, 16)


@pytest.mark.parametrize(
    "value", ["31/02/2024", "16/13/2024", "kemarin", "2024", "16 Okto 2024", 0]
)
def test_what_is_not_a_date(value):
    with pytest.raises(imports.CellError, match="is not a date"):
        imports.date_value(value)


def test_excel_dates_in_a_workbook(kampar):
    content = xlsx_bytes(
        [
            registered_row(
                issued_on=datetime.datetime(2024, 1, 15),
                valid_until=47133,  # an Excel serial: 15 January 2029
                grade="a",
                accredited_on=datetime.datetime(2024, 3, 1),
                client_count=12.0,
                phone=81234567,
            )
        ]
    )
    assert commit(kampar, content).written
    registration = Registration.objects.get()
    assert (registration.issued_on, registration.valid_until) == (
        datetime.date(2024, 1, 15),
        datetime.date(2029, 1, 15),
    )
    lks = Organisation.objects.get()
    assert (lks.client_count, lks.phone) == (12, "81234567")


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("LKSA", Organisation.Kind.LKSA),
        ("lks anak", Organisation.Kind.LKSA),
        ("Panti Asuhan", Organisation.Kind.LKSA),
        ("LKS Lanjut Usia", Organisation.Kind.ELDERLY),
        ("LANSIA", Organisation.Kind.ELDERLY),
        ("Panti Werdha", Organisation.Kind.ELDERLY),
        ("LKS Disabilitas", Organisation.Kind.DISABILITY),
        ("penyandang disabilitas anak", Organisation.Kind.DISABILITY),
        ("LKS NAPZA", Organisation.Kind.NAPZA),
        ("rehabilitasi korban narkoba", Organisation.Kind.NAPZA),
        ("LKS Lainnya", Organisation.Kind.OTHER),
        ("lain-lain", Organisation.Kind.OTHER),
        ("", None),
        ("-", None),
    ],
)
def test_kinds_are_read_from_their_words(value, kind):
    assert imports.kind_value(value) == kind


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("Terdaftar", imports.REGISTERED),
        ("TERDAFTAR", imports.REGISTERED),
        ("kedaluwarsa", imports.REGISTERED),
        ("Proses", imports.SUBMITTED),
        ("dalam  proses", imports.SUBMITTED),
        ("Belum", imports.NOT_REGISTERED),
        ("Belum Terdaftar", imports.NOT_REGISTERED),
        ("", None),
    ],
)
def test_statuses_in_any_case(value, status):
    assert imports.status_value(value) == status


@pytest.mark.parametrize(
    ("value", "grade"),
    [
        ("A", "A"),
        ("b", "B"),
        ("Terakreditasi C", "C"),
        ("A (Sangat Baik)", "A"),
        ("Belum", None),
        ("", None),
    ],
)
def test_grades(value, grade):
    assert imports.grade_value(value) == grade


@pytest.mark.parametrize(
    ("value", "number"),
    [("12", 12), (12, 12), (12.0, 12), ("1.250", 1250), ("0", 0), ("", None)],
)
def test_whole_numbers(value, number):
    assert imports.whole_number_value(value) == number


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-3", "cannot be negative"),
        (-3, "cannot be negative"),
        ("2,5", "not a whole number"),
        (2.5, "not a whole number"),
        ("banyak", "not a whole number"),
    ],
)
def test_what_is_not_a_count(value, message):
    with pytest.raises(imports.CellError, match=message):
        imports.whole_number_value(value)


@pytest.mark.parametrize(
    ("district", "village"),
    [
        ("Bangkinang Kota", "Kumantan"),
        ("bangkinang  kota", "KUMANTAN"),
        ("Kecamatan Bangkinang Kota", "Desa Kumantan"),
        ("Kec. Bangkinang Kota", "Kelurahan Kumantan"),
        ("Kapanewon Bangkinang Kota", "Kalurahan Kumantan"),
    ],
)
def test_regions_match_ignoring_case_spaces_and_prefixes(kampar, district, village):
    content = csv_bytes([row(name="Panti A", district=district, village=village)])
    assert commit(kampar, content).written
    lks = Organisation.objects.get()
    assert (lks.district.name, lks.village.name) == ("Bangkinang Kota", "Kumantan")


def test_sleman_kapanewon_turi_is_turi(sleman):
    content = csv_bytes([row(name="Al Ghifari", district="Kapanewon Turi", village="Bangunkerto")])
    assert commit(sleman, content).written
    assert Organisation.objects.get().district.name == "Turi"


def test_a_village_is_looked_up_in_its_own_kecamatan_only(kampar):
    # Bangkinang is a kelurahan of Bangkinang Kota, not of kecamatan Kampar.
    content = csv_bytes([row(name="Panti A", district="Kampar", village="Bangkinang")])
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "Desa/Kelurahan", "“Bangkinang” is not a desa/kelurahan of kecamatan Kampar.")
    ]


def test_a_neutralised_formula_is_read_back_as_typed(kampar):
    content = csv_bytes([row(name="'=1+1", district="Bangkinang Kota", phone="'+62 812 345")])
    assert commit(kampar, content).written
    lks = Organisation.objects.get()
    assert (lks.name, lks.phone) == ("=1+1", "+62 812 345")


# What a row creates


def test_a_full_row_creates_the_lks_its_registration_and_accreditation(kampar):
    content = xlsx_bytes(
        [
            registered_row(
                kind="LKS Lanjut Usia",
                village="Kumantan",
                address="Jl. Melati 3",
                chairperson="Hj. Aminah",
                phone="0812-1111-2222",
                email="harapan@example.org",
                grade="B",
                accredited_on="01/03/2024",
                client_count="40",
            )
        ]
    )
    plan = commit(kampar, content)
    assert plan.written
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "invalid": 0}
    lks = Organisation.objects.get()
    assert (lks.body, lks.name, lks.kind, lks.district.code, lks.village.name) == (
        kampar,
        "Panti Asuhan Harapan",
        Organisation.Kind.ELDERLY,
        BANGKINANG,
        "Kumantan",
    )
    assert (lks.address, lks.chairperson, lks.phone, lks.email, lks.client_count) == (
        "Jl. Melati 3",
        "Hj. Aminah",
        "0812-1111-2222",
        "harapan@example.org",
        40,
    )
    registration = lks.registrations.get()
    assert (registration.body, registration.status, registration.number) == (
        kampar,
        Registration.Status.REGISTERED,
        "460/0001/TD/2024",
    )
    assert (registration.issued_on, registration.valid_until) == (
        datetime.date(2024, 1, 15),
        datetime.date(2029, 1, 15),
    )
    accreditation = lks.accreditations.get()
    # Grade B is valid three years by default.
    assert (accreditation.status, accreditation.grade, accreditation.valid_until) == (
        Accreditation.Status.ACCREDITED,
        "B",
        datetime.date(2027, 3, 1),
    )
    assert lks.history.count() == registration.history.count() == 1


def test_a_row_with_only_name_and_kecamatan_creates_an_lks_of_other_kind(kampar):
    content = csv_bytes([["Panti A", "Bangkinang Kota"]], header=["Nama LKS", "Kecamatan"])
    assert commit(kampar, content).written
    lks = Organisation.objects.get()
    assert (lks.kind, lks.registrations.count(), lks.accreditations.count()) == (
        Organisation.Kind.OTHER,
        0,
        0,
    )


def test_in_process_records_an_application_dated_by_the_issue_column_or_today(kampar):
    content = csv_bytes(
        [
            row(
                name="Panti A", district="Bangkinang Kota", status="Proses", issued_on="02/09/2024"
            ),
            row(name="Panti B", district="Bangkinang Kota", status="Dalam Proses"),
        ]
    )
    assert commit(kampar, content).written
    dates = dict(Registration.objects.values_list("organisation__name", "submitted_on"))
    assert dates == {"Panti A": datetime.date(2024, 9, 2), "Panti B": TODAY}
    assert set(Registration.objects.values_list("status", flat=True)) == {"submitted"}


def test_a_registered_lks_needs_number_issue_and_valid_until(kampar):
    content = csv_bytes([row(name="Panti A", district="Bangkinang Kota", status="Terdaftar")])
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "No. Tanda Daftar", "A registered LKS needs its registration number."),
        (2, "Tanggal Terbit", "A registered LKS needs the date its registration was issued."),
        (2, "Berlaku Sampai", "A registered LKS needs the date its registration is valid until."),
    ]


def test_the_models_rules_become_row_errors_on_their_column(kampar):
    content = csv_bytes(
        [
            registered_row(email="not an email", valid_until="01/01/2020"),
            row(name="x" * 201, district="Bangkinang Kota"),
            row(name="Panti C", district="Bangkinang Kota", grade="A"),
        ]
    )
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "Email", "Enter a valid email address."),
        (2, "Berlaku Sampai", "Valid until must be after the issue date."),
        (3, "Nama LKS", "Ensure this value has at most 200 characters (it has 201)."),
        (4, "Tanggal Akreditasi", "Give the date of the accreditation."),
    ]


def test_a_file_with_every_kind_of_broken_row_is_refused_and_writes_nothing(kampar, lks):
    before = (register_counts(), history_counts())
    content = csv_bytes(
        [
            row(name="Panti A", district="Atlantis"),
            row(
                name="Panti B", district="Bangkinang Kota", issued_on="32/01/2024", status="Proses"
            ),
            row(name="Panti C", district="Bangkinang Kota", status="Sudah dong"),
            row(name="", district="Bangkinang Kota"),
            registered_row(number="460/9/TD", name="Panti D"),
            registered_row(number="460/9/TD", name="Panti E"),
            row(name="Panti F", district="Bangkinang Kota", client_count="-5"),
            row(name="Panti G", district="Bangkinang Kota"),  # a good row
        ]
    )
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "Kecamatan", "“Atlantis” is not a kecamatan of KAB. KAMPAR."),
        (3, "Tanggal Terbit", "“32/01/2024” is not a date. Write it as 16/10/2024."),
        (
            4,
            "Status Tanda Daftar",
            (
                "“Sudah dong” is not a registration status. Write Terdaftar, Proses or "
                "Belum Terdaftar."
            ),
        ),
        (5, "Nama LKS", "The name of the LKS is missing."),
        (6, "No. Tanda Daftar", "Row 7 has the same registration number."),
        (7, "No. Tanda Daftar", "Row 6 has the same registration number."),
        (8, "Jumlah Klien", "The number cannot be negative."),
    ]
    assert plan.counts == {"create": 1, "update": 0, "unchanged": 0, "invalid": 7}
    committed = commit(kampar, content)
    assert not committed.written
    assert len(committed.errors) == 7
    assert (register_counts(), history_counts()) == before


def test_two_rows_with_the_same_name_in_the_same_kecamatan_are_an_error_on_both(kampar):
    content = csv_bytes(
        [
            row(name="Panti Asuhan Al-Ikhlas", district="Bangkinang Kota"),
            row(name="panti asuhan al ikhlas", district="Kecamatan Bangkinang Kota"),
            row(name="Panti Asuhan Al-Ikhlas", district="Kampar"),  # another kecamatan
        ]
    )
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "Nama LKS", "Row 3 has the same LKS name in the same kecamatan."),
        (3, "Nama LKS", "Row 2 has the same LKS name in the same kecamatan."),
    ]


def test_two_rows_about_one_lks_of_the_register_are_an_error_on_both(kampar, make_lks):
    lks = make_lks(name="Panti Lama")
    RegistrationFactory(organisation=lks, number="460/1/TD")
    content = csv_bytes(
        [
            registered_row(number="460/1/TD", name="Panti Baru"),
            row(name="Panti Lama", district=lks.district.name),
        ]
    )
    plan = preview(kampar, content)
    assert messages_of(plan) == [
        (2, "Nama LKS", "Row 3 is about the same LKS of the register."),
        (3, "Nama LKS", "Row 2 is about the same LKS of the register."),
    ]


# Matching the register


def test_an_lks_is_updated_by_its_registration_number_not_duplicated(kampar, make_lks):
    lks = make_lks(name="Panti Asuhan Lama", chairperson="Budi")
    registration = RegistrationFactory(
        organisation=lks,
        number="460/0001/TD/2024",
        issued_on=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2029, 1, 15),
    )
    content = csv_bytes([registered_row(name="Panti Asuhan Baru", chairperson="Siti")])
    plan = commit(kampar, content)
    assert plan.written
    assert plan.counts["update"] == 1
    lks.refresh_from_db()
    assert (lks.name, lks.chairperson) == ("Panti Asuhan Baru", "Siti")
    assert list(lks.registrations.all()) == [registration]
    assert Organisation.objects.count() == 1


def test_an_lks_is_matched_by_name_within_its_kecamatan(kampar, make_lks):
    lks = make_lks(name="Panti Asuhan Al-Ikhlas", district=region(BANGKINANG), phone="")
    content = csv_bytes(
        [
            row(name="PANTI ASUHAN AL IKHLAS", district="Bangkinang Kota", phone="0761-1"),
            row(name="Panti Asuhan Al-Ikhlas", district="Kampar"),
        ]
    )
    plan = commit(kampar, content)
    assert [r.action for r in plan.rows] == ["update", "create"]
    lks.refresh_from_db()
    assert (lks.name, lks.phone) == ("PANTI ASUHAN AL IKHLAS", "0761-1")
    assert Organisation.objects.filter(district__code=KAMPAR_DISTRICT).count() == 1


def test_empty_cells_leave_what_the_register_has(kampar, make_lks):
    lks = make_lks(
        name="Panti A",
        address="Jl. Lama 1",
        phone="0761-1",
        chairperson="Budi",
        kind=Organisation.Kind.NAPZA,
        client_count=9,
    )
    content = csv_bytes([row(name="Panti A", district=lks.district.name)])
    plan = commit(kampar, content)
    assert plan.counts["unchanged"] == 1
    lks.refresh_from_db()
    assert (lks.address, lks.phone, lks.chairperson, lks.kind, lks.client_count) == (
        "Jl. Lama 1",
        "0761-1",
        "Budi",
        Organisation.Kind.NAPZA,
        9,
    )


def test_a_name_is_matched_only_within_the_kecamatan_of_the_row(kampar, make_lks):
    lks = make_lks(name="Panti A", district=region(BANGKINANG))
    content = csv_bytes([["Panti A", "Kampar"]], header=["Nama LKS", "Kecamatan"])
    plan = commit(kampar, content)
    assert plan.counts["create"] == 1
    lks.refresh_from_db()
    assert lks.district.code == BANGKINANG
    assert Organisation.objects.filter(name="Panti A").count() == 2


def test_a_number_without_a_status_means_registered(kampar):
    content = csv_bytes([row(name="Panti A", district="Kampar", number="460/7")])
    plan = preview(kampar, content)
    assert [error.column for error in plan.errors] == ["Tanggal Terbit", "Berlaku Sampai"]


def test_moving_an_lks_found_by_number_drops_the_village_of_the_old_kecamatan(kampar, make_lks):
    lks = make_lks(name="Panti A", district=region(BANGKINANG), village=region("14.01.01.2009"))
    RegistrationFactory(
        organisation=lks,
        number="460/7",
        issued_on=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2029, 1, 15),
    )
    content = csv_bytes([registered_row(number="460/7", name="Panti A", district="Kampar")])
    assert commit(kampar, content).written
    lks.refresh_from_db()
    assert (lks.district.code, lks.village) == (KAMPAR_DISTRICT, None)


def test_a_new_registration_of_a_known_lks_is_added_as_a_renewal(kampar, make_lks):
    lks = make_lks(name="Panti A")
    RegistrationFactory(
        organisation=lks,
        number="460/1/2019",
        submitted_on=None,
        issued_on=datetime.date(2019, 1, 1),
        valid_until=datetime.date(2024, 1, 1),
    )
    content = csv_bytes([registered_row(number="460/2/2024", name="Panti A")])
    plan = commit(kampar, content)
    assert plan.rows[0].changes == ["New registration 460/2/2024"]
    renewal = lks.registrations.get(number="460/2/2024")
    assert renewal.is_renewal
    assert lks.registrations.count() == 2


def test_a_registration_with_other_dates_is_corrected_not_added(kampar, make_lks):
    lks = make_lks(name="Panti A")
    registration = RegistrationFactory(organisation=lks, number="460/0001/TD/2024")
    content = csv_bytes([registered_row(name="Panti A")])
    plan = commit(kampar, content)
    assert plan.rows[0].changes == ["Registration 460/0001/TD/2024 corrected"]
    registration.refresh_from_db()
    assert (registration.issued_on, registration.valid_until) == (
        datetime.date(2024, 1, 15),
        datetime.date(2029, 1, 15),
    )
    assert lks.registrations.count() == 1


def test_a_number_of_another_body_does_not_match(kampar, sleman, make_lks):
    theirs = OrganisationFactory(body=sleman, name="Panti Sleman")
    RegistrationFactory(organisation=theirs, number="460/0001/TD/2024")
    content = csv_bytes([registered_row(name="Panti Kampar")])
    plan = commit(kampar, content)
    assert plan.counts["create"] == 1
    ours = Organisation.objects.get(body=kampar)
    assert ours.name == "Panti Kampar"
    assert ours.registrations.get().number == "460/0001/TD/2024"
    theirs.refresh_from_db()
    assert theirs.name == "Panti Sleman"
    assert theirs.registrations.count() == 1


def test_a_number_matches_ignoring_case_and_spaces(kampar, make_lks):
    lks = make_lks(name="Panti A")
    registration = RegistrationFactory(
        organisation=lks,
        number="460/5/TD",
        issued_on=datetime.date(2024, 1, 15),
        valid_until=datetime.date(2029, 1, 15),
    )
    content = csv_bytes([registered_row(number="460 / 5 / td", name="Panti A Baru")])
    plan = commit(kampar, content)
    assert plan.counts["update"] == 1
    registration.refresh_from_db()
    assert registration.number == "460 / 5 / td"
    assert Organisation.objects.get().name == "Panti A Baru"


def test_an_application_filed_under_the_old_number_is_a_renewal(kampar, make_lks):
    lks = make_lks(name="Panti A")
    RegistrationFactory(organisation=lks, number="460/5/TD")
    content = csv_bytes(
        [row(name="Panti A", district=lks.district.name, number="460/5/TD", status="Proses")]
    )
    plan = commit(kampar, content)
    assert plan.rows[0].changes == ["New registration application"]
    application = lks.registrations.get(status=Registration.Status.SUBMITTED)
    assert (application.number, application.is_renewal, application.submitted_on) == (
        "",
        True,
        TODAY,
    )


def test_not_registered_leaves_a_registration_of_the_register_with_a_notice(kampar, make_lks):
    lks = make_lks(name="Panti A")
    RegistrationFactory(organisation=lks, valid_until=TODAY + datetime.timedelta(days=400))
    AccreditationFactory(organisation=lks, valid_until=TODAY + datetime.timedelta(days=400))
    content = csv_bytes(
        [row(name="Panti A", district=lks.district.name, status="Belum Terdaftar", grade="Belum")]
    )
    plan = commit(kampar, content)
    assert plan.rows[0].action == "unchanged"
    assert plan.rows[0].notices == [
        "The register has a registration of this LKS; the import leaves it as it is.",
        "The register has an accreditation of this LKS; the import leaves it as it is.",
    ]
    assert (lks.registrations.count(), lks.accreditations.count()) == (1, 1)


def test_an_accreditation_with_another_grade_on_the_same_date_is_corrected(kampar, make_lks):
    lks = make_lks(name="Panti A")
    accreditation = AccreditationFactory(
        organisation=lks, grade="B", accredited_on=datetime.date(2024, 3, 1)
    )
    content = csv_bytes(
        [row(name="Panti A", district=lks.district.name, grade="A", accredited_on="01/03/2024")]
    )
    assert commit(kampar, content).written
    accreditation.refresh_from_db()
    assert (accreditation.grade, accreditation.valid_until) == ("A", datetime.date(2029, 3, 1))
    assert lks.accreditations.count() == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(kampar):
    content = xlsx_bytes(
        [
            registered_row(grade="C", accredited_on="01/03/2024", village="Kumantan"),
            row(
                name="Panti B", district="Bangkinang Kota", status="Proses", issued_on="02/09/2024"
            ),
            row(name="Panti C", district="Bangkinang Kota", status="Proses"),
            row(name="Panti D", district="Kampar", status="Belum Terdaftar", client_count=3),
        ]
    )
    assert commit(kampar, content).written
    before = (register_counts(), history_counts())
    updated = list(Organisation.objects.values_list("updated_at", flat=True))
    plan = commit(kampar, content)
    assert plan.counts == {"create": 0, "update": 0, "unchanged": 4, "invalid": 0}
    assert (register_counts(), history_counts()) == before
    assert list(Organisation.objects.values_list("updated_at", flat=True)) == updated


def test_the_import_records_who_imported(kampar, staff):
    content = csv_bytes([registered_row()])
    imports.import_commit(body=kampar, content=content, user=staff)
    assert Organisation.history.get().history_user == staff
    assert Registration.history.get().history_user == staff


def test_nothing_is_written_when_the_database_refuses_a_row(kampar, monkeypatch):
    real = imports.writing.bulk_create_with_history

    def refuse_registrations(objs, model, **kwargs):
        if model is Registration:
            raise IntegrityError("someone took the number meanwhile")
        return real(objs, model, **kwargs)

    monkeypatch.setattr(imports.writing, "bulk_create_with_history", refuse_registrations)
    with pytest.raises(imports.ImportConflictError):
        commit(kampar, csv_bytes([registered_row()]))
    assert register_counts() == (0, 0, 0)
    assert history_counts() == (0, 0, 0)


def test_the_preview_takes_as_many_queries_for_50_rows_as_for_5(kampar, make_lks):
    def queries(count, prefix):
        content = csv_bytes(
            [
                registered_row(
                    number=f"460/{prefix}{n}",
                    name=f"Panti {prefix}{n}",
                    grade="B",
                    accredited_on="01/03/2024",
                )
                for n in range(count)
            ]
        )
        with CaptureQueriesContext(connection) as captured:
            plan = preview(kampar, content)
        assert not plan.errors
        return len(captured)

    for n in range(20):
        lks = make_lks(name=f"Panti lama {n}")
        RegistrationFactory(organisation=lks)
    assert queries(5, "a") == queries(50, "b")


# The template


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_template_has_the_columns_and_an_example_row_that_imports(
    staff_client, kampar, file_format
):
    response = staff_client.get(
        reverse("members:organisation-import-template"), {"format": file_format}
    )
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    if file_format == "xlsx":
        rows = list(load_workbook(io.BytesIO(content), read_only=True).active.values)
    else:
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert list(rows[0]) == HEADER
    assert len(rows) == 2
    assert rows[1][2] == "Bangkinang Kota"
    plan = commit(kampar, content)
    assert plan.counts["create"] == 1


def test_the_template_is_for_staff_only(client_of, official):
    response = client_of(official).get(reverse("members:organisation-import-template"))
    assert response.status_code == 403


def test_the_template_refuses_an_unknown_format(staff_client):
    response = staff_client.get(reverse("members:organisation-import-template"), {"format": "pdf"})
    assert response.status_code == 400


# The pages


IMPORT_URL = reverse("members:organisation-import")


def upload(client, content, name="lks.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(IMPORT_URL, {"file": file})


def test_the_import_page_shows_the_form_and_the_template_links(staff_client):
    response = staff_client.get(IMPORT_URL)
    assert response.status_code == 200
    assert reverse("members:organisation-import-template") in response.text
    assert "Nama LKS" in response.text


@pytest.mark.parametrize("role", ["official", "provincial"])
def test_officials_may_not_import(request, client_of, role):
    client = client_of(request.getfixturevalue(role))
    assert client.get(IMPORT_URL).status_code == 403
    assert upload(client, csv_bytes([registered_row()])).status_code == 403
    assert Organisation.objects.count() == 0


def test_the_anonymous_user_is_sent_to_log_in(client):
    response = client.get(IMPORT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unreadable_file_is_an_error_on_the_upload_field(staff_client):
    response = upload(in_english(staff_client), b"%PDF-1.4 not a sheet\x00", name="scan.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file."
    ]


def test_an_empty_upload_is_an_error_on_the_upload_field(staff_client):
    response = upload(staff_client, b"")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_file_over_the_size_limit_is_refused(staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 100
    response = upload(in_english(staff_client), csv_bytes([registered_row()] * 5))
    assert "at most 100" in response.context["form"].errors["file"][0]


def test_upload_previews_and_confirm_imports(staff_client, staff, kampar, media):
    in_english(staff_client)
    response = upload(
        staff_client, csv_bytes([registered_row(), row(name="Panti B", district="Kampar")])
    )
    assert response.status_code == 200
    assert response.templates[0].name == "members/import_preview.html"
    assert response.context["counts"]["create"] == 2
    assert Organisation.objects.count() == 0  # a preview writes nothing
    token = response.context["token"]
    assert (media / "imports").is_dir()

    response = staff_client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    assert response["Location"] == reverse("members:organisation-list")
    assert Organisation.objects.for_body(kampar).count() == 2
    assert Organisation.history.filter(history_user=staff).count() == 2
    assert not list((media / "imports").iterdir())  # the kept upload is removed
    # A second confirmation of the same token imports nothing.
    response = staff_client.post(IMPORT_URL, {"token": token}, follow=True)
    assert "no longer waiting" in response.text
    assert Organisation.objects.count() == 2


def test_a_file_with_errors_shows_them_and_offers_no_confirmation(staff_client, media):
    content = csv_bytes([row(name="Panti A", district="Atlantis"), registered_row()])
    response = upload(in_english(staff_client), content)
    assert response.status_code == 200
    assert response.context["token"] is None
    assert "“Atlantis” is not a kecamatan" in response.text
    assert 'name="token"' not in response.text
    assert Organisation.objects.count() == 0


def test_the_confirmation_checks_the_file_again(staff_client, kampar, make_lks):
    response = upload(in_english(staff_client), csv_bytes([registered_row(name="Panti Baru")]))
    token = response.context["token"]
    # Meanwhile someone gives the number to another LKS with the same name twice over.
    lks = make_lks(name="Panti Baru")
    make_lks(name="Panti Baru")
    response = staff_client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 200
    assert "give the registration number to say which one" in response.text
    assert lks.registrations.count() == 0


def test_a_token_of_another_session_confirms_nothing(staff_client, client_of, member, kampar):
    response = upload(staff_client, csv_bytes([registered_row()]))
    token = response.context["token"]
    colleague = client_of(member(kampar))
    response = colleague.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    assert Organisation.objects.count() == 0


def test_a_token_of_another_body_confirms_nothing(client_of, member, kampar, sleman):
    user = member([kampar, sleman])
    client = client_of(user)
    token = upload(client, csv_bytes([registered_row()])).context["token"]
    client.post(reverse("body-switch"), {"body": "sleman"})
    response = client.post(IMPORT_URL, {"token": token})
    assert response.status_code == 302
    assert Organisation.objects.count() == 0


def test_the_import_goes_to_the_current_body_only(client_of, other_staff, kampar, sleman):
    client = in_english(client_of(other_staff))
    content = csv_bytes([row(name="Panti Turi", district="Turi")])
    token = upload(client, content).context["token"]
    client.post(IMPORT_URL, {"token": token})
    assert list(Organisation.objects.values_list("body__slug", flat=True)) == ["sleman"]
    # A Kampar kecamatan is not one of Sleman's.
    response = upload(client, csv_bytes([row(name="Panti B", district="Bangkinang Kota")]))
    assert "is not a kecamatan of KAB. SLEMAN" in response.text


def test_the_list_links_to_import_for_staff_only(staff_client, client_of, official):
    url = reverse("members:organisation-list")
    assert IMPORT_URL in staff_client.get(url).text
    assert IMPORT_URL not in client_of(official).get(url).text

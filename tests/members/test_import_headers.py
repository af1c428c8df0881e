"""Finding the header of a register as people keep it: title rows above it, a header
over two rows with merged group titles, numbering and empty columns; and matching its
columns to the register's fields by their names and words."""

import io

import pytest
from openpyxl import Workbook

from members.imports import ImportFileError
from members.imports.matching import NAME, NUMBERING, WORDS, field_of
from members.imports.reading import open_sheet
from tests.members.registers import FIRST_ROW, HARAPAN, register_workbook, titles
from tests.members.test_import import (
    csv_bytes,
    english,  # noqa: F401 (autouse: messages are compared in English)
    messages_of,
    preview,
)

pytestmark = pytest.mark.django_db


def workbook(*rows):
    book = Workbook()
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_two_row_header_under_a_title_joins_group_titles_with_their_columns(kampar):
    plan = preview(kampar, register_workbook())
    layout = plan.layout
    assert layout.header.rows == [FIRST_ROW - 2, FIRST_ROW - 1]
    assert [column.title for column in layout.columns] == titles()
    assert [row.row for row in plan.rows] == [FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2]
    fields = {column.title: column.field for column in layout.columns}
    assert fields == {
        "No": None,
        "Nama LKS": "name",
        "ALAMAT · Jalan": "address",
        "ALAMAT · RT": "rt",
        "ALAMAT · RW": "rw",
        "ALAMAT · Kelurahan": "village",
        "ALAMAT · Kecamatan": "district",
        "Layanan": "services",
        "TANDA DAFTAR YAYASAN · Nomor": "number",
        "TANDA DAFTAR YAYASAN · Masa Berlaku - Mulai": "issued_on",
        "TANDA DAFTAR YAYASAN · Masa Berlaku - Sampai": "valid_until",
        "TANDA DAFTAR YAYASAN · Instansi Yang Menerbitkan": "issuer",
        "SURAT KETERANGAN DOMISILI · Nomor": "domicile_number",
        "SURAT KETERANGAN DOMISILI · Berlaku Sampai": "domicile_valid_until",
        "SURAT KETERANGAN DOMISILI · Instansi": "domicile_issuer",
        "NIB · Status (Ada/Tidak Ada)": "nib_status",
        "AKREDITASI · Status": "grade",
        "AKREDITASI · Tanggal": "accredited_on",
    }
    # The numbering column fills nothing and is not reported as unknown.
    assert layout.unmapped == []
    assert plan.notices == []


def test_several_title_rows_and_the_same_header_in_csv(kampar):
    content = (
        b"DATA LKS KABUPATEN KAMPAR\nTahun 2024\n\n"
        b"No;Nama LKS;TANDA DAFTAR;;;Kecamatan\n"
        b";;Nomor;Mulai;Sampai;\n"
        b"1;Panti A;460/1;15/01/2024;15/01/2029;Bangkinang Kota\n"
    )
    plan = preview(kampar, content)
    assert not plan.errors
    assert plan.layout.header.rows == [4, 5]
    assert plan.rows[0].row == 6
    assert plan.rows[0].changes == ["New LKS", "New registration 460/1"]


def test_a_one_row_header_whose_first_row_leaves_cells_empty_stays_one_row(kampar):
    # A data row under an untitled column is not mistaken for a second header row.
    content = workbook(
        ["Nama LKS", "Kecamatan", None, "Ketua"],
        ["Panti A", "Bangkinang Kota", "catatan", "Budi"],
    )
    plan = preview(kampar, content)
    assert plan.layout.header.rows == [1]
    assert [row.name for row in plan.rows] == ["Panti A"]


def test_empty_and_numbering_columns_are_ignored_silently(kampar):
    content = csv_bytes(
        [["1", "Panti A", "", "Bangkinang Kota"]], header=["No.", "Nama LKS", "", "Kecamatan"]
    )
    plan = preview(kampar, content)
    assert not plan.errors
    assert plan.notices == []
    assert [column.how for column in plan.layout.columns] == [NUMBERING, NAME, NAME]


def test_an_error_names_the_column_as_the_file_does(kampar):
    row = HARAPAN | {"TANDA DAFTAR YAYASAN · Masa Berlaku - Sampai": "01/01/2020"}
    plan = preview(kampar, register_workbook([row]))
    assert messages_of(plan) == [
        (
            FIRST_ROW,
            "TANDA DAFTAR YAYASAN · Masa Berlaku - Sampai",
            "Valid until must be after the issue date.",
        )
    ]


def test_a_file_whose_first_rows_name_no_field_is_refused(kampar):
    content = workbook(*[[f"catatan {n}", "x"] for n in range(12)], ["Nama LKS", "Kecamatan"])
    with pytest.raises(ImportFileError, match="This is not the LKS register"):
        preview(kampar, content)


def test_only_the_first_rows_are_read_to_find_the_header(kampar):
    header, rows = open_sheet(register_workbook())
    assert header.rows == [FIRST_ROW - 2, FIRST_ROW - 1]
    assert next(rows)[0] == FIRST_ROW


@pytest.mark.parametrize(
    ("group", "title", "field"),
    [
        ("", "Nama Lembaga", "name"),
        ("", "NAMA YAYASAN", "name"),
        ("", "Kelurahan/Desa", "village"),
        ("", "No. Telp/HP", "phone"),
        ("", "E-mail", "email"),
        ("", "Jumlah Penerima Manfaat", "client_count"),
        ("", "Jenis Layanan", "services"),
        ("", "No. Izin Operasional", "operating_permit_number"),
        ("", "Tanggal Izin Operasional", "operating_permit_issued_on"),
        ("", "NPWP", "npwp_number"),
        ("", "Nomor Induk Berusaha", "nib_number"),
        ("", "Akta Notaris", "deed_number"),
        ("", "Nilai Akreditasi", "grade"),
        ("IZIN KEGIATAN/OPERASIONAL", "Nomor", "operating_permit_number"),
        ("IZIN KEGIATAN/OPERASIONAL", "Masa Berlaku", "operating_permit_valid_until"),
        ("SK KEMENKUMHAM", "Tanggal", "kemenkumham_issued_on"),
        ("SURAT KETERANGAN DOMISILI", "Berlaku s.d.", "domicile_valid_until"),
        ("AKREDITASI", "Berlaku Sampai", "accreditation_valid_until"),
        ("IDENTITAS LEMBAGA", "Nama", "name"),
        ("ALAMAT", "RT/RW", "rt_rw"),
    ],
)
def test_columns_are_matched_by_common_indonesian_names_and_words(group, title, field):
    assert field_of(title, group)[0] == field


@pytest.mark.parametrize(
    ("group", "title"),
    [("", "Tahun"), ("", "Panti/Non Panti"), ("AKREDITASI", "Tahun"), ("", "Catatan")],
)
def test_columns_that_say_no_field_are_left_for_the_staff(group, title):
    assert field_of(title, group) == (None, "")


def test_our_own_names_are_names_and_the_others_words():
    assert field_of("STATUS tanda daftar") == ("status", NAME)
    assert field_of("Nomor", "TANDA DAFTAR") == ("number", WORDS)

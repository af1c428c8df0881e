"""Workbooks made to overload the server are refused before they are parsed, with a
clear message, while the extra memory stays far under 200 MB."""

import io
import os
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook, load_workbook

from lkks import spreadsheets
from lkks.spreadsheets import SpreadsheetError, capped_rows, check_xlsx

MB = 1024 * 1024
MEMORY_LIMIT = 200 * MB
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, and once in Indonesian."""
    with translation.override("en"):
        yield


def real_workbook(rows=(("Nama LKS", "Kecamatan"), ("Panti Asuhan Al-Ikhlas", "Bangkinang"))):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(write_sheet, *, compresslevel=9):
    """A real workbook whose first sheet is replaced by what ``write_sheet(part)``
    writes, streamed into the archive so that the test never holds it whole."""
    original = zipfile.ZipFile(io.BytesIO(real_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(
        buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
    ) as archive:
        for info in original.infolist():
            if info.filename == "xl/worksheets/sheet1.xml":
                with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
                    write_sheet(part)
            else:
                archive.writestr(info.filename, original.read(info.filename))
    return buffer.getvalue()


def one_cell(text_chunks):
    def write(part):
        part.write(f'<worksheet xmlns="{MAIN}"><sheetData><row r="1">'.encode())
        part.write(b'<c r="A1" t="inlineStr"><is><t>')
        for chunk in text_chunks:
            part.write(chunk)
        part.write(b"</t></is></c></row></sheetData></worksheet>")

    return write


def read_like_the_import(content):
    """What the LKS import does with an upload: check, then stream the first sheet."""
    check_xlsx(content)
    workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        return list(capped_rows(sheet.iter_rows(values_only=True)))
    finally:
        workbook.close()


def refused_within_memory(content):
    """The message a workbook is refused with, after checking that reading it took less
    than 200 MB more memory than before."""
    tracemalloc.start()
    try:
        with pytest.raises(SpreadsheetError) as refused:
            read_like_the_import(content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"reading took {peak / MB:.0f} MB"
    return str(refused.value)


@pytest.fixture(scope="module")
def bomb():
    """204 KB that unpack into one cell of 200 MB, as in issue #12."""
    return with_sheet(one_cell(b"A" * MB for _ in range(200)))


def test_the_bomb_is_small_but_claims_200_mb():
    content = with_sheet(one_cell(b"A" * MB for _ in range(200)))
    sheet = zipfile.ZipFile(io.BytesIO(content)).getinfo("xl/worksheets/sheet1.xml")

    assert len(content) < 400 * 1024
    assert sheet.file_size > 200 * MB


def test_a_zip_bomb_is_refused_before_it_is_parsed(bomb):
    message = refused_within_memory(bomb)

    assert "too large once unpacked" in message
    assert "xl/worksheets/sheet1.xml" in message


def test_a_zip_bomb_is_refused_in_indonesian(bomb):
    with translation.override("id"):
        message = refused_within_memory(bomb)

    assert message.startswith("Buku kerja terlalu besar setelah dibuka")


def test_a_part_packed_a_thousand_times_is_refused_even_within_the_size_limits():
    content = with_sheet(one_cell(b"A" * MB for _ in range(20)))

    message = refused_within_memory(content)

    assert "packed unusually" in message


def test_a_cell_longer_than_excel_allows_is_refused_before_it_is_held():
    """300,000 letters that do not pack well (so no ratio check stops them): the scan of
    the XML finds the long text before openpyxl would hold it."""
    letters = bytes(ord("a") + byte % 26 for byte in os.urandom(300_000))

    message = refused_within_memory(with_sheet(one_cell([letters])))

    assert "more than 32,767 characters" in message


def test_a_cell_just_over_excels_limit_is_refused_with_its_row():
    """openpyxl itself cuts what it writes at Excel's limit; another program may not."""
    content = with_sheet(one_cell([b"x" * 32_768]))

    message = refused_within_memory(content)

    assert message.startswith("Row 1 has a cell of more than 32,767 characters")


def test_too_many_rows_stop_the_reading():
    def rows(part):
        part.write(f'<worksheet xmlns="{MAIN}"><sheetData>'.encode())
        for number in range(1, spreadsheets.MAX_SHEET_ROWS + 2):
            part.write(f'<row r="{number}"><c r="A{number}"><v>{number}</v></c></row>'.encode())
        part.write(b"</sheetData></worksheet>")

    message = refused_within_memory(with_sheet(rows, compresslevel=1))

    assert message == "The sheet has more than 100,000 rows. Split it into smaller files."


def test_too_many_parts_are_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(spreadsheets.MAX_PARTS + 1):
            archive.writestr(f"xl/media/image{number}.png", b"")

    message = refused_within_memory(buffer.getvalue())

    assert "too many parts" in message


@pytest.mark.parametrize(
    "content", [b"PK\x03\x04 not really a zip", b"Nama LKS;Kecamatan\n"], ids=["broken", "csv"]
)
def test_a_file_that_is_no_workbook_is_called_damaged(content):
    with pytest.raises(SpreadsheetError, match="damaged or is not an Excel workbook"):
        check_xlsx(content)


def test_a_real_register_passes_and_is_read_whole():
    rows = [("Nama LKS", "Kecamatan", "Alamat")] + [
        (f"Panti Asuhan {number}", "Bangkinang", "Jl. Raya " + "x" * 200) for number in range(3000)
    ]

    read = read_like_the_import(real_workbook(rows))

    assert len(read) == 3001
    assert read[1] == ["Panti Asuhan 0", "Bangkinang", "Jl. Raya " + "x" * 200]


def test_capped_rows_counts_empty_rows_and_allows_excels_longest_cell():
    rows = [[None, None]] * 4 + [["x" * 32_767]]

    assert len(list(capped_rows(rows, max_rows=5))) == 5
    with pytest.raises(SpreadsheetError):
        list(capped_rows(rows, max_rows=4))


# The LKS import reads through the check


def test_the_lks_import_refuses_the_bomb_with_the_message_on_the_file(bomb):
    from members.imports.reading import ImportFileError, open_sheet

    def read():
        _header, rows = open_sheet(bomb)
        return list(rows)

    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError) as refused:
            read()
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert peak < MEMORY_LIMIT
    assert "too large once unpacked" in str(refused.value)

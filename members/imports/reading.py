"""Reading a file: XLSX (the first sheet) or CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by ``,``, ``;`` or tabs, into rows of cells under the register's
columns.

The header is the first row (of the first ten) with a column name of the template, so
that a title above it does no harm; row numbers are the spreadsheet's own (the header
of the template is row 1). Only ``Nama LKS`` and ``Kecamatan`` are required; unknown
columns are ignored with a notice. A file has at most ``MAX_ROWS`` rows of LKS and
``MAX_COLUMNS`` columns.
"""

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from members.imports.cells import is_blank
from members.imports.matching import COLUMN_BY_KEY, COLUMNS, header_key

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 60


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the upload
    field."""


def _cells_of_xlsx(content: bytes) -> Iterator[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("The file is damaged or is not an Excel workbook (.xlsx).")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the file; read every row there is.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield list(row)
    finally:
        workbook.close()


def _text_of(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        ) from None


def _cells_of_csv(content: bytes) -> Iterator[list]:
    text = _text_of(content)
    # The separator is the one used most in the first lines (the header, or a title
    # above it).
    head = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    delimiter = max([",", ";", "\t"], key=head.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            yield row[:MAX_COLUMNS]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read (line %(line)s).") % {"line": reader.line_num}
        ) from error


BINARY_SIGNATURES = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF", b"\x1f\x8b")
OLD_EXCEL_SIGNATURE = b"\xd0\xcf\x11\xe0"


def _cells(content: bytes) -> Iterator[list]:
    if not content.strip().lstrip(b"\xef\xbb\xbf").strip():
        raise ImportFileError(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        return _cells_of_xlsx(content)
    if content.startswith(OLD_EXCEL_SIGNATURE):
        raise ImportFileError(
            _(
                "Old Excel files (.xls) cannot be read. Save the file as an Excel "
                "workbook (.xlsx) or as CSV and upload it again."
            )
        )
    if content.startswith(BINARY_SIGNATURES) or b"\x00" in content[:8192]:
        raise ImportFileError(
            _("The file is not a spreadsheet. Upload an Excel workbook (.xlsx) or a CSV file.")
        )
    return _cells_of_csv(content)


@dataclass
class Sheet:
    """The rows of a file with their spreadsheet row numbers, as column key → cell."""

    columns: list[str]  # the keys of the columns found, in the file's order
    rows: list[tuple[int, dict[str, Any]]]
    notices: list[str]


def read_sheet(*, content: bytes) -> Sheet:
    """The register rows of an uploaded file; ImportFileError when the file as a whole
    cannot be read (not a spreadsheet, empty, no header, no rows, too many rows)."""
    cells = _cells(content)
    header_row, positions, unknown = None, {}, []
    for number, row in enumerate(cells, start=1):
        keys = [header_key(str(value)) if not is_blank(value) else "" for value in row]
        if any(key in COLUMN_BY_KEY for key in keys):
            header_row = number
            for position, (key, value) in enumerate(zip(keys, row, strict=True)):
                column = COLUMN_BY_KEY.get(key)
                if column is None or column.key in positions.values():
                    if key:
                        unknown.append(str(value).strip())
                else:
                    positions[position] = column.key
            break
        if number >= HEADER_SEARCH_ROWS:
            break
    if header_row is None:
        raise ImportFileError(
            _(
                "This is not the LKS register: its first row has none of the template's "
                "column names (Nama LKS, Kecamatan, …). Download the template to see them."
            )
        )
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions.values()]
    if missing:
        raise ImportFileError(
            _("The file has no column %(columns)s; it is needed.")
            % {"columns": ", ".join(f"“{header}”" for header in missing)}
        )
    rows = []
    for number, row in enumerate(cells, start=header_row + 1):
        values = {key: row[position] for position, key in positions.items() if position < len(row)}
        if all(is_blank(value) for value in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(MAX_ROWS, force_grouping=True)}
            )
        rows.append((number, values))
    if not rows:
        raise ImportFileError(_("The file has column names but no rows of LKS under them."))
    notices = [
        _("Column “%(column)s” is not one of the template's (or repeats one) and was ignored.")
        % {"column": name}
        for name in unknown
    ]
    return Sheet(columns=list(positions.values()), rows=rows, notices=notices)

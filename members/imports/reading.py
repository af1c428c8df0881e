"""Reading a file: XLSX (the first sheet) or CSV in UTF-8 (with or without BOM) or
Windows-1252, separated by ``,``, ``;`` or tabs, into its header and rows of cells
under the register's fields.

The header is found in the first ten rows, so that titles above it do no harm: the
first row that names a field, alone or as the top of a header over two rows (a group
title, often a merged cell, over the sub-titles of its columns: "TANDA DAFTAR
YAYASAN" over "Nomor", "Masa Berlaku - Mulai", …), whichever names more fields. Row
numbers are the spreadsheet's own (the header of the template is row 1). Only ``Nama
LKS`` and ``Kecamatan`` are required; columns that fill no field are ignored with a
notice, numbering and untitled columns silently. A file has at most ``MAX_ROWS`` rows
of LKS and ``MAX_COLUMNS`` columns; only the rows of one import are ever held.
"""

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from lkks import spreadsheets
from members.imports.cells import is_blank, text_value
from members.imports.fields import REQUIRED
from members.imports.mapping import saved_fields, shape_of
from members.imports.matching import (
    NUMBERING,
    SAVED,
    SourceColumn,
    field_of,
    map_columns,
)
from members.models import ImportMapping

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 60


class ImportFileError(Exception):
    """The file as a whole cannot be imported; the message says why, for the upload
    field."""


def _cells_of_xlsx(content: bytes) -> Iterator[list]:
    try:
        # The archive's sizes and texts first: a zip bomb never reaches openpyxl.
        spreadsheets.check_xlsx(content)
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except spreadsheets.SpreadsheetError as error:
        raise ImportFileError(str(error)) from error
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ImportFileError(
            _("The file is damaged or is not an Excel workbook (.xlsx).")
        ) from error
    try:
        sheet = workbook.worksheets[0]
        # Some programs write a wrong size into the file; read every row there is.
        sheet.reset_dimensions()
        yield from spreadsheets.capped_rows(sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True))
    except spreadsheets.SpreadsheetError as error:
        raise ImportFileError(str(error)) from error
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


# How long a file is, before it is read

# The first <sheet> of the workbook part and the relation it names (r:id), and each
# <Relationship> of the workbook's relations, read by pattern: the parts are small (the
# archive's sizes are checked first) and no XML parser expands what they declare.
FIRST_SHEET = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\b[^>]*?\s[A-Za-z_][\w.-]*:id=\"([^\"]+)\"")
RELATIONSHIP = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\b([^>]*)>")
ATTRIBUTE = re.compile(rb"([A-Za-z_][\w.:-]*)=\"([^\"]*)\"")
# A row element of a worksheet (with or without a namespace prefix, not <rowBreaks>)
# and the row number it gives itself.
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
ROW_NUMBER = re.compile(rb"\sr=\"(\d+)\"")


def _first_sheet(archive: zipfile.ZipFile) -> str | None:
    """The part of the workbook's first sheet (the one the import reads)."""
    try:
        workbook = archive.read("xl/workbook.xml")
        relations = archive.read("xl/_rels/workbook.xml.rels")
    except (KeyError, zipfile.BadZipFile, OSError):
        return None
    sheet = FIRST_SHEET.search(workbook)
    if sheet is None:
        return None
    for found in RELATIONSHIP.finditer(relations):
        attributes = dict(ATTRIBUTE.findall(found.group(1)))
        if attributes.get(b"Id") == sheet.group(1):
            target = attributes.get(b"Target", b"").decode("utf-8", "replace")
            if target.startswith("/"):
                return target.lstrip("/")
            return posixpath.normpath(f"xl/{target}")
    return None


def _xlsx_row_count(content: bytes) -> int:
    """The number of the first sheet's last row (blank rows are not written, so that
    the rows are numbered by their own ``r``), read in its XML a chunk at a time."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        path = _first_sheet(archive)
        if path is None or path not in archive.namelist():
            return 0
        last, carried = 0, b""
        with archive.open(path) as part:
            while chunk := part.read(spreadsheets.CHUNK_BYTES):
                data = carried + chunk
                # A tag cut by the chunk's end is read with the next chunk.
                cut = data.rfind(b"<")
                cut = len(data) if cut == -1 else cut
                last = _last_row(data[:cut], last)
                carried = data[cut:]
        return _last_row(carried, last)


def _last_row(xml: bytes, last: int) -> int:
    for tag in ROW_TAG.finditer(xml):
        number = ROW_NUMBER.search(tag.group(1))
        last = int(number.group(1)) if number else last + 1
    return last


def count_rows(content: bytes, layout: "Layout") -> int:
    """How many rows a file has under its header, blank ones included, counted without
    reading their cells (an XLSX's row elements, a CSV's records): whether the import
    can be checked in a request. Call it on a file ``read_layout`` has opened."""
    try:
        if content.startswith(b"PK\x03\x04"):
            rows = _xlsx_row_count(content)
        else:
            rows = sum(1 for _row in _cells_of_csv(content))
    except (ImportFileError, zipfile.BadZipFile, OSError):
        return 0
    return max(rows - layout.header.rows[-1], 0)


# The header


@dataclass
class Header:
    rows: list[int]  # the spreadsheet rows it takes, one or two
    titles: list[tuple[str, str]]  # (group title, title) of each column, by position


def _fields_named(titles) -> int:
    return len({field_of(name, group)[0] for group, name in titles} - {None})


def _two_rows(top: list, bottom: list) -> list[tuple[str, str]] | None:
    """The titles of a header over two rows, or None when the rows are not one: a
    group title stands over the first of its columns (a merged cell keeps its text
    there) and is carried over the next ones while their top cell is empty."""
    width = max(len(top), len(bottom))
    top = [text_value(value) for value in top] + [""] * (width - len(top))
    if sum(1 for title in top if title) < 2 or any(
        not isinstance(value, str) for value in bottom if not is_blank(value)
    ):
        return None
    bottom = [text_value(value) for value in bottom] + [""] * (width - len(bottom))
    titles, group, carried = [], "", False
    for upper, lower in zip(top, bottom, strict=True):
        if upper:
            group = upper if lower else ""
            titles.append((upper, lower) if lower else ("", upper))
        else:
            carried = carried or bool(lower and group)
            titles.append((group if lower else "", lower))
            group = group if lower else ""
    return titles if carried else None


def _find_header(head: list[list]) -> Header | None:
    for index, row in enumerate(head[:HEADER_SEARCH_ROWS]):
        one = [("", text_value(value)) for value in row]
        two = _two_rows(row, head[index + 1]) if index + 1 < len(head) else None
        named, named_by_two = _fields_named(one), _fields_named(two or [])
        if named_by_two > named:
            return Header(rows=[index + 1, index + 2], titles=two)
        if named:
            return Header(rows=[index + 1], titles=one)
    return None


def open_sheet(content: bytes) -> tuple[Header, Iterator[tuple[int, list]]]:
    """The header of a file and the numbered rows under it; ImportFileError when the
    file is not a spreadsheet or has no header in its first rows."""
    numbered = enumerate(_cells(content), start=1)
    head = list(islice(numbered, HEADER_SEARCH_ROWS + 1))
    header = _find_header([row for _number, row in head])
    if header is None:
        raise ImportFileError(
            _(
                "This is not the LKS register: its first row has none of the template's "
                "column names (Nama LKS, Kecamatan, …). Download the template to see them."
            )
        )
    return header, chain(head[header.rows[-1] :], numbered)


# Which column fills which field


@dataclass
class Layout:
    """A file's columns with the fields they fill, and the mapping they come from."""

    header: Header
    columns: list[SourceColumn]
    shape: str
    mapping: ImportMapping | None = None
    samples: dict[int, list[str]] = field(default_factory=dict)  # position → first values

    @property
    def missing(self) -> list[str]:
        """The required fields no column fills, by their header."""
        filled = {column.field for column in self.columns}
        return [column.header for column in REQUIRED if column.key not in filled]

    @property
    def unmapped(self) -> list[SourceColumn]:
        """The columns that fill nothing, unless a numbering or skipped on purpose."""
        return [c for c in self.columns if c.field is None and c.how not in (NUMBERING, SAVED)]

    @property
    def needs_mapping(self) -> bool:
        return bool(self.missing or self.unmapped)


def lay_out(header: Header, mapping: ImportMapping | None) -> Layout:
    return Layout(
        header=header,
        columns=map_columns(header.titles, saved_fields(mapping)),
        shape=shape_of(header.titles),
        mapping=mapping,
    )


def add_samples(layout: Layout, rows, *, count=3, scan=50):
    """The first values of each column, read from the first rows, for the mapping page."""
    for _number, row in islice(rows, scan):
        for column in layout.columns:
            values = layout.samples.setdefault(column.position, [])
            if len(values) < count and column.position < len(row):
                value = text_value(row[column.position])
                if value and value not in values:
                    values.append(value)


@dataclass
class Sheet:
    """The rows of a file with their spreadsheet row numbers, as field key → cell."""

    layout: Layout
    rows: list[tuple[int, dict[str, Any]]]
    notices: list[str]


def read_rows(layout: Layout, rows) -> Sheet:
    """The rows of LKS under the header, as field → cell; ImportFileError when a
    required field has no column, or there are no rows or too many."""
    if layout.missing:
        raise ImportFileError(
            _("The file has no column %(columns)s; it is needed.")
            % {"columns": ", ".join(f"“{header}”" for header in layout.missing)}
        )
    positions = {column.position: column.field for column in layout.columns if column.field}
    found = []
    for number, row in rows:
        values = {key: row[position] for position, key in positions.items() if position < len(row)}
        if all(is_blank(value) for value in values.values()):
            continue
        if len(found) == MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(MAX_ROWS, force_grouping=True)}
            )
        found.append((number, values))
    if not found:
        raise ImportFileError(_("The file has column names but no rows of LKS under them."))
    notices = [
        _("Column “%(column)s” is not one of the template's (or repeats one) and was ignored.")
        % {"column": column.title}
        for column in layout.unmapped
    ]
    return Sheet(layout=layout, rows=found, notices=notices)

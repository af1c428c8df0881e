"""Uploaded XLSX workbooks, checked before they are read so that none can take the
server's memory.

An XLSX file is a zip archive of XML parts. A few hundred kilobytes can unpack to
gigabytes (a "zip bomb"), and openpyxl holds some parts whole: the shared strings, the
styles, and the text of every cell it reads. ``check_xlsx`` looks at the archive
before anything parses it:

- the size each part declares once unpacked, against a limit per kind of part (Python's
  zipfile never unpacks more than a part declares, so the declared size is a bound);
- how many times a part unpacks its packed size: office programs pack XML 5 to 20 times,
  a bomb a thousand;
- the longest text or tag of every XML part, read in chunks, so that no cell's text
  longer than Excel's own limit (32,767 characters) is ever held.

``capped_rows`` then stops reading at a number of rows and at a cell longer than
Excel's limit. The limits are generous for a register of 20,000 LKS and a few dozen
columns; what passes them is read in well under 200 MB.
"""

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MIB = 1024 * 1024
# Declared unpacked sizes. Worksheets are read as a stream; the shared strings are held
# as one list; every other XML part (styles, workbook, relations) is parsed whole.
MAX_WORKSHEET_BYTES = 96 * MIB
MAX_SHARED_STRINGS_BYTES = 16 * MIB
MAX_OTHER_XML_BYTES = 8 * MIB
MAX_TOTAL_BYTES = 160 * MIB
MAX_PARTS = 2000
# Unpacked ÷ packed, for parts of more than RATIO_CHECKED_FROM_BYTES.
MAX_RATIO = 100
RATIO_CHECKED_FROM_BYTES = 1 * MIB
# Excel's own limit for the text of one cell.
MAX_CELL_CHARACTERS = 32_767
# The longest run of XML between two "<": a cell's text, written as UTF-8 with entities
# (an "&" is 5 bytes), or one tag with its attributes.
MAX_XML_RUN_BYTES = MAX_CELL_CHARACTERS * 6
MAX_SHEET_ROWS = 100_000
CHUNK_BYTES = 1 * MIB

XML_SUFFIXES = (".xml", ".rels", ".vml")


class SpreadsheetError(Exception):
    """The workbook is not read; the message says why, in the user's language."""


def _limit_of(name: str) -> int | None:
    lowered = name.lower()
    if lowered.startswith("xl/worksheets/") and lowered.endswith(".xml"):
        return MAX_WORKSHEET_BYTES
    if lowered == "xl/sharedstrings.xml":
        return MAX_SHARED_STRINGS_BYTES
    if lowered.endswith(XML_SUFFIXES):
        return MAX_OTHER_XML_BYTES
    return None  # pictures and other parts openpyxl leaves alone: the total bounds them


def _too_large(part: str, size: int, limit: int) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "The workbook is too large once unpacked (“%(part)s” is %(size)s; at most "
            "%(limit)s). Copy only the rows of LKS into a new workbook, or save them as "
            "CSV, and upload that."
        )
        % {"part": part, "size": filesizeformat(size), "limit": filesizeformat(limit)}
    )


def _longest_run(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """The longest stretch of an XML part without a "<", read a chunk at a time: a
    stretch is a text (a cell's, a shared string's) or one tag."""
    longest = carried = 0
    with archive.open(info) as part:
        while chunk := part.read(CHUNK_BYTES):
            pieces = chunk.split(b"<")
            if len(pieces) == 1:
                carried += len(chunk)
                longest = max(longest, carried)
            else:
                longest = max(longest, carried + len(pieces[0]), *map(len, pieces[1:-1]))
                carried = len(pieces[-1])
                longest = max(longest, carried)
            if longest > MAX_XML_RUN_BYTES:
                break
    return longest


def check_xlsx(content: bytes | BinaryIO) -> None:
    """Raise SpreadsheetError unless the XLSX workbook can be read safely.

    Only the archive's directory and a streamed pass over its XML are read: nothing is
    parsed, and memory stays at one chunk whatever the file claims.
    """
    source = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise SpreadsheetError(
            _("The file is damaged or is not an Excel workbook (.xlsx).")
        ) from error
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise SpreadsheetError(
                _("The workbook has too many parts (%(count)s) to be an Excel workbook.")
                % {"count": number_format(len(parts), force_grouping=True)}
            )
        total = 0
        for info in parts:
            limit = _limit_of(info.filename)
            if limit is not None and info.file_size > limit:
                raise _too_large(info.filename, info.file_size, limit)
            total += info.file_size
            if total > MAX_TOTAL_BYTES:
                raise _too_large(info.filename, total, MAX_TOTAL_BYTES)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_CHECKED_FROM_BYTES and ratio > MAX_RATIO:
                raise SpreadsheetError(
                    _(
                        "The workbook is packed unusually: “%(part)s” unpacks to %(ratio)s "
                        "times its size, as files made to overload a server do. Save the "
                        "rows of LKS as a new workbook or as CSV and upload that."
                    )
                    % {"part": info.filename, "ratio": number_format(int(ratio))}
                )
        for info in parts:
            if not info.filename.lower().endswith(XML_SUFFIXES):
                continue
            try:
                longest = _longest_run(archive, info)
            except (
                zipfile.BadZipFile,
                OSError,
                EOFError,
                NotImplementedError,
                RuntimeError,
            ) as error:
                raise SpreadsheetError(
                    _("The file is damaged or is not an Excel workbook (.xlsx).")
                ) from error
            if longest > MAX_XML_RUN_BYTES:
                raise _cell_too_long(row=None)


def _cell_too_long(*, row: int | None) -> SpreadsheetError:
    limit = number_format(MAX_CELL_CHARACTERS, force_grouping=True)
    if row is None:
        message = _(
            "A cell of the workbook holds more than %(limit)s characters, more than Excel "
            "itself allows. Check the file, or save it again from Excel."
        ) % {"limit": limit}
    else:
        message = _(
            "Row %(row)s has a cell of more than %(limit)s characters, more than Excel "
            "itself allows. Check the file, or save it again from Excel."
        ) % {"row": row, "limit": limit}
    return SpreadsheetError(message)


def capped_rows(rows: Iterable[Iterable], *, max_rows: int = MAX_SHEET_ROWS) -> Iterator[list]:
    """The rows of a sheet as lists, stopping with SpreadsheetError after ``max_rows``
    rows (empty ones count: reading them takes time all the same) or at a text cell
    longer than Excel allows."""
    for number, row in enumerate(rows, start=1):
        if number > max_rows:
            raise SpreadsheetError(
                _("The sheet has more than %(limit)s rows. Split it into smaller files.")
                % {"limit": number_format(max_rows, force_grouping=True)}
            )
        cells = list(row)
        if any(isinstance(cell, str) and len(cell) > MAX_CELL_CHARACTERS for cell in cells):
            raise _cell_too_long(row=number)
        yield cells

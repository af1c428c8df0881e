"""Lists downloaded as spreadsheets (XLSX and CSV), streamed.

Every list page has an export at ``<list url>export/?format=xlsx|csv`` that takes the
list's own filter parameters and downloads exactly the rows the list shows: the export
view is the list view with another response (``ListExportMixin``), so scoping, filters
and order cannot drift apart.

Memory stays flat however long the list: rows are read with ``iterator(chunk_size=…)``;
CSV is written row by row into a ``StreamingHttpResponse``; XLSX is written by
openpyxl's write-only workbook (which keeps rows in its own temporary file) into a
spooled temporary file that ``FileResponse`` then streams.

Both formats are made for Excel as Indonesian offices use it: CSV separated by ``;``
(Excel reads a comma as the decimal separator in an Indonesian locale), UTF-8 with a
BOM, dates as 16/10/2024, whole numbers without thousands separators, every field in
double quotes. A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading single quote, so that a spreadsheet never runs it as a
formula; numbers and dates are written as typed cells and are never changed.

A list longer than ``EXPORT_ROWS_IN_REQUEST`` rows, and the XLSX of a list of more than
one body, is not written in the request (a 100,000-row XLSX takes minutes): the request
counts the rows and starts a job, which writes the same file with ``write_export`` and
offers it on the job's page. The job replays the list for its user (``replay_list``),
so that it exports no more than the list shows them. What starts the job is registered
by the app that runs jobs (``register_background``): the ground imports no app.
"""

import csv
import datetime
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest
from django.db.models import Model
from django.http import FileResponse, HttpRequest, QueryDict, StreamingHttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.styles import Font

from lkks import access

FORMATS = ("xlsx", "csv")
CSV_DELIMITER = ";"
DATE_FORMAT = "%d/%m/%Y"
DATETIME_FORMAT = "%d/%m/%Y %H:%M"
XLSX_DATE_FORMAT = "DD/MM/YYYY"
XLSX_DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
XLSX_WHOLE_NUMBER_FORMAT = "#,##0"
XLSX_DECIMAL_FORMAT = "#,##0.0#"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 2000
# Kept in memory up to this size, then rolled over to a file on disk.
SPOOL_BYTES = 4 * 1024 * 1024


def neutralise(text: str) -> str:
    """A text that a spreadsheet will show as text: one that would start a formula
    gets a leading single quote."""
    if text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text


def unneutralise(text: str) -> str:
    """The text as it was before ``neutralise``: what an import reads back."""
    if len(text) > 1 and text[0] == "'" and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _local(moment: datetime.datetime) -> datetime.datetime:
    """A naive local time: spreadsheets know no time zones."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None)


@dataclass(frozen=True)
class Strong:
    """A value to stand out: bold in XLSX (such as the best of a comparison row), plain
    in CSV."""

    value: Any


def csv_value(value: Any) -> str:
    if isinstance(value, Strong):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(DATETIME_FORMAT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_FORMAT)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal | float):
        if value == int(value):
            return str(int(value))
        # A decimal comma, as Excel reads it in Indonesian.
        return f"{value:.2f}".replace(".", ",")
    return neutralise(str(value))


def xlsx_cell(sheet, value: Any) -> Any:
    """A typed cell: numbers and dates as such (with a display format), text
    neutralised."""
    if isinstance(value, Strong):
        cell = xlsx_cell(sheet, value.value)
        if not isinstance(cell, Cell):
            cell = WriteOnlyCell(sheet, value=cell)
        cell.font = Font(bold=True)
        return cell
    if value is None:
        return None
    if isinstance(value, bool):
        return _yes_no(value)
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(sheet, value=_local(value))
        cell.number_format = XLSX_DATETIME_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = XLSX_DATE_FORMAT
        return cell
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        cell = WriteOnlyCell(sheet, value=value)
        whole = value == int(value)
        cell.number_format = XLSX_WHOLE_NUMBER_FORMAT if whole else XLSX_DECIMAL_FORMAT
        return cell
    return neutralise(str(value))


class _Echo:
    """A file-like object whose write() hands back what it was given, so that
    csv.writer can produce one line at a time."""

    def write(self, value):
        return value


def csv_lines(headers: Sequence[str], rows: Iterable[Sequence]) -> Iterator[str]:
    """The CSV file, a line at a time, the BOM first."""
    # Every field quoted: opened where the list separator is a comma, a name such as
    # "Yayasan X,=2*21," stays one cell instead of splitting into a formula.
    writer = csv.writer(_Echo(), delimiter=CSV_DELIMITER, quoting=csv.QUOTE_ALL)
    yield "\ufeff" + writer.writerow([neutralise(str(header)) for header in headers])
    for row in rows:
        yield writer.writerow([csv_value(value) for value in row])


def csv_response(*, headers: Sequence[str], rows: Iterable[Sequence], filename: str):
    language = translation.get_language()
    headers = [str(header) for header in headers]

    def lines() -> Iterator[str]:
        # The rows are read while the response is sent, after the view returned: keep
        # the language of the request for the labels they contain.
        with translation.override(language):
            yield from csv_lines(headers, rows)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_workbook(*, headers: Sequence[str], rows: Iterable[Sequence], title: str) -> Workbook:
    """A write-only workbook of one sheet: the headers in bold and frozen, then the
    rows (written to openpyxl's own temporary file as they come)."""
    workbook = Workbook(write_only=True)
    # A sheet title is at most 31 characters and has no []:*?/\ in it.
    sheet = workbook.create_sheet(title=_sheet_title(title))
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=neutralise(str(header)))
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        sheet.append([xlsx_cell(sheet, value) for value in row])
    return workbook


def xlsx_response(
    *, headers: Sequence[str], rows: Iterable[Sequence], filename: str, title: str = ""
):
    workbook = xlsx_workbook(headers=headers, rows=rows, title=title or filename)
    # Not a context manager: the response closes the file once it is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    workbook.save(spool)
    spool.seek(0)
    response = FileResponse(spool, as_attachment=True, filename=f"{filename}.xlsx")
    response["Content-Type"] = XLSX_CONTENT_TYPE
    return response


def _sheet_title(text: str) -> str:
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in text).strip()
    return cleaned[:31] or "Sheet"


def export_response(
    *,
    file_format: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    filename: str,
    title: str = "",
):
    """The rows as a streamed download in ``file_format`` (``xlsx`` or ``csv``)."""
    if file_format == "csv":
        return csv_response(headers=headers, rows=rows, filename=filename)
    if file_format == "xlsx":
        return xlsx_response(headers=headers, rows=rows, filename=filename, title=title)
    raise ValueError(f"unknown export format {file_format!r}")


def write_export(
    path, *, file_format: str, headers: Sequence[str], rows: Iterable[Sequence], title: str
) -> None:
    """The same file as ``export_response`` gives, written to ``path`` (by a job)."""
    if file_format == "csv":
        with open(path, "w", encoding="utf-8", newline="") as target:
            target.writelines(csv_lines(headers, rows))
    elif file_format == "xlsx":
        xlsx_workbook(headers=headers, rows=rows, title=title).save(path)
    else:
        raise ValueError(f"unknown export format {file_format!r}")


# Exports written by a job

# Rows written between two reports of a job's progress.
PROGRESS_ROWS = 500
_background = None


def register_background(start: Callable) -> None:
    """Called by the app that runs jobs (in its ``AppConfig.ready``):
    ``start(request, view=…, body=…, file_format=…, filename=…)`` starts a job that
    exports the list of ``view`` and returns the response that leads to it."""
    global _background
    _background = start


def runs_in_background(*, rows: int, bodies: int, file_format: str) -> bool:
    """Whether an export is written by a job rather than in the request: one of more
    than ``EXPORT_ROWS_IN_REQUEST`` rows, or the XLSX of more than one body (a
    provincial or national list, slow to write whatever its length)."""
    if rows > settings.EXPORT_ROWS_IN_REQUEST:
        return True
    return file_format == "xlsx" and bodies > 1


def counted(rows: Iterable, *, total: int, progress: Callable) -> Iterator:
    """The rows, reporting ``progress(done, total)`` every ``PROGRESS_ROWS``."""
    progress(0, total)
    done = 0
    for done, row in enumerate(rows, start=1):
        if done % PROGRESS_ROWS == 0:
            progress(done, total)
        yield row
    progress(done, max(total, done))


class ExportRefused(Exception):  # noqa: N818 (the name says what happened)
    """The user may no longer read the list; the message says so."""


def replayed_request(*, user, body_slug: str, query: str) -> HttpRequest:
    """A GET request of ``user``, working in the body ``body_slug``, with the list's
    query string: what a job replays a list with."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    request.session = {access.SESSION_BODY_KEY: body_slug}
    return request


def replay_list(view_class, *, user, body_slug: str, query: str):
    """The export view of a list set up for ``user`` as they asked for it: their body,
    their filters, scoped by what they may read now. ExportRefused when the body is no
    longer theirs."""
    request = replayed_request(user=user, body_slug=body_slug, query=query)
    if access.user_body(request, body_slug) is None:
        raise ExportRefused(_("Your account no longer reads this body's records."))
    view = view_class()
    view.setup(request)
    return view


def write_list_export(view, *, path, file_format: str, progress: Callable) -> None:
    """Write the export of a replayed list view (``replay_list``) to ``path``."""
    queryset = view.export_filtered_queryset()
    total = queryset.count()
    records = view.export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE)
    write_export(
        path,
        file_format=file_format,
        headers=view.export_headers(),
        rows=(
            view.export_row(record) for record in counted(records, total=total, progress=progress)
        ),
        title=view.export_name,
    )


@dataclass(frozen=True)
class Column:
    """One column of an export: its heading and how a record gives its value."""

    header: Any
    value: Callable[[Any], Any]


def field_column(model: type[Model], path: str, header: Any = None) -> Column:
    """A column of a model field, following ``__`` through foreign keys: headed by the
    field's verbose name; a choice is written as its label, a related record as its
    name."""
    names = path.split("__")
    field_model = model
    for name in names[:-1]:
        field_model = field_model._meta.get_field(name).related_model
    field = field_model._meta.get_field(names[-1])

    def value(record):
        for name in names[:-1]:
            record = getattr(record, name)
            if record is None:
                return None
        if field.choices:
            return getattr(record, f"get_{field.name}_display")()
        found = getattr(record, field.name)
        return str(found) if field.is_relation and found is not None else found

    return Column(header if header is not None else capfirst(field.verbose_name), value)


class ListExportMixin:
    """Turns a list view (``lkks.generic.RecordListView``) into its export.

    The list's own ``get_queryset`` and FilterSet choose the rows; ``format`` picks
    XLSX (the default) or CSV. Subclasses give ``export_columns`` (or override
    ``export_headers``/``export_row``), ``export_name`` and, when the rows need more
    than the list joins, ``export_queryset``. A long list is exported by a job (see
    ``runs_in_background``): the request only counts its rows.
    """

    export_columns: Sequence[Column] = ()
    export_name = "export"

    def get(self, request, *args, **kwargs):
        file_format = request.GET.get("format", "xlsx")
        if file_format not in FORMATS:
            raise BadRequest("unknown export format")
        queryset = self.export_filtered_queryset()
        body = access.current_body(request)
        name = f"{self.export_name}-{body.slug if body else 'lkks'}-{timezone.localdate():%Y-%m-%d}"
        # A list is one body's: only its length sends it to a job.
        if _background is not None and runs_in_background(
            rows=queryset.count(), bodies=1, file_format=file_format
        ):
            return _background(
                request, view=self, body=body, file_format=file_format, filename=name
            )
        records = self.export_queryset(queryset).iterator(chunk_size=CHUNK_SIZE)
        return export_response(
            file_format=file_format,
            headers=self.export_headers(),
            rows=(self.export_row(record) for record in records),
            filename=name,
            title=self.export_name,
        )

    def export_filtered_queryset(self):
        """The list's rows under its filters (none when a strict filter is invalid)."""
        self.filterset = self.get_filterset(self.get_filterset_class())
        if not self.filterset.is_bound or self.filterset.is_valid() or not self.get_strict():
            return self.filterset.qs
        return self.filterset.queryset.none()

    def export_list_url(self) -> str:
        """The list page the export was asked from, with its filters."""
        query = self.request.GET.copy()
        query.pop("format", None)
        path = self.request.path.removesuffix("export/")
        return f"{path}?{query.urlencode()}" if query else path

    def export_queryset(self, queryset):
        return queryset

    def export_headers(self) -> list:
        return [column.header for column in self.export_columns]

    def export_row(self, record) -> list:
        return [column.value(record) for column in self.export_columns]

"""Import of the LKS register from a spreadsheet (XLSX or CSV), and the same
spreadsheet as an export.

``import_preview`` reads a file and says, row by row, what importing it would do and
what is wrong with it; ``import_commit`` reads and checks the file again and imports
it, in one transaction, only when no row is wrong. Nothing of the preview is trusted:
the register may have changed since.

How a file is read
- XLSX (the first sheet) or CSV in UTF-8 (with or without BOM) or Windows-1252,
  separated by ``,``, ``;`` or tabs. The header is the first row (of the first ten)
  with a column name of the template, so that a title above it does no harm; row
  numbers are the spreadsheet's own (the header of the template is row 1).
- Headers are matched ignoring case, spaces and punctuation (``COLUMNS``, with a few
  common variants). Only ``Nama LKS`` and ``Kecamatan`` are required; unknown columns
  are ignored with a notice.
- Dates as 16/10/2024, 16-10-2024, 2024-10-16, 16 Oktober 2024 or an Excel date.
  Kecamatan and desa are matched to the regions of the body's regency, ignoring case,
  spaces, punctuation and prefixes (``Kapanewon Turi`` = ``Turi``).

What a row does
- An LKS is matched by its registration number within the body, else by its name
  (ignoring case, spaces and punctuation) within the same kecamatan; otherwise it is
  new. Two rows of one file about the same LKS are an error on both.
- An empty cell leaves the field of an existing LKS as it is (and empty on a new one):
  a spreadsheet with fewer columns never wipes what the register knows.
- ``Terdaftar`` (or ``Kedaluwarsa``) records a registration, which needs its number,
  issue date and valid-until date. There is no default validity: a guessed expiry
  date would silently decide the LKS's status and its reminders.
  ``Proses`` records an application dated by ``Tanggal Terbit`` (else today), or
  corrects the pending one. ``Belum Terdaftar`` writes nothing: an import never
  removes or revokes a registration (the preview says so when the register has one).
- A grade with ``Tanggal Akreditasi`` records an accreditation valid for the default
  years of its grade (A 5, B 3, C 2).
- Whatever is already recorded exactly is left alone, so that importing a file twice,
  or importing an export, changes nothing and adds no history.

Why not one service call per row: members.services validates every record with
``full_clean``, and Django checks each CheckConstraint with a database query; that is
about 10 ms per row, 100 s for 10,000 rows. Here every record is still checked by the
models' own rules (``full_clean`` for fields and ``clean()``, the same
``Meta.constraints`` evaluated in Python, registration numbers against the body's
numbers loaded once), then written in bulk with its history. The database constraints
remain the last guard: should one fail, the whole import is rolled back.
"""

import csv
import datetime
import io
import operator
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import DatabaseError, models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lkks.exports import unneutralise
from lkks.models import Body, Region
from members.models import Accreditation, Organisation, Registration, RegistrationStatus

MAX_ROWS = 20_000
HEADER_SEARCH_ROWS = 10
MAX_COLUMNS = 60
BATCH_SIZE = 1000


# The columns of the register spreadsheet


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    aliases: tuple[str, ...] = ()


COLUMNS = (
    Column("name", "Nama LKS", required=True, aliases=("Nama", "Nama Lembaga")),
    Column("kind", "Jenis", aliases=("Jenis LKS",)),
    Column("district", "Kecamatan", required=True, aliases=("Kapanewon", "Kemantren")),
    Column("village", "Desa/Kelurahan", aliases=("Desa", "Kelurahan", "Kalurahan")),
    Column("address", "Alamat"),
    Column("chairperson", "Ketua", aliases=("Nama Ketua",)),
    Column("phone", "Telepon", aliases=("Telp", "No. Telepon", "HP", "No. HP")),
    Column("email", "Email", aliases=("Alamat Email",)),
    Column("number", "No. Tanda Daftar", aliases=("Nomor Tanda Daftar",)),
    Column("issued_on", "Tanggal Terbit"),
    Column("valid_until", "Berlaku Sampai"),
    Column("status", "Status Tanda Daftar"),
    Column("grade", "Akreditasi"),
    Column("accredited_on", "Tanggal Akreditasi"),
    Column("client_count", "Jumlah Klien"),
)
HEADERS = [column.header for column in COLUMNS]
HEADER_OF = {column.key: column.header for column in COLUMNS}

KIND_LABELS = {
    Organisation.Kind.LKSA: "LKSA",
    Organisation.Kind.ELDERLY: "LKS Lanjut Usia",
    Organisation.Kind.DISABILITY: "LKS Disabilitas",
    Organisation.Kind.NAPZA: "LKS NAPZA",
    Organisation.Kind.OTHER: "LKS Lainnya",
}
# Words that say the kind, tried in this order (a "disabilitas anak" LKS serves
# persons with disabilities).
KIND_WORDS = [
    (Organisation.Kind.NAPZA, ("napza", "narkoba", "narkotika", "adiksi")),
    (
        Organisation.Kind.ELDERLY,
        ("lanjut usia", "lansia", "usia lanjut", "jompo", "wreda", "werdha", "werda"),
    ),
    (Organisation.Kind.DISABILITY, ("disabilitas", "difabel", "penyandang cacat", "cacat")),
    (Organisation.Kind.LKSA, ("lksa", "anak", "panti asuhan")),
    (Organisation.Kind.OTHER, ("lainnya", "lain", "lain lain", "umum")),
]

# What the register spreadsheet says for each current registration status.
STATUS_LABELS = {
    RegistrationStatus.REGISTERED: "Terdaftar",
    RegistrationStatus.IN_PROCESS: "Proses",
    RegistrationStatus.EXPIRED: "Kedaluwarsa",
    RegistrationStatus.UNREGISTERED: "Belum Terdaftar",
}
REGISTERED, SUBMITTED, NOT_REGISTERED = "registered", "submitted", "none"
STATUS_WORDS = {
    "terdaftar": REGISTERED,
    "sudah terdaftar": REGISTERED,
    "kedaluwarsa": REGISTERED,
    "kadaluarsa": REGISTERED,
    "kadaluwarsa": REGISTERED,
    "habis berlaku": REGISTERED,
    "proses": SUBMITTED,
    "dalam proses": SUBMITTED,
    "diproses": SUBMITTED,
    "diajukan": SUBMITTED,
    "pengajuan": SUBMITTED,
    "belum": NOT_REGISTERED,
    "belum terdaftar": NOT_REGISTERED,
    "tidak terdaftar": NOT_REGISTERED,
}
NO_GRADE_WORDS = {"", "belum", "belum terakreditasi", "tidak", "tidak terakreditasi", "-"}
NO_GRADE_LABEL = "Belum"

DISTRICT_PREFIXES = ("kecamatan", "kec", "kapanewon", "kemantren", "distrik")
VILLAGE_PREFIXES = ("desa", "ds", "kelurahan", "kel", "kalurahan", "nagari", "kampung")

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januari", "jan", "january"),
            ("februari", "feb", "pebruari", "february"),
            ("maret", "mar", "march"),
            ("april", "apr"),
            ("mei", "may"),
            ("juni", "jun", "june"),
            ("juli", "jul", "july"),
            ("agustus", "agu", "agt", "ags", "aug", "august"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct", "october"),
            ("november", "nov", "nop", "nopember"),
            ("desember", "des", "dec", "december"),
        ],
        start=1,
    )
    for name in names
}
EXCEL_EPOCH = datetime.date(1899, 12, 30)
DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
YEAR_MONTH_DAY = re.compile(
    r"(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?"
)
DAY_MONTH_NAME_YEAR = re.compile(r"(\d{1,2})[ \-]([^\W\d_]+)\.?[ \-](\d{4})")
# Cells that people fill with a dash to say "none".
BLANK_MARKS = {"-", "--", "–", "—", "_"}
WHOLE_NUMBER = re.compile(r"-?\d{1,3}(?:([.,])\d{3})?(?:\1\d{3})*|-?\d+")


def header_key(text: str) -> str:
    """A header as it is compared: letters and digits only, lower case."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return "".join(char for char in text if char.isalnum())


def name_key(text: str) -> str:
    """A name as it is compared: lower case, punctuation as spaces, single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(char if char.isalnum() else " " for char in text)
    return " ".join(text.split())


def number_key(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


def region_key(text: str, prefixes: tuple[str, ...]) -> str:
    """A region's name without the word for its level (``Kapanewon Turi`` → ``turi``)."""
    words = name_key(text).split()
    if len(words) > 1 and words[0] in prefixes:
        words = words[1:]
    return " ".join(words)


COLUMN_BY_KEY = {
    key: column
    for column in COLUMNS
    for key in (header_key(column.header), *(header_key(alias) for alias in column.aliases))
}


# Reading the file


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


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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
        keys = [header_key(str(value)) if not _is_blank(value) else "" for value in row]
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
        if all(_is_blank(value) for value in values.values()):
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


# Reading one cell


class CellError(Exception):
    pass


def text_value(value) -> str:
    """A cell as text, as people typed it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone or number typed into a number cell
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    text = unneutralise(str(value).strip())
    return "" if text in BLANK_MARKS else text


def date_value(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial_date(value, value)
    text = text_value(value)
    if not text:
        return None
    if text.isdigit() and len(text) == 5:  # an Excel date saved as its number
        return _serial_date(int(text), text)
    day = month = year = None
    if match := DAY_MONTH_YEAR.fullmatch(text):
        day, month, year = match.groups()
    elif match := YEAR_MONTH_DAY.fullmatch(text):
        year, month, day = match.groups()
    elif match := DAY_MONTH_NAME_YEAR.fullmatch(text):
        day, month, year = match[1], MONTHS.get(match[2].casefold()), match[3]
    if month is not None:
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            pass
    raise CellError(_("“%(value)s” is not a date. Write it as 16/10/2024.") % {"value": text})


def _serial_date(serial, shown) -> datetime.date:
    # Excel counts days from 30 December 1899; 2958465 is 31 December 9999.
    if not 1 <= serial <= 2958465:
        raise CellError(_("“%(value)s” is not a date. Write it as 16/10/2024.") % {"value": shown})
    return EXCEL_EPOCH + datetime.timedelta(days=int(serial))


def whole_number_value(value) -> int | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
        if isinstance(value, float) and not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    else:
        text = text_value(value).replace(" ", "")
        if not text:
            return None
        if not WHOLE_NUMBER.fullmatch(text):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": text})
        number = int(text.replace(".", "").replace(",", ""))
    if number < 0:
        raise CellError(_("The number cannot be negative."))
    return int(number)


def kind_value(value) -> str | None:
    text = text_value(value)
    words = f" {name_key(text)} "
    if not words.strip():
        return None
    for kind, keywords in KIND_WORDS:
        if any(f" {keyword} " in words for keyword in keywords):
            return kind
    raise CellError(
        _("“%(value)s” is not a kind of LKS. Write one of: %(choices)s.")
        % {"value": text, "choices": ", ".join(KIND_LABELS.values())}
    )


def status_value(value) -> str | None:
    text = text_value(value)
    if not name_key(text):
        return None
    status = STATUS_WORDS.get(name_key(text))
    if status is None:
        raise CellError(
            _(
                "“%(value)s” is not a registration status. Write Terdaftar, Proses or "
                "Belum Terdaftar."
            )
            % {"value": text}
        )
    return status


def grade_value(value) -> str | None:
    text = name_key(text_value(value))
    if text in NO_GRADE_WORDS:
        return None
    words = [word for word in text.split() if word not in ("akreditasi", "terakreditasi")]
    if words and words[0] in ("a", "b", "c"):
        return words[0].upper()
    raise CellError(
        _("“%(value)s” is not a grade. Write A, B, C or Belum.") % {"value": text_value(value)}
    )


# What the body's register holds now, loaded once per import


class Register:
    """The body's LKS, registrations, accreditations and regions, in dictionaries, so
    that matching 10,000 rows takes a few queries, not one per row."""

    def __init__(self, body: Body, today: datetime.date):
        self.body = body
        self.today = today
        regions = list(
            Region.objects.filter(Q(parent=body.regency_id) | Q(parent__parent=body.regency_id))
        )
        self.regions = {region.pk: region for region in regions}
        self.districts = defaultdict(list)  # name key → kecamatan
        self.villages = defaultdict(lambda: defaultdict(list))  # kecamatan id → name key → desa
        for region in regions:
            if region.level == Region.Level.DISTRICT:
                self.districts[region_key(region.name, DISTRICT_PREFIXES)].append(region)
            else:
                region.parent = self.regions[region.parent_id]  # for Organisation.clean()
                self.villages[region.parent_id][region_key(region.name, VILLAGE_PREFIXES)].append(
                    region
                )

        self.organisations = {}
        self.by_name = defaultdict(list)
        for organisation in Organisation.objects.for_body(body).with_status(on=today):
            organisation.body = body
            self.organisations[organisation.pk] = organisation
            self.by_name[(name_key(organisation.name), organisation.district_id)].append(
                organisation
            )
        self.registrations = defaultdict(list)
        self.by_number = {}
        for registration in Registration.objects.for_body(body).order_by("pk"):
            self.registrations[registration.organisation_id].append(registration)
            if registration.number:
                self.by_number[number_key(registration.number)] = registration
        self.accreditations = defaultdict(list)
        for accreditation in Accreditation.objects.for_body(body).order_by("pk"):
            self.accreditations[accreditation.organisation_id].append(accreditation)

    def latest_registration(self, organisation):
        """The record that speaks last (as ``with_status`` orders them)."""
        records = [
            record
            for record in self.registrations.get(organisation.pk, [])
            if record.record_date and record.record_date <= self.today
        ]
        return max(records, key=lambda r: (r.record_date, r.pk), default=None)


# The plan of an import


@dataclass
class RowError:
    row: int
    column: str
    message: str


CREATE, UPDATE, UNCHANGED, INVALID = "create", "update", "unchanged", "invalid"


@dataclass
class RowPlan:
    """What one row of the file does."""

    row: int
    name: str
    action: str = UNCHANGED
    changes: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    organisation: Organisation | None = None
    organisation_fields: list[str] = field(default_factory=list)
    registration: Registration | None = None
    registration_fields: list[str] | None = None  # None: a new record
    accreditation: Accreditation | None = None
    accreditation_fields: list[str] | None = None


@dataclass
class ImportPlan:
    body: Body
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, INVALID), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def errors_by_row(self) -> dict[int, list[RowError]]:
        grouped = defaultdict(list)
        for error in self.errors:
            grouped[error.row].append(error)
        return grouped


# Checking records with the models' rules


COMPARISONS = {
    "": operator.eq,
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
}


def _evaluate(condition: Q, instance) -> bool | None:
    """The value of a constraint's condition for an unsaved instance, with SQL's
    three-valued logic (a comparison with NULL is unknown, and a CHECK passes unless
    it is false). Lookups other than the ones the register's models use raise
    NotImplementedError, and the caller asks the database instead."""
    results = []
    for child in condition.children:
        if isinstance(child, Q):
            results.append(_evaluate(child, instance))
            continue
        lookup, expected = child
        name, _separator, lookup_name = lookup.partition("__")
        actual = getattr(instance, instance._meta.get_field(name).attname)
        if isinstance(expected, F):
            expected = getattr(instance, instance._meta.get_field(expected.name).attname)
        elif not isinstance(expected, str | int | datetime.date | None):
            raise NotImplementedError(lookup)
        if lookup_name == "isnull":
            results.append((actual is None) == expected)
        elif lookup_name not in COMPARISONS:
            raise NotImplementedError(lookup)
        elif actual is None or expected is None:
            results.append(None)
        else:
            results.append(COMPARISONS[lookup_name](actual, expected))
    if condition.connector == Q.OR:
        value = True if True in results else (None if None in results else False)
    else:
        value = False if False in results else (None if None in results else True)
    if condition.negated and value is not None:
        value = not value
    return value


def model_errors(instance, *, exclude) -> dict[str, list[str]]:
    """The messages of the model's own rules for an unsaved record: field validation,
    ``clean()`` and its check constraints. Uniqueness is the caller's (it knows the
    whole file)."""
    errors = defaultdict(list)
    try:
        instance.full_clean(exclude=exclude, validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name].extend(messages)
    for constraint in instance._meta.constraints:
        if not isinstance(constraint, models.CheckConstraint):
            continue
        try:
            failed = _evaluate(constraint.condition, instance) is False
        except NotImplementedError:
            try:
                constraint.validate(type(instance), instance)
                failed = False
            except ValidationError:
                failed = True
        if failed:
            name = getattr(constraint, "field", NON_FIELD_ERRORS)
            message = str(constraint.get_violation_error_message())
            if message not in errors[name]:
                errors[name].append(message)
    return errors


# The fields of an LKS that the spreadsheet gives, each in the column of the same key.
ORGANISATION_FIELDS = [
    "name",
    "kind",
    "district",
    "village",
    "address",
    "chairperson",
    "phone",
    "email",
    "client_count",
]
# Where a record's error is shown: model field → column key.
ORGANISATION_COLUMNS = {NON_FIELD_ERRORS: "name"} | {name: name for name in ORGANISATION_FIELDS}
REGISTRATION_COLUMNS = {
    NON_FIELD_ERRORS: "status",
    "number": "number",
    "issued_on": "issued_on",
    "submitted_on": "issued_on",
    "valid_until": "valid_until",
    "status": "status",
}
ACCREDITATION_COLUMNS = {
    NON_FIELD_ERRORS: "grade",
    "grade": "grade",
    "accredited_on": "accredited_on",
    "valid_until": "accredited_on",
    "status": "grade",
}
# How each column's cells are read (text unless named here).
READERS = {
    "kind": kind_value,
    "issued_on": date_value,
    "valid_until": date_value,
    "accredited_on": date_value,
    "status": status_value,
    "grade": grade_value,
    "client_count": whole_number_value,
}
ORGANISATION_EXCLUDE = ["body", "district", "village", "logo", "target_groups"]
RECORD_EXCLUDE = ["organisation", "body", "document"]


# Planning


class Planner:
    def __init__(self, *, body: Body, sheet: Sheet, today: datetime.date):
        self.body = body
        self.sheet = sheet
        self.today = today
        self.register = Register(body, today)
        self.plan = ImportPlan(body=body, notices=list(sheet.notices))
        self.rows_with_errors = set()

    def error(self, row, key, message):
        self.plan.errors.append(RowError(row=row, column=HEADER_OF.get(key, ""), message=message))
        self.rows_with_errors.add(row)

    def run(self) -> ImportPlan:
        cleaned = [(number, self.clean_row(number, cells)) for number, cells in self.sheet.rows]
        matches = self.match(cleaned)
        for number, values in cleaned:
            row = RowPlan(row=number, name=values.get("name") or "")
            self.plan.rows.append(row)
            if number not in self.rows_with_errors:
                self.plan_row(row, values, matches.get(number))
            if number in self.rows_with_errors:
                row.action = INVALID
        self.plan.errors.sort(key=lambda error: error.row)
        return self.plan

    # Cells

    def clean_row(self, number, cells) -> dict[str, Any]:
        values = {}
        for key, raw in cells.items():
            try:
                values[key] = READERS.get(key, text_value)(raw)
            except CellError as error:
                self.error(number, key, str(error))
        if not values.get("name") and "name" in values:
            self.error(number, "name", _("The name of the LKS is missing."))
        if not values.get("district") and "district" in values:
            self.error(number, "district", _("The kecamatan is missing."))
        elif values.get("district"):
            self.resolve_regions(number, values)
        return values

    def resolve_regions(self, number, values):
        regency = self.body.regency.name
        found = self.register.districts.get(region_key(values["district"], DISTRICT_PREFIXES))
        if not found:
            self.error(
                number,
                "district",
                _("“%(value)s” is not a kecamatan of %(regency)s.")
                % {"value": values["district"], "regency": regency},
            )
            values["district"] = None
            return
        district = found[0]
        values["district"] = district
        if values.get("village"):
            villages = self.register.villages[district.pk].get(
                region_key(values["village"], VILLAGE_PREFIXES), []
            )
            if len(villages) != 1:
                message = (
                    _("“%(value)s” is not a desa/kelurahan of kecamatan %(district)s.")
                    if not villages
                    else _("Kecamatan %(district)s has several villages called “%(value)s”.")
                )
                self.error(
                    number,
                    "village",
                    message % {"value": values["village"], "district": district.name},
                )
                values["village"] = None
            else:
                values["village"] = villages[0]

    # Which LKS each row is about

    def match(self, cleaned) -> dict[int, Organisation | None]:
        by_number, by_name, by_lks = defaultdict(list), defaultdict(list), defaultdict(list)
        for number, values in cleaned:
            if values.get("number"):
                by_number[number_key(values["number"])].append(number)
            if values.get("name") and values.get("district"):
                by_name[(name_key(values["name"]), values["district"].pk)].append(number)
        self._same_key(by_number, "number", _("Row %(rows)s has the same registration number."))
        self._same_key(
            by_name, "name", _("Row %(rows)s has the same LKS name in the same kecamatan.")
        )
        matches = {}
        for number, values in cleaned:
            organisation = None
            registration = self.register.by_number.get(number_key(values.get("number") or ""))
            if registration is not None:
                organisation = self.register.organisations[registration.organisation_id]
            elif values.get("name") and values.get("district"):
                key = (name_key(values["name"]), values["district"].pk)
                found = self.register.by_name.get(key, [])
                if len(found) > 1:
                    self.error(
                        number,
                        "name",
                        _(
                            "The register has %(count)s LKS of this name in this kecamatan; "
                            "give the registration number to say which one."
                        )
                        % {"count": len(found)},
                    )
                    continue
                organisation = found[0] if found else None
            matches[number] = organisation
            if organisation is not None:
                by_lks[organisation.pk].append(number)
        for rows in by_lks.values():
            if len(rows) > 1:
                for number in rows:
                    others = ", ".join(str(other) for other in rows if other != number)
                    self.error(
                        number,
                        "name",
                        _("Row %(rows)s is about the same LKS of the register.") % {"rows": others},
                    )
        return matches

    def _same_key(self, groups, key, message):
        for rows in groups.values():
            if len(set(rows)) > 1:
                for number in rows:
                    others = ", ".join(str(other) for other in rows if other != number)
                    self.error(number, key, message % {"rows": others})

    # What each row writes

    def plan_row(self, row: RowPlan, values, organisation):
        created = organisation is None
        if created:
            organisation = Organisation(
                body=self.body,
                name=values["name"],
                kind=values.get("kind") or Organisation.Kind.OTHER,
                district=values["district"],
                village=values.get("village") or None,
                address=values.get("address") or "",
                chairperson=values.get("chairperson") or "",
                phone=values.get("phone") or "",
                email=values.get("email") or "",
                client_count=values.get("client_count") or 0,
            )
            row.action = CREATE
            row.changes.append(_("New LKS"))
        else:
            self.update_organisation(row, organisation, values)
        row.organisation = organisation
        if created or row.organisation_fields:
            self.check(row, organisation, ORGANISATION_EXCLUDE, ORGANISATION_COLUMNS)
        self.plan_registration(row, organisation, values, created)
        self.plan_accreditation(row, organisation, values, created)
        if row.action == UNCHANGED and (
            row.organisation_fields or row.registration is not None or row.accreditation is not None
        ):
            row.action = UPDATE

    def update_organisation(self, row, organisation, values):
        # The regions already loaded, so that Organisation.clean() asks no query.
        for name in ("district", "village"):
            region = self.register.regions.get(getattr(organisation, f"{name}_id"))
            if region is not None:
                setattr(organisation, name, region)
        wanted = {
            key: values[key] for key in ORGANISATION_FIELDS if values.get(key) not in (None, "")
        }
        if "district" in wanted and wanted["district"].pk != organisation.district_id:
            # A village of the old kecamatan cannot stay.
            wanted.setdefault("village", None)
        changed = []
        for key, value in wanted.items():
            current = getattr(organisation, key)
            if key in ("district", "village"):
                if (current.pk if current else None) == (value.pk if value else None):
                    continue
            elif current == value:
                continue
            setattr(organisation, key, value)
            changed.append(key)
        if changed:
            row.organisation_fields = changed
            labels = [str(Organisation._meta.get_field(key).verbose_name) for key in changed]
            row.changes.append(_("Changed: %(fields)s") % {"fields": ", ".join(labels)})

    def check(self, row, instance, exclude, columns):
        for name, messages in model_errors(instance, exclude=exclude).items():
            key = columns.get(name, "")
            for message in messages:
                self.error(row.row, key, message)

    def plan_registration(self, row, organisation, values, created):
        status = values.get("status")
        number = values.get("number") or ""
        issued_on, valid_until = values.get("issued_on"), values.get("valid_until")
        if status is None and (number or issued_on or valid_until):
            status = REGISTERED
        if status in (None, NOT_REGISTERED):
            if number or issued_on or valid_until:
                self.error(
                    row.row,
                    "status",
                    _(
                        "A registration number or date is given, but the status says the "
                        "LKS is not registered."
                    ),
                )
            elif (
                status == NOT_REGISTERED
                and not created
                and organisation.registration_status != RegistrationStatus.UNREGISTERED
            ):
                row.notices.append(
                    _("The register has a registration of this LKS; the import leaves it as it is.")
                )
            return
        existing = [] if created else self.register.registrations.get(organisation.pk, [])
        if status == REGISTERED:
            self.plan_registered(row, organisation, existing, number, issued_on, valid_until)
        else:
            self.plan_application(row, organisation, existing, number, issued_on, valid_until)

    def plan_registered(self, row, organisation, existing, number, issued_on, valid_until):
        missing = False
        for key, value, message in (
            ("number", number, _("A registered LKS needs its registration number.")),
            (
                "issued_on",
                issued_on,
                _("A registered LKS needs the date its registration was issued."),
            ),
            (
                "valid_until",
                valid_until,
                _("A registered LKS needs the date its registration is valid until."),
            ),
        ):
            if not value:
                self.error(row.row, key, message)
                missing = True
        if missing:
            return
        wanted = {
            "status": Registration.Status.REGISTERED,
            "number": number,
            "issued_on": issued_on,
            "valid_until": valid_until,
        }
        record = next((r for r in existing if number_key(r.number) == number_key(number)), None)
        if record is None:
            record = Registration(
                organisation=organisation,
                body=self.body,
                is_renewal=any(r.status == Registration.Status.REGISTERED for r in existing),
                **wanted,
            )
            row.registration, row.registration_fields = record, None
            row.changes.append(_("New registration %(number)s") % {"number": number})
        else:
            changed = [key for key, value in wanted.items() if getattr(record, key) != value]
            if not changed:
                return
            for key in changed:
                setattr(record, key, wanted[key])
            row.registration, row.registration_fields = record, changed
            row.changes.append(_("Registration %(number)s corrected") % {"number": number})
        if valid_until < self.today:
            row.notices.append(_("The registration has expired."))
        self.check_registration(row, record)

    def plan_application(self, row, organisation, existing, number, submitted_on, valid_until):
        if valid_until:
            self.error(
                row.row,
                "valid_until",
                _("A registration in process has no valid-until date yet."),
            )
            return
        # A number of one of the LKS's own records only says which LKS the row is
        # about (an application for renewal is filed under the old number).
        own_numbers = {number_key(record.number): record for record in existing if record.number}
        latest = self.register.latest_registration(organisation) if existing else None
        if latest is not None and latest.status == Registration.Status.SUBMITTED:
            wanted = {}
            if submitted_on and latest.record_date != submitted_on:
                wanted["submitted_on"] = submitted_on
            if (
                number
                and latest.number != number
                and own_numbers.get(number_key(number), latest) is latest
            ):
                wanted["number"] = number
            if not wanted:
                return
            for key, value in wanted.items():
                setattr(latest, key, value)
            row.registration, row.registration_fields = latest, list(wanted)
            row.changes.append(_("Pending registration application corrected"))
        else:
            row.registration = Registration(
                organisation=organisation,
                body=self.body,
                status=Registration.Status.SUBMITTED,
                number="" if number_key(number) in own_numbers else number,
                submitted_on=submitted_on or self.today,
                is_renewal=any(r.status == Registration.Status.REGISTERED for r in existing),
            )
            row.registration_fields = None
            row.changes.append(_("New registration application"))
        self.check_registration(row, row.registration)

    def check_registration(self, row, record):
        key = number_key(record.number)
        holder = self.register.by_number.get(key) if key else None
        if holder is not None and holder.pk != record.pk:
            self.error(row.row, "number", _("This registration number is already used."))
        self.check(row, record, RECORD_EXCLUDE, REGISTRATION_COLUMNS)

    def plan_accreditation(self, row, organisation, values, created):
        grade, accredited_on = values.get("grade"), values.get("accredited_on")
        if grade is None:
            if accredited_on:
                self.error(row.row, "grade", _("Give the grade (A, B or C) of this accreditation."))
            elif "grade" in values and not created and organisation.accreditation_grade is not None:
                row.notices.append(
                    _(
                        "The register has an accreditation of this LKS; the import leaves "
                        "it as it is."
                    )
                )
            return
        if not accredited_on:
            self.error(row.row, "accredited_on", _("Give the date of the accreditation."))
            return
        existing = [] if created else self.register.accreditations.get(organisation.pk, [])
        record = next(
            (
                r
                for r in existing
                if r.status == Accreditation.Status.ACCREDITED and r.accredited_on == accredited_on
            ),
            None,
        )
        valid_until = Accreditation.default_valid_until(grade, accredited_on)
        if record is None:
            record = Accreditation(
                organisation=organisation,
                status=Accreditation.Status.ACCREDITED,
                grade=grade,
                accredited_on=accredited_on,
                valid_until=valid_until,
            )
            row.accreditation, row.accreditation_fields = record, None
            row.changes.append(_("New accreditation %(grade)s") % {"grade": grade})
        elif record.grade != grade:
            record.grade, record.valid_until = grade, valid_until
            row.accreditation, row.accreditation_fields = record, ["grade", "valid_until"]
            row.changes.append(_("Accreditation grade corrected to %(grade)s") % {"grade": grade})
        else:
            return
        self.check(row, record, RECORD_EXCLUDE, ACCREDITATION_COLUMNS)


def _plan(*, body: Body, content: bytes, today: datetime.date | None = None) -> ImportPlan:
    sheet = read_sheet(content=content)
    return Planner(body=body, sheet=sheet, today=today or timezone.localdate()).run()


def import_preview(*, body: Body, content: bytes) -> ImportPlan:
    """What importing the file would do, row by row, and every error; writes nothing.
    Raises ImportFileError when the file as a whole cannot be read."""
    return _plan(body=body, content=content)


class ImportConflictError(Exception):
    """The database refused the import (someone changed the register meanwhile);
    nothing was written."""


@transaction.atomic
def import_commit(*, body: Body, content: bytes, user=None) -> ImportPlan:
    """Read, check and import the file in one transaction: everything or, when any row
    has an error, nothing (the returned plan has ``written`` False and the errors).
    Raises ImportFileError for a file that cannot be read, ImportConflictError when the
    database refuses a write."""
    # One import of a body at a time: the rows are checked against the register as it
    # is under this lock.
    Body.objects.select_for_update().filter(pk=body.pk).first()
    plan = _plan(body=body, content=content)
    if plan.errors:
        return plan
    try:
        with transaction.atomic():
            _write(plan, user)
    except DatabaseError as error:
        raise ImportConflictError(
            _(
                "The register changed while the file was being imported; nothing was "
                "imported. Try again."
            )
        ) from error
    plan.written = True
    return plan


def _write(plan: ImportPlan, user):
    now = timezone.now()
    history = {"batch_size": BATCH_SIZE, "default_user": user, "default_date": now}
    new, changed = [], []
    fields = set()
    for row in plan.rows:
        if row.action == CREATE:
            new.append(row.organisation)
        elif row.organisation_fields:
            row.organisation.updated_at = now
            changed.append(row.organisation)
            fields.update(row.organisation_fields)
    if new:
        bulk_create_with_history(new, Organisation, **history)
    if changed:
        bulk_update_with_history(changed, Organisation, [*sorted(fields), "updated_at"], **history)
    for model, attribute in ((Registration, "registration"), (Accreditation, "accreditation")):
        new, changed, fields = [], [], set()
        for row in plan.rows:
            record = getattr(row, attribute)
            if record is None:
                continue
            record.organisation = row.organisation  # now saved, with its id
            changed_fields = getattr(row, f"{attribute}_fields")
            if changed_fields is None:
                new.append(record)
            else:
                record.updated_at = now
                changed.append(record)
                fields.update(changed_fields)
        if new:
            bulk_create_with_history(new, model, **history)
        if changed:
            bulk_update_with_history(changed, model, [*sorted(fields), "updated_at"], **history)


# The register as a spreadsheet: the export that imports back unchanged


def export_queryset(queryset):
    """The LKS of a list (already ``with_status``), with what ``export_row`` reads."""
    return queryset.select_related("district", "village").prefetch_related(
        "registrations", "accreditations"
    )


def export_row(organisation, *, today: datetime.date | None = None) -> list:
    """One LKS as a row of ``HEADERS``: the registration and accreditation that decide
    its current status, so that importing the row finds them already recorded."""
    today = today or timezone.localdate()
    status = organisation.registration_status
    registration = _current_registration(organisation, status, today)
    accreditation = _current_accreditation(organisation, today)
    number = issued_on = valid_until = None
    if registration is not None:
        number = registration.number
        issued_on = registration.record_date
        valid_until = registration.valid_until if status != RegistrationStatus.IN_PROCESS else None
    return [
        organisation.name,
        KIND_LABELS.get(organisation.kind, organisation.kind),
        organisation.district.name,
        organisation.village.name if organisation.village else "",
        organisation.address,
        organisation.chairperson,
        organisation.phone,
        organisation.email,
        number,
        issued_on,
        valid_until,
        STATUS_LABELS[status],
        accreditation.grade if accreditation else NO_GRADE_LABEL,
        accreditation.accredited_on if accreditation else None,
        organisation.client_count,
    ]


def _current_registration(organisation, status, today):
    records = list(organisation.registrations.all())
    if status == RegistrationStatus.REGISTERED:
        valid = [record for record in records if record.is_valid_on(today)]
        return max(valid, key=lambda r: (r.issued_on, r.pk), default=None)
    if status in (RegistrationStatus.IN_PROCESS, RegistrationStatus.EXPIRED):
        dated = [r for r in records if r.record_date and r.record_date <= today]
        return max(dated, key=lambda r: (r.record_date, r.pk), default=None)
    return None


def _current_accreditation(organisation, today):
    valid = [record for record in organisation.accreditations.all() if record.is_valid_on(today)]
    return max(valid, key=lambda r: (r.accredited_on, r.pk), default=None)


def template_rows(*, body: Body) -> list[list]:
    """One example row for the downloadable template, with a real kecamatan and desa
    of the body's regency so that the template itself imports."""
    district = Region.objects.districts().filter(parent=body.regency_id).order_by("code").first()
    village = (
        Region.objects.villages().filter(parent=district).order_by("code").first()
        if district
        else None
    )
    return [
        [
            "Panti Asuhan Contoh",
            KIND_LABELS[Organisation.Kind.LKSA],
            district.name if district else "",
            village.name if village else "",
            "Jl. Contoh No. 1",
            "Budi Santoso",
            "0812-3456-7890",
            "panti.contoh@example.org",
            "460/0001/TD/2024",
            datetime.date(2024, 1, 15),
            datetime.date(2029, 1, 15),
            STATUS_LABELS[RegistrationStatus.REGISTERED],
            "B",
            datetime.date(2024, 3, 1),
            25,
        ]
    ]

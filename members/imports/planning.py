"""Planning: what each row of a file will create or change, and what is wrong with it,
row by row and column by column. Planning writes nothing.

- An empty cell leaves the field of an existing LKS as it is (and empty on a new one):
  a spreadsheet with fewer columns never wipes what the register knows.
- Whatever is already recorded exactly is left alone, so that importing a file twice,
  or importing an export, changes nothing and adds no history.
- Every record is checked by the models' own rules (``checking``), and registration
  numbers against the body's numbers loaded once (``matching.Register``).
- Address parts (street, RT, RW) join into the address, RT and RW kept: "Jl. Melati
  3, RT 002/RW 005". Free-text services give the kind (when they say one kind and no
  kind column does) and target groups, which are added, never removed; their unknown
  words are listed (``ImportPlan.unknown_words``) for the staff to say what they mean.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils import timezone
from django.utils.translation import gettext as _

from lkks.models import Body
from members.imports.cells import (
    CellError,
    date_value,
    grade_value,
    kind_value,
    presence_value,
    status_value,
    text_value,
    whole_number_value,
)
from members.imports.fields import DOCUMENT_NAMES, HEADER_OF, ISSUED_ON, PARTS, STATUS, VALID_UNTIL
from members.imports.mapping import shape_of
from members.imports.matching import Register, name_key
from members.imports.reading import Layout, Sheet, lay_out, open_sheet, read_rows
from members.imports.records import RecordPlanning
from members.imports.vocabulary import Vocabulary, terms_value
from members.models import (
    Accreditation,
    ImportMapping,
    LegalDocument,
    Organisation,
    Registration,
    TargetGroup,
)


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
    documents: list[tuple[LegalDocument, list[str] | None]] = field(default_factory=list)
    target_groups: list[TargetGroup] = field(default_factory=list)  # to add


@dataclass
class UnknownWord:
    word: str  # as first typed
    rows: list[int]


@dataclass
class ImportPlan:
    body: Body
    layout: Layout | None = None
    rows: list[RowPlan] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    unknown_words: dict[str, UnknownWord] = field(default_factory=dict)  # by name key
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((CREATE, UPDATE, UNCHANGED, INVALID), 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    def record_counts(self) -> list[tuple[str, int, int]]:
        """For each kind of record: its name, how many the import adds and how many it
        changes."""
        counts = defaultdict(lambda: [0, 0])
        for row in self.rows:
            if row.action == INVALID:
                continue
            organisation_fields = None if row.action == CREATE else row.organisation_fields
            records = [
                (Organisation, row.organisation, organisation_fields),
                (Registration, row.registration, row.registration_fields),
                (Accreditation, row.accreditation, row.accreditation_fields),
                *((LegalDocument, document, fields) for document, fields in row.documents),
            ]
            for model, record, fields in records:
                if record is not None and fields != []:
                    counts[model._meta.verbose_name_plural][fields is not None] += 1
            if row.target_groups:
                counts[_("target groups")][0] += len(row.target_groups)
        return [(str(name), new, changed) for name, (new, changed) in counts.items()]

    def errors_by_row(self) -> dict[int, list[RowError]]:
        grouped = defaultdict(list)
        for error in self.errors:
            grouped[error.row].append(error)
        return grouped


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
# How each column's cells are read (text unless named here).
READERS = {
    "kind": kind_value,
    "issued_on": date_value,
    "valid_until": date_value,
    "accredited_on": date_value,
    "status": status_value,
    "grade": grade_value,
    "client_count": whole_number_value,
    "accreditation_valid_until": date_value,
    "services": terms_value,
}
READERS |= {
    PARTS[kind][part]: date_value for kind in DOCUMENT_NAMES for part in (ISSUED_ON, VALID_UNTIL)
} | {PARTS[kind][STATUS]: presence_value for kind in DOCUMENT_NAMES}
ORGANISATION_EXCLUDE = ["body", "district", "village", "logo", "target_groups"]


# Rows planned between two reports of progress (to an import's job).
PROGRESS_ROWS = 200


class Planner(RecordPlanning):
    def __init__(self, *, body: Body, sheet: Sheet, today: datetime.date, progress=None):
        self.body = body
        self.progress = progress
        self.sheet = sheet
        self.today = today
        self.register = Register(body, today)
        mapping = sheet.layout.mapping
        self.vocabulary = Vocabulary(mapping.words if mapping else None)
        self.plan = ImportPlan(body=body, layout=sheet.layout, notices=list(sheet.notices))
        self.rows_with_errors = set()
        self.titles = {c.field: c.shown_as for c in sheet.layout.columns if c.field}

    def error(self, row, key, message):
        column = self.titles.get(key) or HEADER_OF.get(key, "")
        self.plan.errors.append(RowError(row=row, column=column, message=message))
        self.rows_with_errors.add(row)

    def report(self, done: int):
        """Progress, when asked for: each row is read, then planned."""
        total = 2 * len(self.sheet.rows)
        if self.progress is not None and (done % PROGRESS_ROWS == 0 or done == total):
            self.progress(done, total)

    def run(self) -> ImportPlan:
        cleaned = []
        for done, (number, cells) in enumerate(self.sheet.rows, start=1):
            cleaned.append((number, self.clean_row(number, cells)))
            self.report(done)
        matches, errors = self.register.match(cleaned)
        for number, key, message in errors:
            self.error(number, key, message)
        for done, (number, values) in enumerate(cleaned, start=len(cleaned) + 1):
            self.report(done)
            row = RowPlan(row=number, name=values.get("name") or "")
            self.plan.rows.append(row)
            if number not in self.rows_with_errors:
                self.plan_row(row, values, matches.get(number))
            if number in self.rows_with_errors:
                row.action = INVALID
        self.plan.errors.sort(key=lambda error: error.row)
        return self.plan

    def clean_row(self, number, cells) -> dict[str, Any]:
        values = {}
        for key, raw in cells.items():
            try:
                values[key] = READERS.get(key, text_value)(raw)
            except CellError as error:
                self.error(number, key, str(error))
        self.join_address(values)
        if "services" in values:
            self.read_services(number, values)
        if not values.get("name") and "name" in values:
            self.error(number, "name", _("The name of the LKS is missing."))
        if not values.get("district") and "district" in values:
            self.error(number, "district", _("The kecamatan is missing."))
        elif values.get("district"):
            for key, message in self.register.resolve_regions(values):
                self.error(number, key, message)
        return values

    def join_address(self, values):
        street, rt, rw = (values.pop(key, "") for key in ("address", "rt", "rw"))
        neighbourhood = values.pop("rt_rw", "")
        if rt or rw:
            neighbourhood = "/".join(
                part for part in (rt and f"RT {rt}", rw and f"RW {rw}") if part
            )
        elif neighbourhood:
            neighbourhood = f"RT/RW {neighbourhood}"
        if street or neighbourhood:
            values["address"] = ", ".join(part for part in (street, neighbourhood) if part)

    def read_services(self, number, values):
        kinds, groups, unknown = self.vocabulary.read(values.pop("services"))
        for term in unknown:
            word = self.plan.unknown_words.setdefault(name_key(term), UnknownWord(term, []))
            word.rows.append(number)
        if len(kinds) == 1 and not values.get("kind"):
            values["kind"] = kinds.pop()
        values["target_groups"] = groups

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
        self.plan_documents(row, organisation, values, created)
        self.plan_target_groups(row, organisation, values, created)
        if row.action == UNCHANGED and (
            row.organisation_fields
            or row.registration is not None
            or row.accreditation is not None
            or row.documents
            or row.target_groups
        ):
            row.action = UPDATE

    def plan_target_groups(self, row, organisation, values, created):
        served = set() if created else self.register.target_groups[organisation.pk]
        added = sorted(
            (group for group in values.get("target_groups", ()) if group.pk not in served),
            key=lambda group: group.name,
        )
        if added:
            row.target_groups = added
            names = ", ".join(group.name for group in added)
            row.changes.append(_("Target groups added: %(groups)s") % {"groups": names})

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


def read_layout(*, body: Body, content: bytes, mapping: ImportMapping | None = None):
    """The file's layout (its columns and the fields they fill, by the given mapping,
    else by the body's mapping for files of its shape, else by their titles) and the
    numbered rows under its header."""
    header, rows = open_sheet(content)
    if mapping is None:
        saved = ImportMapping.objects.for_body(body).of_shape(shape_of(header.titles))
        mapping = saved.first()
    return lay_out(header, mapping), rows


def plan_file(
    *,
    body: Body,
    content: bytes,
    mapping: ImportMapping | None = None,
    today: datetime.date | None = None,
    progress=None,
) -> ImportPlan:
    """The plan of a file; ``progress(done, total)`` is told how far it is."""
    sheet = read_rows(*read_layout(body=body, content=content, mapping=mapping))
    planner = Planner(
        body=body, sheet=sheet, today=today or timezone.localdate(), progress=progress
    )
    return planner.run()


def import_preview(*, body: Body, content: bytes, mapping: ImportMapping | None = None):
    """What importing the file would do, row by row, and every error; writes nothing.
    Raises ImportFileError when the file as a whole cannot be read."""
    return plan_file(body=body, content=content, mapping=mapping)

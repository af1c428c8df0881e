"""Planning: what each row of a file will create or change, and what is wrong with it,
row by row and column by column. Planning writes nothing.

- An empty cell leaves the field of an existing LKS as it is (and empty on a new one):
  a spreadsheet with fewer columns never wipes what the register knows.
- Whatever is already recorded exactly is left alone, so that importing a file twice,
  or importing an export, changes nothing and adds no history.
- Every record is checked by the models' own rules (``checking``), and registration
  numbers against the body's numbers loaded once (``matching.Register``).
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
    status_value,
    text_value,
    whole_number_value,
)
from members.imports.matching import HEADER_OF, Register
from members.imports.reading import Sheet, read_sheet
from members.imports.records import RecordPlanning
from members.models import Accreditation, Organisation, Registration


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
}
ORGANISATION_EXCLUDE = ["body", "district", "village", "logo", "target_groups"]


class Planner(RecordPlanning):
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
        matches, errors = self.register.match(cleaned)
        for number, key, message in errors:
            self.error(number, key, message)
        for number, values in cleaned:
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
        if not values.get("name") and "name" in values:
            self.error(number, "name", _("The name of the LKS is missing."))
        if not values.get("district") and "district" in values:
            self.error(number, "district", _("The kecamatan is missing."))
        elif values.get("district"):
            for key, message in self.register.resolve_regions(values):
                self.error(number, key, message)
        return values

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


def plan_file(*, body: Body, content: bytes, today: datetime.date | None = None) -> ImportPlan:
    sheet = read_sheet(content=content)
    return Planner(body=body, sheet=sheet, today=today or timezone.localdate()).run()


def import_preview(*, body: Body, content: bytes) -> ImportPlan:
    """What importing the file would do, row by row, and every error; writes nothing.
    Raises ImportFileError when the file as a whole cannot be read."""
    return plan_file(body=body, content=content)

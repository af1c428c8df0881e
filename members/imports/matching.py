"""Matching: the file's columns to the register's fields, names as they are compared,
and each row to the LKS of the register it is about.

- A column's title is matched to a field ignoring case, spaces and punctuation, by
  the field's names (``fields``), else by its words: the record it names ("Izin
  Operasional", or a two-row header's group title "TANDA DAFTAR YAYASAN") and the part
  of it ("Nomor", "Masa Berlaku - Sampai", "Instansi Yang Menerbitkan"). A saved
  mapping of the body for files of the same column titles comes before both.
  Numbering columns ("No") fill nothing.
- Kecamatan and desa are matched to the regions of the body's regency, ignoring case,
  spaces, punctuation and prefixes (``Kapanewon Turi`` = ``Turi``).
- An LKS is matched by its registration number within the body, else by its name
  (ignoring case, spaces and punctuation) within the same kecamatan; otherwise it is
  new. Two rows of one file about the same LKS are an error on both.
"""

import datetime
import unicodedata
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from lkks.models import Body, Region
from members.imports.fields import (
    ACCREDITATION,
    FIELDS,
    HEADER_OF,
    ISSUED_ON,
    ISSUER,
    NUMBER,
    PARTS,
    REGISTRATION,
    STATUS,
    VALID_UNTIL,
    field_label,
)
from members.models import Accreditation, LegalDocument, Organisation, Registration

# Names as they are compared


DISTRICT_PREFIXES = ("kecamatan", "kec", "kapanewon", "kemantren", "distrik")
VILLAGE_PREFIXES = ("desa", "ds", "kelurahan", "kel", "kalurahan", "nagari", "kampung")


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


# Which field each column of a file fills

# How a column's field was found: by one of the field's names, by the words of its
# title (and its group's), by the saved mapping; a numbering column, or a column whose
# field an earlier column already fills.
NAME, WORDS, SAVED, NUMBERING, REPEATED = "name", "words", "saved", "numbering", "repeated"
FIELD_BY_NAME = {
    header_key(name): column.key
    for column in FIELDS.values()
    for name in (column.header, *column.aliases)
}
NUMBERING_TITLES = {"no", "no urut", "nomor", "nomor urut", "urut"}
# Words that say which record a column (or a group of columns) is about, tried in order.
RECORD_WORDS = [
    (REGISTRATION, ("tanda daftar", "tanda terdaftar")),
    (ACCREDITATION, ("akreditasi", "terakreditasi", "balks")),
    (LegalDocument.Kind.BUSINESS_NUMBER, ("nib", "nomor induk berusaha", "induk berusaha")),
    (LegalDocument.Kind.TAX_NUMBER, ("npwp",)),
    (LegalDocument.Kind.DOMICILE, ("domisili", "skd")),
    (LegalDocument.Kind.KEMENKUMHAM_DECREE, ("kemenkumham", "kumham", "badan hukum")),
    (LegalDocument.Kind.DEED, ("akta", "akte", "notaris")),
    (LegalDocument.Kind.OPERATING_PERMIT, ("izin", "ijin")),
]
# Words that say which part of a record a column holds, tried in order.
PART_WORDS = [
    (ISSUER, ("instansi", "penerbit", "menerbitkan", "dikeluarkan", "pejabat")),
    (ISSUED_ON, ("mulai", "dari", "sejak", "terbit", "tmt")),
    (VALID_UNTIL, ("sampai", "s d", "sd", "hingga", "berakhir", "akhir", "berlaku", "habis")),
    (ISSUED_ON, ("tanggal", "tgl")),
    (NUMBER, ("no", "nomor", "nomer")),
    (STATUS, ("status", "keterangan", "ket", "ada", "nilai", "peringkat", "predikat", "hasil")),
]
# The part a column titled by its record alone ("NPWP", "Izin Operasional") holds.
WHOLE_RECORD_PART = {ACCREDITATION: STATUS}
GROUP_SEPARATOR = " · "


def _first(table, text):
    words = f" {name_key(text)} "
    return next(
        (value for value, phrases in table if any(f" {p} " in words for p in phrases)), None
    )


def field_of(title: str, group: str = "") -> tuple[str | None, str]:
    """The field a column's title (under a group title, for a two-row header) names,
    and how that was found; (None, "") when nothing tells."""
    if group:
        record = _first(RECORD_WORDS, group)
        if record is None:
            found = field_of(title)
            if found[0] is None:
                found = field_of(f"{group} {title}")
            return (found[0], WORDS) if found[0] else found
        part = _first(PART_WORDS, title)
        return (PARTS[record].get(part), WORDS) if part else (None, "")
    if header_key(title) in FIELD_BY_NAME:
        return FIELD_BY_NAME[header_key(title)], NAME
    if name_key(title) in NUMBERING_TITLES:
        return None, NUMBERING
    record = _first(RECORD_WORDS, title)
    if record is None:
        return None, ""
    part = _first(PART_WORDS, title) or WHOLE_RECORD_PART.get(record, NUMBER)
    return PARTS[record].get(part), WORDS


@dataclass
class SourceColumn:
    """A titled column of the file, and the field it fills (None: none)."""

    position: int
    group: str
    name: str
    field: str | None = None
    how: str = ""

    @property
    def title(self) -> str:
        return f"{self.group}{GROUP_SEPARATOR}{self.name}" if self.group else self.name

    @property
    def field_label(self):
        return field_label(self.field) if self.field else ""

    @property
    def shown_as(self) -> str:
        """The column as an error names it: by our name when the file's is a spelling
        of it, else as the file names it."""
        return HEADER_OF[self.field] if self.how == NAME else self.title


def map_columns(titles, saved: dict[str, str] | None = None) -> list[SourceColumn]:
    """Each titled column of a file's header ((group, title) per position) with the
    field it fills: as the saved mapping says (by the column's title), else as the
    title says. A field is filled by its first column only."""
    columns, taken = [], set()
    for position, (group, name) in enumerate(titles):
        column = SourceColumn(position, group, name)
        if not name_key(column.title):
            continue
        chosen = (saved or {}).get(name_key(column.title))
        if chosen is not None:
            column.field, column.how = (chosen, SAVED) if chosen in FIELDS else (None, SAVED)
        else:
            column.field, column.how = field_of(name, group)
        if column.field in taken:
            column.field, column.how = None, REPEATED
        elif column.field:
            taken.add(column.field)
        columns.append(column)
    return columns


# What the body's register holds now, loaded once per import


class Register:
    """The body's LKS with their records and target groups, and the regions, in
    dictionaries, so that matching 10,000 rows takes a few queries, not one per row."""

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
        self.documents = defaultdict(list)
        # An upload awaiting verification (or refused) is the LKS's word, not the
        # register's: the import neither finds nor corrects it.
        for document in LegalDocument.objects.for_body(body).verified().order_by("pk"):
            self.documents[document.organisation_id].append(document)
        self.target_groups = defaultdict(set)
        served = Organisation.target_groups.through.objects.filter(organisation__body=body)
        for organisation_id, group_id in served.values_list("organisation_id", "targetgroup_id"):
            self.target_groups[organisation_id].add(group_id)

    def latest_registration(self, organisation):
        """The record that speaks last (as ``with_status`` orders them)."""
        records = [
            record
            for record in self.registrations.get(organisation.pk, [])
            if record.record_date and record.record_date <= self.today
        ]
        return max(records, key=lambda r: (r.record_date, r.pk), default=None)

    def resolve_regions(self, values) -> list[tuple[str, str]]:
        """Put the kecamatan and desa of a row's values in place of their names; the
        (column key, message) of each that the regency does not have."""
        regency = self.body.regency.name
        found = self.districts.get(region_key(values["district"], DISTRICT_PREFIXES))
        if not found:
            message = _("“%(value)s” is not a kecamatan of %(regency)s.") % {
                "value": values["district"],
                "regency": regency,
            }
            values["district"] = None
            return [("district", message)]
        district = found[0]
        values["district"] = district
        if not values.get("village"):
            return []
        villages = self.villages[district.pk].get(
            region_key(values["village"], VILLAGE_PREFIXES), []
        )
        if len(villages) == 1:
            values["village"] = villages[0]
            return []
        message = (
            _("“%(value)s” is not a desa/kelurahan of kecamatan %(district)s.")
            if not villages
            else _("Kecamatan %(district)s has several villages called “%(value)s”.")
        )
        message %= {"value": values["village"], "district": district.name}
        values["village"] = None
        return [("village", message)]

    def match(self, cleaned) -> tuple[dict[int, Organisation | None], list[tuple[int, str, str]]]:
        """Which LKS of the register each row of ``cleaned`` (row number, values) is
        about (None: a new one), and the (row, column key, message) of every row that
        cannot be matched or repeats another."""
        errors = []
        by_number, by_name, by_lks = defaultdict(list), defaultdict(list), defaultdict(list)
        for number, values in cleaned:
            if values.get("number"):
                by_number[number_key(values["number"])].append(number)
            if values.get("name") and values.get("district"):
                by_name[(name_key(values["name"]), values["district"].pk)].append(number)
        same_number = _("Row %(rows)s has the same registration number.")
        same_name = _("Row %(rows)s has the same LKS name in the same kecamatan.")
        errors += _repeated(by_number.values(), "number", same_number)
        errors += _repeated(by_name.values(), "name", same_name)
        matches = {}
        for number, values in cleaned:
            organisation = None
            registration = self.by_number.get(number_key(values.get("number") or ""))
            if registration is not None:
                organisation = self.organisations[registration.organisation_id]
            elif values.get("name") and values.get("district"):
                found = self.by_name.get((name_key(values["name"]), values["district"].pk), [])
                if len(found) > 1:
                    message = _(
                        "The register has %(count)s LKS of this name in this kecamatan; "
                        "give the registration number to say which one."
                    ) % {"count": len(found)}
                    errors.append((number, "name", message))
                    continue
                organisation = found[0] if found else None
            matches[number] = organisation
            if organisation is not None:
                by_lks[organisation.pk].append(number)
        same_lks = _("Row %(rows)s is about the same LKS of the register.")
        errors += _repeated(by_lks.values(), "name", same_lks)
        return matches, errors


def _repeated(groups, key, message) -> list[tuple[int, str, str]]:
    """An error on each row of every group of more than one row, naming the others."""
    errors = []
    for rows in groups:
        if len(set(rows)) > 1:
            for number in rows:
                others = ", ".join(str(other) for other in rows if other != number)
                errors.append((number, key, message % {"rows": others}))
    return errors

"""Matching: the file's columns to the register's fields, names as they are compared,
and each row to the LKS of the register it is about.

- Headers are matched ignoring case, spaces and punctuation (``COLUMNS``, with a few
  common variants).
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
from members.models import Accreditation, Organisation, Registration

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

DISTRICT_PREFIXES = ("kecamatan", "kec", "kapanewon", "kemantren", "distrik")
VILLAGE_PREFIXES = ("desa", "ds", "kelurahan", "kel", "kalurahan", "nagari", "kampung")


# Names as they are compared


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

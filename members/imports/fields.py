"""The fields a spreadsheet of LKS can fill, with the column names people give them.

``COLUMNS`` are the template's (and the export's) columns. ``FIELDS`` adds what other
registers keep: the issuer of the tanda daftar, RT and RW, services as free text, the
accreditation's certificate and end date, and the legal documents (number, dates,
issuer, and an "ada/tidak ada" status), each under the record it belongs to
(``Column.record``), so that the mapping page lists them by record and a two-row
header's group title ("TANDA DAFTAR YAYASAN") says which record its sub-columns are of.
"""

from dataclasses import dataclass

from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from members.models import Accreditation, LegalDocument, Organisation, Registration

LKS, REGISTRATION, ACCREDITATION = "lks", "registration", "accreditation"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the name of the column in our spreadsheets, in Indonesian
    required: bool = False
    aliases: tuple[str, ...] = ()
    record: str = LKS  # LKS, REGISTRATION, ACCREDITATION or a LegalDocument.Kind
    label: object = ""  # what the mapping page calls it (lazy)


def _label(model, name):
    return model._meta.get_field(name).verbose_name


def _lks(key, header, **options):
    return Column(key, header, label=_label(Organisation, key), **options)


def _registration(key, header, **options):
    return Column(key, header, record=REGISTRATION, label=_label(Registration, key), **options)


def _accreditation(key, header, name, **options):
    return Column(key, header, record=ACCREDITATION, label=_label(Accreditation, name), **options)


COLUMNS = (
    _lks("name", "Nama LKS", required=True, aliases=("Nama", "Nama Lembaga", "Nama Yayasan")),
    _lks("kind", "Jenis", aliases=("Jenis LKS",)),
    _lks("district", "Kecamatan", required=True, aliases=("Kapanewon", "Kemantren", "Kec")),
    _lks(
        "village",
        "Desa/Kelurahan",
        aliases=("Desa", "Kelurahan", "Kalurahan", "Kel", "Kelurahan/Desa", "Desa/Kel", "Kel/Desa"),
    ),
    _lks("address", "Alamat", aliases=("Jalan", "Alamat Jalan", "Nama Jalan", "Alamat Lengkap")),
    _lks("chairperson", "Ketua", aliases=("Nama Ketua", "Pimpinan", "Nama Pimpinan")),
    _lks(
        "phone",
        "Telepon",
        aliases=("Telp", "No. Telepon", "HP", "No. HP", "No. Telp/HP", "Telp/HP", "Kontak"),
    ),
    _lks("email", "Email", aliases=("Alamat Email", "E-mail")),
    _registration("number", "No. Tanda Daftar", aliases=("Nomor Tanda Daftar",)),
    _registration("issued_on", "Tanggal Terbit"),
    _registration("valid_until", "Berlaku Sampai"),
    _registration("status", "Status Tanda Daftar"),
    _accreditation("grade", "Akreditasi", "grade", aliases=("Status Akreditasi",)),
    _accreditation("accredited_on", "Tanggal Akreditasi", "accredited_on"),
    _lks(
        "client_count",
        "Jumlah Klien",
        aliases=("Jumlah Penerima Manfaat", "Jumlah PM", "Jumlah Binaan"),
    ),
)
HEADERS = [column.header for column in COLUMNS]

# A legal document's name in a header, for each kind the register keeps.
DOCUMENT_NAMES = {
    LegalDocument.Kind.OPERATING_PERMIT: "Izin Operasional",
    LegalDocument.Kind.DEED: "Akta Pendirian",
    LegalDocument.Kind.KEMENKUMHAM_DECREE: "SK Kemenkumham",
    LegalDocument.Kind.TAX_NUMBER: "NPWP",
    LegalDocument.Kind.DOMICILE: "Surat Domisili",
    LegalDocument.Kind.BUSINESS_NUMBER: "NIB",
}
# The parts of a record a column can hold (the sub-columns of a group).
NUMBER, ISSUED_ON, VALID_UNTIL, ISSUER, STATUS = (
    "number",
    "issued_on",
    "valid_until",
    "issuer",
    "status",
)
PRESENCE_LABEL = _("status (ada/tidak ada)")


def _documents():
    for kind, name in DOCUMENT_NAMES.items():
        for part, header, label in (
            (NUMBER, f"No. {name}", _label(LegalDocument, "number")),
            (ISSUED_ON, f"Tanggal {name}", _label(LegalDocument, "issued_on")),
            (VALID_UNTIL, f"{name} Berlaku Sampai", _label(LegalDocument, "valid_until")),
            (ISSUER, f"Penerbit {name}", _label(LegalDocument, "issuer")),
            (STATUS, f"Status {name}", PRESENCE_LABEL),
        ):
            yield Column(f"{kind}_{part}", header, record=kind, label=label)


FIELDS = {
    column.key: column
    for column in (
        *COLUMNS,
        Column("rt", "RT", label=_("RT")),
        Column("rw", "RW", label=_("RW")),
        Column("rt_rw", "RT/RW", label=_("RT/RW")),
        Column(
            "services",
            "Layanan",
            aliases=(
                "Jenis Layanan",
                "Bidang Layanan",
                "Pelayanan",
                "Jenis Pelayanan",
                "Bidang Pelayanan",
                "Sasaran",
                "Sasaran Layanan",
                "Sasaran Pelayanan",
            ),
            label=_("services (kinds and target groups, as free text)"),
        ),
        _registration("issuer", "Penerbit Tanda Daftar"),
        _accreditation("accreditation_number", "No. Sertifikat Akreditasi", "certificate_number"),
        _accreditation("accreditation_valid_until", "Akreditasi Berlaku Sampai", "valid_until"),
        *_documents(),
    )
}
HEADER_OF = {key: column.header for key, column in FIELDS.items()}
REQUIRED = [column for column in COLUMNS if column.required]

# The field of each part of a record, for the sub-columns of a group.
PARTS = {
    REGISTRATION: {
        NUMBER: "number",
        ISSUED_ON: "issued_on",
        VALID_UNTIL: "valid_until",
        ISSUER: "issuer",
        STATUS: "status",
    },
    ACCREDITATION: {
        NUMBER: "accreditation_number",
        ISSUED_ON: "accredited_on",
        VALID_UNTIL: "accreditation_valid_until",
        STATUS: "grade",
    },
} | {
    kind: {part: f"{kind}_{part}" for part in (NUMBER, ISSUED_ON, VALID_UNTIL, ISSUER, STATUS)}
    for kind in DOCUMENT_NAMES
}

RECORD_LABELS = {
    LKS: Organisation._meta.verbose_name,
    REGISTRATION: Registration._meta.verbose_name,
    ACCREDITATION: Accreditation._meta.verbose_name,
} | dict(LegalDocument.Kind.choices)


def field_choices() -> list:
    """Every field, grouped by the record it fills, as the choices of a form field (each
    named with its record, as a closed list shows only the choice)."""
    return [
        (
            capfirst(label),
            [(c.key, field_label(c.key)) for c in FIELDS.values() if c.record == record],
        )
        for record, label in RECORD_LABELS.items()
    ]


def field_label(key: str):
    """A field as the preview names it: its record's name, then its own."""
    column = FIELDS[key]
    if column.record == LKS:
        return capfirst(column.label)
    return format_lazy("{}: {}", capfirst(RECORD_LABELS[column.record]), column.label)

"""Reading one cell: text, dates, whole numbers and the register's words (kinds of
LKS, registration statuses, grades) as people type them.

Dates as 16/10/2024, 16-10-2024, 2024-10-16, 16 Oktober 2024 or an Excel date.
"""

import datetime
import re

from django.utils.translation import gettext as _

from lkks.exports import unneutralise
from members.imports.matching import name_key
from members.models import Organisation, RegistrationStatus


class CellError(Exception):
    pass


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
# "Ada" says there is a registration: a registered one when the row gives its number
# or dates, and nothing to record without them.
PRESENT = "present"
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
    "ada": PRESENT,
    "sudah ada": PRESENT,
    "tidak ada": NOT_REGISTERED,
    "belum ada": NOT_REGISTERED,
}
# What an "ada/tidak ada" column of a legal document says.
PRESENCE_WORDS = {
    "ada": True,
    "sudah ada": True,
    "ya": True,
    "sudah": True,
    "memiliki": True,
    "punya": True,
    "tidak ada": False,
    "belum ada": False,
    "tidak": False,
    "belum": False,
    "tidak memiliki": False,
    "belum memiliki": False,
}
NO_GRADE_WORDS = {"", "belum", "belum terakreditasi", "tidak", "tidak terakreditasi", "-"}
NO_GRADE_LABEL = "Belum"

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


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


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


def _word_value(value, words: dict, message: str):
    """What a cell's word means by ``words``; None for an empty cell. ``message`` says
    what to write instead of any other word."""
    text = text_value(value)
    if not name_key(text):
        return None
    meaning = words.get(name_key(text))
    if meaning is None:
        raise CellError(message % {"value": text})
    return meaning


def status_value(value) -> str | None:
    return _word_value(
        value,
        STATUS_WORDS,
        _("“%(value)s” is not a registration status. Write Terdaftar, Proses or Belum Terdaftar."),
    )


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


def presence_value(value) -> bool | None:
    return _word_value(
        value, PRESENCE_WORDS, _("“%(value)s” is not a status. Write Ada or Tidak Ada.")
    )

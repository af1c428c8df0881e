"""The pattern a body sets for the numbers of its outgoing letters, e.g.
``{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}`` → ``007/LKKS-KPR/REK/X/2024``.

Pure functions, without models, so that the Body's field can validate with them.
"""

import datetime
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

DEFAULT_LETTER_NUMBER_PATTERN = "{seq:03d}/LKKS/{kind}/{month_roman}/{year}"
FIELDS = {"seq", "kind", "month", "month_roman", "year"}
# Both must be in every pattern: the sequence restarts each year, so only the two
# together keep a number unique.
REQUIRED_FIELDS = {"seq", "year"}
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def letter_number(pattern: str, *, seq: int, kind: str, on: datetime.date) -> str:
    return pattern.format(
        seq=seq,
        kind=kind,
        month=on.month,
        month_roman=ROMAN_MONTHS[on.month - 1],
        year=on.year,
    )


def validate_letter_number_pattern(pattern):
    try:
        names = {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name}
    except ValueError:
        names = None
    if names is None or not names <= FIELDS:
        raise ValidationError(
            _("Use only the fields {seq}, {kind}, {month}, {month_roman} and {year}."),
            code="pattern_fields",
        )
    if not names >= REQUIRED_FIELDS:
        raise ValidationError(
            _("The pattern needs {seq} and {year}, or two letters could get one number."),
            code="pattern_required_fields",
        )
    try:
        letter_number(pattern, seq=1, kind="REK", on=datetime.date(2024, 10, 16))
    except (ValueError, TypeError, IndexError, KeyError):
        raise ValidationError(
            _("The pattern cannot be filled in, e.g. {seq:03d} for 001."), code="pattern_format"
        ) from None

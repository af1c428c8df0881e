"""Rupiah as people read it: Rp 1.128.000.000, or short: Rp 1,13 miliar, Rp 85 juta."""

from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext as _


def _group(digits):
    return f"{digits:,}".replace(",", ".")


def rupiah(value):
    """Rp 1.128.000.000; negative amounts as -Rp 5.000; None as an empty string."""
    if value is None or value == "":
        return ""
    amount = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {_group(int(abs(amount)))}"


def rupiah_short(value):
    """Rp 1,13 miliar / Rp 85 juta / Rp 950 ribu; two decimals at most, trailing zeros cut,
    with the decimal separator of the active language (Rp 1.13 billion in English, as
    its percentages read 90.0%).

    The amount is rounded before its unit is chosen: Rp 999.999.999.999 is "Rp 1
    triliun", not "Rp 1000 miliar".
    """
    if value is None or value == "":
        return ""
    amount = Decimal(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    units = (
        (Decimal(10) ** 12, _("trillion")),
        (Decimal(10) ** 9, _("billion")),
        (Decimal(10) ** 6, _("million")),
        (Decimal(10) ** 3, _("thousand")),
    )
    # From the largest unit down, the first in which the rounded amount is at least 1.
    for size, unit in units:
        scaled = (amount / size).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if scaled < 1:
            continue
        digits = f"{scaled:f}".rstrip("0").rstrip(".")
        text = digits.replace(".", get_format("DECIMAL_SEPARATOR"))
        return f"{sign}Rp {text} {unit}"
    return rupiah(-amount if sign else amount)


def percent(part, whole):
    """part ÷ whole * 100 to one decimal (half up, as people round), or None when there is
    nothing to divide by: an absorption (realisasi ÷ pagu) or a share."""
    if not whole:
        return None
    share = Decimal(part) * 100 / Decimal(whole)
    return float(share.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

"""Amounts in Indonesian words (terbilang), as official documents write them next to
the figures: 1.128.000.000 → "satu miliar seratus dua puluh delapan juta rupiah".

The rules of the language, not of the digits: 10 is *sepuluh*, 11 *sebelas*, 12-19
*… belas*; a one in front of *puluh*, *ratus* or *ribu* fuses into *se-* (*seratus*,
*seribu*) but not in front of *juta* and above (*satu juta*), and not inside a larger
group (21.000 is *dua puluh satu ribu*, never *dua puluh seribu*).
"""

from decimal import ROUND_HALF_UP, Decimal

ONES = ["", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan"]

# The names of the groups of three digits above the hundreds, largest first. Amounts
# of a thousand trillion and more are said in trillions ("seribu triliun"), which is how
# Indonesian budgets name them.
SCALES = [(10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"), (10**3, "ribu")]


def _below_thousand(number: int) -> list[str]:
    hundreds, rest = divmod(number, 100)
    words = []
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [ONES[hundreds], "ratus"]
    tens, ones = divmod(rest, 10)
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif tens == 1:
        words += [ONES[ones], "belas"]
    else:
        if tens:
            words += [ONES[tens], "puluh"]
        if ones:
            words.append(ONES[ones])
    return words


def _words(number: int) -> list[str]:
    for size, name in SCALES:
        if number >= size:
            count, rest = divmod(number, size)
            head = ["seribu"] if size == 1000 and count == 1 else [*_words(count), name]
            return head + (_words(rest) if rest else [])
    return _below_thousand(number)


def number_words(value) -> str:
    """A whole number in words: 0 → "nol", 1001 → "seribu satu", -5 → "minus lima".
    Fractions are rounded to the nearest whole number (half up), as Rupiah are."""
    number = int(Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if number == 0:
        return "nol"
    words = _words(abs(number))
    return " ".join(["minus", *words] if number < 0 else words)


def terbilang(value, unit="rupiah") -> str:
    """An amount in words with its unit: 85000000 → "delapan puluh lima juta rupiah";
    None or "" → "" (nothing to say)."""
    if value is None or value == "":
        return ""
    return f"{number_words(value)} {unit}".strip()

"""Filters of the printed documents (templates/documents and each app's documents)."""

from decimal import InvalidOperation

from django import template

from lkks.documents import region_name
from lkks.terbilang import terbilang as amount_in_words

register = template.Library()


@register.filter
def terbilang(value, unit="rupiah"):
    """{{ grant.amount|terbilang }} → satu miliar seratus dua puluh delapan juta rupiah;
    '' for what is not a number."""
    try:
        return amount_in_words(value, unit)
    except (InvalidOperation, TypeError, ValueError):
        return ""


@register.filter
def region(name):
    """{{ lks.district.name|region }}: "XIII KOTO KAMPAR" → "XIII Koto Kampar"."""
    return region_name(name) if name else ""

from django import template

from lkks import money

register = template.Library()


@register.filter
def rupiah(value):
    """{{ grant.amount|rupiah }} → Rp 1.128.000.000"""
    return money.rupiah(value)


@register.filter
def rupiah_short(value):
    """{{ grant.amount|rupiah_short }} → Rp 1,13 miliar"""
    return money.rupiah_short(value)

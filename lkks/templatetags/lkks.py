from django import template
from django.urls import reverse

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


@register.filter
def verbose_name(record):
    """{{ form.instance|verbose_name }} → "LKS" (the model's name in the active language)"""
    return record._meta.verbose_name


@register.simple_tag
def file_url(record, field_name):
    """{% file_url registration "document" %}: the stored file through the download view,
    which checks that the user may read the record; '' when there is no file."""
    if not getattr(record, field_name):
        return ""
    kind = f"{type(record)._meta.model_name}-{field_name}"
    return reverse("file", args=[kind, record.pk])

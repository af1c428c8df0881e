"""{% filter_field form.q %}: one field of a list's filter form (see lkks.filters)."""

from django import template

from lkks.filters import filter_field_html

register = template.Library()


@register.simple_tag
def filter_field(field, label_class="form-label", wrapper_class="mb-3"):
    return filter_field_html(field, label_class=label_class, wrapper_class=wrapper_class)

"""What every list's filters share: the sort box in the language of each request."""

import django_filters
from django.forms.utils import pretty_name
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _descending(label) -> str:
    # django-filter's own msgid, which our catalogue translates ("Nama (menurun)").
    return gettext("%s (descending)") % label


descending = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort box with its labels translated when the page is shown.

    django-filter writes "Name (descending)" once, when the FilterSet class is defined,
    in whatever language is active then, and offers "---------" as the empty choice; here
    both follow the language of each request.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, pretty_name(param))) for field, param in fields.items()
        ]
        descending_choices = [
            (f"-{param}", labels.get(f"-{param}", descending(label))) for param, label in ascending
        ]
        return [
            choice for pair in zip(ascending, descending_choices, strict=True) for choice in pair
        ]

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lkks.dates import FIRST_YEAR, LAST_YEAR
from visits.models import StudyVisit


class VisitFilter(django_filters.FilterSet):
    """The visits of one year, or by a word of the host, the place or the purpose."""

    year = django_filters.NumberFilter(
        field_name="date__year", label=_("Year"), min_value=FIRST_YEAR, max_value=LAST_YEAR
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")

    class Meta:
        model = StudyVisit
        fields = ["year"]

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            )
        return form

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(host_name__icontains=value)
            | Q(host_body__name__icontains=value)
            | Q(visiting_body__name__icontains=value)
            | Q(place__icontains=value)
            | Q(purpose__icontains=value)
        )

import django_filters
from django import forms
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks import access
from lkks.filters import ModelChoiceFilter
from lkks.models import Region
from programs.models import Activity, Program


class StyledFilterSet(django_filters.FilterSet):
    """A filter form with Bootstrap's classes on its inputs."""

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            widget = field.widget
            widget.attrs.setdefault(
                "class", "form-select" if isinstance(widget, forms.Select) else "form-control"
            )
        return form


class ProgramFilter(StyledFilterSet):
    """Programs of one fiscal year: the one asked for, else the latest that has any."""

    year = django_filters.ChoiceFilter(
        field_name="fiscal_year", label=_("fiscal year"), empty_label=None
    )
    category = django_filters.ChoiceFilter(
        choices=Program.Category.choices, label=_("category"), empty_label=_("all categories")
    )

    class Meta:
        model = Program
        fields = ["year", "category"]

    def __init__(self, data=None, queryset=None, **kwargs):
        years = list(queryset.fiscal_years()) if queryset is not None else []
        self.years = years or [timezone.localdate().year]
        # Always bound to a year, so that the list never mixes the budgets of several.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        if not data.get("year"):
            data["year"] = str(self.years[0])
        super().__init__(data, queryset, **kwargs)
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in self.years]


class ActivityFilter(StyledFilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("name"))
    year = django_filters.ChoiceFilter(
        field_name="program__fiscal_year",
        label=_("fiscal year"),
        empty_label=_("all years"),
    )
    status = django_filters.ChoiceFilter(
        choices=Activity.Status.choices, label=_("status"), empty_label=_("all statuses")
    )
    kind = django_filters.ChoiceFilter(
        choices=Activity.Kind.choices, label=_("kind"), empty_label=_("all kinds")
    )
    district = ModelChoiceFilter(
        queryset=Region.objects.none(),
        label=_("district (kecamatan)"),
        empty_label=_("all districts"),
    )

    class Meta:
        model = Activity
        fields = ["q", "year", "status", "kind", "district"]

    def __init__(self, data=None, queryset=None, *, request=None, **kwargs):
        super().__init__(data, queryset, request=request, **kwargs)
        years = (
            queryset.order_by("-program__fiscal_year")
            .values_list("program__fiscal_year", flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]
        body = access.current_body(request) if request is not None else None
        if body is not None:
            self.filters["district"].queryset = Region.objects.districts().filter(
                parent=body.regency_id
            )

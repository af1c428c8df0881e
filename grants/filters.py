"""The filters of the funder, grant and expenditure lists."""

import django_filters
from django.utils.translation import gettext_lazy as _

from grants.forms import ActivityChoiceField
from grants.models import Expenditure, Funder, Grant, Stage
from lkks import access
from lkks.filters import ModelChoiceFilter
from lkks.forms import DateInput
from programs.models import Activity


def activities_of_current_body(request):
    """The activities of the body the user works in, newest fiscal year first."""
    if request is None:
        return Activity.objects.none()
    return (
        Activity.objects.for_user(request.user)
        .for_body(access.current_body(request))
        .select_related("program")
        .order_by("-program__fiscal_year", "program__code", "name", "pk")
    )


class ActivityChoiceFilter(ModelChoiceFilter):
    field_class = ActivityChoiceField


class YearChoicesMixin:
    """A ``year`` filter offering the fiscal years found in the (already scoped) list."""

    year_path = "fiscal_year"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        years = (
            self.queryset.order_by(f"-{self.year_path}")
            .values_list(self.year_path, flat=True)
            .distinct()
        )
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]


class FunderFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Funder.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )

    class Meta:
        model = Funder
        fields = ["kind"]


class GrantFilter(YearChoicesMixin, django_filters.FilterSet):
    year = django_filters.ChoiceFilter(
        field_name="fiscal_year",
        label=_("Fiscal year"),
        empty_label=_("All years"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="funder__kind",
        choices=Funder.Kind.choices,
        label=_("Funder kind"),
        empty_label=_("All kinds"),
    )
    stage = django_filters.ChoiceFilter(
        choices=Stage.choices, label=_("Stage"), empty_label=_("All stages")
    )

    class Meta:
        model = Grant
        fields = ["year", "kind", "stage"]


class ExpenditureFilter(YearChoicesMixin, django_filters.FilterSet):
    year_path = "grant__fiscal_year"

    year = django_filters.ChoiceFilter(
        field_name="grant__fiscal_year",
        label=_("Fiscal year"),
        empty_label=_("All years"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="grant__funder__kind",
        choices=Funder.Kind.choices,
        label=_("Funder kind"),
        empty_label=_("All kinds"),
    )
    activity = ActivityChoiceFilter(
        queryset=activities_of_current_body,
        label=_("Activity"),
        empty_label=_("All activities"),
    )
    date_from = django_filters.DateFilter(
        field_name="date", lookup_expr="gte", label=_("From"), widget=DateInput
    )
    date_to = django_filters.DateFilter(
        field_name="date", lookup_expr="lte", label=_("Until"), widget=DateInput
    )

    class Meta:
        model = Expenditure
        fields = ["year", "kind", "activity", "date_from", "date_to"]

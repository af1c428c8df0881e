"""The filters and sort orders of the LKS list."""

import django_filters
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils.translation import gettext_lazy as _

from lkks import access
from lkks.filters import ModelChoiceFilter, OrderingFilter
from lkks.models import Region
from members.models import (
    Accreditation,
    Organisation,
    Registration,
    RegistrationStatus,
    TargetGroup,
)

NOT_ACCREDITED = "none"

# The order of the registration statuses when the list is sorted by status: the
# registered first, the unregistered last (not the alphabetical order of their codes).
STATUS_RANK = [
    RegistrationStatus.REGISTERED,
    RegistrationStatus.IN_PROCESS,
    RegistrationStatus.EXPIRED,
    RegistrationStatus.UNREGISTERED,
]


def districts_of_current_body(request):
    """The kecamatan of the regency of the body the user works in."""
    body = access.current_body(request) if request is not None else None
    if body is None:
        return Region.objects.none()
    return Region.objects.districts().filter(parent=body.regency_id).order_by("name")


class OrganisationOrdering(OrderingFilter):
    """Sorts with empty values last in either direction, the registration status by
    its rank, and the name and pk as tie-breakers so that pages never overlap."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = []
        for param in value:
            descending = param.startswith("-")
            field = self.param_map.get(param.lstrip("-"))
            if field is None:
                continue
            if field == "registration_status":
                qs = qs.annotate(
                    registration_rank=Case(
                        *(
                            When(registration_status=status, then=Value(rank))
                            for rank, status in enumerate(STATUS_RANK)
                        ),
                        output_field=IntegerField(),
                    )
                )
                field = "registration_rank"
            expression = F(field)
            ordering.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "name", "pk")


class OrganisationFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search",
        label=_("Search"),
        help_text=_("Name or registration number"),
    )
    district = ModelChoiceFilter(
        queryset=districts_of_current_body,
        label=_("District (kecamatan)"),
        empty_label=_("All districts"),
    )
    kind = django_filters.ChoiceFilter(
        choices=Organisation.Kind.choices, label=_("Kind"), empty_label=_("All kinds")
    )
    target_group = ModelChoiceFilter(
        field_name="target_groups",
        queryset=TargetGroup.objects.order_by("name"),
        label=_("Target group"),
        empty_label=_("All target groups"),
    )
    registration_status = django_filters.ChoiceFilter(
        choices=RegistrationStatus.choices,
        label=_("Registration status"),
        empty_label=_("All statuses"),
    )
    accreditation_grade = django_filters.ChoiceFilter(
        method="filter_grade",
        choices=[*Accreditation.Grade.choices, (NOT_ACCREDITED, _("not accredited"))],
        label=_("Accreditation grade"),
        empty_label=_("All grades"),
    )
    ordering = OrganisationOrdering(
        fields={
            "name": "name",
            "district__name": "district",
            "registration_status": "registration_status",
            "accreditation_grade": "accreditation_grade",
            "updated_at": "updated_at",
        },
        field_labels={
            "name": _("Name"),
            "district__name": _("District (kecamatan)"),
            "registration_status": _("Registration status"),
            "accreditation_grade": _("Accreditation grade"),
            "updated_at": _("Last changed"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Organisation
        fields = ["q", "district", "kind", "target_group", "registration_status"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        numbers = Registration.objects.filter(organisation=OuterRef("pk"), number__icontains=value)
        return queryset.filter(Q(name__icontains=value) | Q(Exists(numbers)))

    def filter_grade(self, queryset, name, value):
        if value == NOT_ACCREDITED:
            return queryset.filter(accreditation_grade__isnull=True)
        return queryset.filter(accreditation_grade=value)

"""The register as a spreadsheet: the export that imports back unchanged, and the
downloadable template."""

import datetime

from django.utils import timezone

from lkks.models import Body, Region
from members.imports.cells import KIND_LABELS, NO_GRADE_LABEL, STATUS_LABELS
from members.models import Organisation, RegistrationStatus


def export_queryset(queryset):
    """The LKS of a list (already ``with_status``), with what ``export_row`` reads."""
    return queryset.select_related("district", "village").prefetch_related(
        "registrations", "accreditations"
    )


def export_row(organisation, *, today: datetime.date | None = None) -> list:
    """One LKS as a row of ``HEADERS``: the registration and accreditation that decide
    its current status, so that importing the row finds them already recorded."""
    today = today or timezone.localdate()
    status = organisation.registration_status
    registration = _current_registration(organisation, status, today)
    accreditation = _current_accreditation(organisation, today)
    number = issued_on = valid_until = None
    if registration is not None:
        number = registration.number
        # An application has no issue date yet: its submission date is not one.
        issued_on = registration.issued_on
        valid_until = registration.valid_until if status != RegistrationStatus.IN_PROCESS else None
    return [
        organisation.name,
        KIND_LABELS.get(organisation.kind, organisation.kind),
        organisation.district.name,
        organisation.village.name if organisation.village else "",
        organisation.address,
        organisation.chairperson,
        organisation.phone,
        organisation.email,
        number,
        issued_on,
        valid_until,
        STATUS_LABELS[status],
        accreditation.grade if accreditation else NO_GRADE_LABEL,
        accreditation.accredited_on if accreditation else None,
        organisation.client_count,
    ]


def _current_registration(organisation, status, today):
    records = list(organisation.registrations.all())
    if status == RegistrationStatus.REGISTERED:
        valid = [record for record in records if record.is_valid_on(today)]
        return max(valid, key=lambda r: (r.issued_on, r.pk), default=None)
    if status in (RegistrationStatus.IN_PROCESS, RegistrationStatus.EXPIRED):
        dated = [r for r in records if r.record_date and r.record_date <= today]
        return max(dated, key=lambda r: (r.record_date, r.pk), default=None)
    return None


def _current_accreditation(organisation, today):
    valid = [record for record in organisation.accreditations.all() if record.is_valid_on(today)]
    return max(valid, key=lambda r: (r.accredited_on, r.pk), default=None)


def template_rows(*, body: Body) -> list[list]:
    """One example row for the downloadable template, with a real kecamatan and desa
    of the body's regency so that the template itself imports."""
    district = Region.objects.districts().filter(parent=body.regency_id).order_by("code").first()
    village = (
        Region.objects.villages().filter(parent=district).order_by("code").first()
        if district
        else None
    )
    return [
        [
            "Panti Asuhan Contoh",
            KIND_LABELS[Organisation.Kind.LKSA],
            district.name if district else "",
            village.name if village else "",
            "Jl. Contoh No. 1",
            "Budi Santoso",
            "0812-3456-7890",
            "panti.contoh@example.org",
            "460/0001/TD/2024",
            datetime.date(2024, 1, 15),
            datetime.date(2029, 1, 15),
            STATUS_LABELS[RegistrationStatus.REGISTERED],
            "B",
            datetime.date(2024, 3, 1),
            25,
        ]
    ]

"""Writes to the LKS register, with their rules. Views and commands call these."""

from django.db import transaction

from lkks.dates import add_years
from members.models import Accreditation, LegalDocument, Mentoring, Organisation, Registration


@transaction.atomic
def organisation_save(*, organisation: Organisation, target_groups=None) -> Organisation:
    organisation.full_clean()
    organisation.save()
    if target_groups is not None:
        organisation.target_groups.set(target_groups)
    return organisation


@transaction.atomic
def registration_save(*, registration: Registration) -> Registration:
    """Save a registration record; its body always follows its LKS."""
    registration.body_id = registration.organisation.body_id
    registration.full_clean()
    registration.save()
    return registration


def accreditation_default_valid_until(*, grade, accredited_on):
    years = Accreditation.DEFAULT_VALIDITY_YEARS.get(grade)
    if not years or not accredited_on:
        return None
    return add_years(accredited_on, years)


@transaction.atomic
def accreditation_save(*, accreditation: Accreditation) -> Accreditation:
    """Save an accreditation; an accredited one without an end date gets the default
    validity of its grade (A 5 years, B 3, C 2)."""
    if accreditation.status == Accreditation.Status.ACCREDITED and not accreditation.valid_until:
        accreditation.valid_until = accreditation_default_valid_until(
            grade=accreditation.grade, accredited_on=accreditation.accredited_on
        )
    accreditation.full_clean()
    accreditation.save()
    return accreditation


@transaction.atomic
def legal_document_save(*, document: LegalDocument) -> LegalDocument:
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def mentoring_save(*, mentoring: Mentoring) -> Mentoring:
    mentoring.full_clean()
    mentoring.save()
    return mentoring

"""Writes to the LKS register, with their rules. Views and commands call these."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks.models import Body
from lkks.validation import field_error
from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Recommendation,
    Registration,
)


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


@transaction.atomic
def accreditation_save(*, accreditation: Accreditation) -> Accreditation:
    """Save an accreditation; an accredited one without an end date gets the default
    validity of its grade (A 5 years, B 3, C 2) from ``Accreditation.clean()``."""
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


# Recommendation letters


def _lock_body(body_id) -> Body:
    return Body.objects.select_for_update().get(pk=body_id)


RECOMMENDATION_NUMBER = "{sequence:03d}/LKKS-{body_code}/REK/{year}"


def recommendation_number(*, body, year, sequence) -> str:
    """001/LKKS-SLEMAN/REK/2024: the sequence in the body's year, the body's short name."""
    return RECOMMENDATION_NUMBER.format(sequence=sequence, body_code=body.slug.upper(), year=year)


@transaction.atomic
def recommendation_issue(
    *, organisation: Organisation, date, signer_name, signer_title, purpose="", by=None
) -> Recommendation:
    """Issue the next recommendation letter of the LKS's body for the year of ``date``.

    The body's row is locked before the last number is read, so that two staff issuing
    at the same moment get consecutive numbers rather than the same one (on SQLite the
    IMMEDIATE transaction serialises them the same way).
    """
    if not date:
        raise field_error("date", _("Give the date of the letter."), "required")
    if date > timezone.localdate():
        raise field_error("date", _("The date cannot be in the future."), "future_date")
    body = _lock_body(organisation.body_id)
    recommendation = Recommendation(
        organisation=organisation,
        body=body,
        date=date,
        signer_name=signer_name,
        signer_title=signer_title,
        purpose=purpose,
    )
    same_year = Recommendation.objects.filter(body=body, year=date.year)
    recommendation.year = date.year
    recommendation.sequence = (same_year.aggregate(last=Max("sequence"))["last"] or 0) + 1
    recommendation.number = recommendation_number(
        body=body, year=date.year, sequence=recommendation.sequence
    )
    if by is not None:
        recommendation._history_user = by
    recommendation.full_clean()
    recommendation.save()
    return recommendation

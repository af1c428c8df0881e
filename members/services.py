"""Writes to the LKS register, with their rules. Views and commands call these."""

from django.db import transaction

from lkks.letters import issue_letter
from lkks.models import Letter, Officer
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


@transaction.atomic
def recommendation_issue(
    *,
    organisation: Organisation,
    date,
    signer_position=Officer.Position.CHAIR,
    purpose="",
    by=None,
) -> Recommendation:
    """Issue a recommendation letter of the LKS's body, numbered by the body's letter
    register (which locks the year's counter, so two staff issuing at once get two
    numbers); it is signed by whoever holds ``signer_position`` on ``date``."""
    body = organisation.body
    recommendation = Recommendation(
        organisation=organisation,
        body=body,
        date=date,
        signer_position=signer_position,
        purpose=purpose,
    )
    # Check the letter's own fields before it takes a number; the register checks the
    # date (not in the future, within the years the app knows).
    recommendation.full_clean(exclude=["letter"])
    recommendation.letter = issue_letter(
        body=body,
        kind=Letter.Kind.RECOMMENDATION,
        on=date,
        subject=f"Rekomendasi pendaftaran {organisation.name}",
        by=by,
    )
    if by is not None:
        recommendation._history_user = by
    recommendation.full_clean()
    recommendation.save()
    return recommendation

import datetime

import pytest
from django.core.exceptions import ValidationError

from members.models import Accreditation, Organisation, Registration, TargetGroup
from members.services import (
    accreditation_save,
    legal_document_save,
    mentoring_save,
    organisation_save,
    registration_save,
)
from tests.factories import (
    LegalDocumentFactory,
    MentoringFactory,
    OrganisationFactory,
    RegistrationFactory,
    region,
)

pytestmark = pytest.mark.django_db


def accredited(lks, grade, accredited_on, **fields):
    return Accreditation(
        organisation=lks,
        status=Accreditation.Status.ACCREDITED,
        grade=grade,
        accredited_on=accredited_on,
        **fields,
    )


@pytest.mark.parametrize(
    ("grade", "valid_until"),
    [
        ("A", datetime.date(2029, 3, 1)),
        ("B", datetime.date(2027, 3, 1)),
        ("C", datetime.date(2026, 3, 1)),
    ],
)
def test_accreditation_save_gives_the_default_validity_of_the_grade(grade, valid_until):
    lks = OrganisationFactory()

    accreditation = accreditation_save(
        accreditation=accredited(lks, grade, datetime.date(2024, 3, 1))
    )

    accreditation.refresh_from_db()
    assert accreditation.valid_until == valid_until


def test_accreditation_save_on_29_february_ends_on_28_february():
    lks = OrganisationFactory()

    accreditation = accreditation_save(
        accreditation=accredited(lks, "A", datetime.date(2024, 2, 29))
    )

    assert accreditation.valid_until == datetime.date(2029, 2, 28)


def test_accreditation_save_keeps_a_validity_given_by_the_assessor():
    lks = OrganisationFactory()

    accreditation = accreditation_save(
        accreditation=accredited(
            lks, "A", datetime.date(2024, 3, 1), valid_until=datetime.date(2026, 1, 1)
        )
    )

    assert accreditation.valid_until == datetime.date(2026, 1, 1)


def test_accreditation_save_leaves_an_application_without_validity():
    lks = OrganisationFactory()

    accreditation = accreditation_save(
        accreditation=Accreditation(
            organisation=lks,
            status=Accreditation.Status.SUBMITTED,
            submitted_on=datetime.date(2024, 3, 1),
        )
    )

    assert accreditation.valid_until is None


def test_accreditation_save_refuses_an_accreditation_without_grade_and_writes_nothing():
    lks = OrganisationFactory()

    with pytest.raises(ValidationError):
        accreditation_save(accreditation=accredited(lks, "", datetime.date(2024, 3, 1)))

    assert not Accreditation.objects.exists()


def test_accreditation_default_valid_until_needs_a_grade_and_a_date():
    assert Accreditation.default_valid_until("", datetime.date(2024, 1, 1)) is None
    assert Accreditation.default_valid_until("A", None) is None


def test_registration_save_takes_the_body_of_its_lks(kampar, sleman):
    lks = OrganisationFactory(body=sleman)

    registration = registration_save(
        registration=Registration(
            organisation=lks,
            body=kampar,
            status=Registration.Status.SUBMITTED,
            submitted_on=datetime.date(2024, 9, 2),
        )
    )

    registration.refresh_from_db()
    assert registration.body == sleman


def test_registration_save_refuses_a_duplicate_number_on_the_field_and_writes_nothing():
    first = RegistrationFactory(number="460/001/TD/2024")
    other = OrganisationFactory(body=first.body)

    with pytest.raises(ValidationError) as refused:
        registration_save(
            registration=RegistrationFactory.build(
                organisation=other, body=None, number="460/001/TD/2024"
            )
        )

    assert "number" in refused.value.message_dict
    assert Registration.objects.count() == 1


def test_registration_save_refuses_valid_until_before_issue_on_the_field():
    lks = OrganisationFactory()

    with pytest.raises(ValidationError) as refused:
        registration_save(
            registration=RegistrationFactory.build(
                organisation=lks,
                body=None,
                issued_on=datetime.date(2024, 1, 1),
                valid_until=datetime.date(2023, 12, 31),
            )
        )

    assert "valid_until" in refused.value.message_dict
    assert not Registration.objects.exists()


def test_organisation_save_sets_target_groups(kampar):
    groups = list(TargetGroup.objects.filter(code__in=["anak-terlantar", "fakir-miskin"]))

    lks = organisation_save(
        organisation=OrganisationFactory.build(body=kampar), target_groups=groups
    )

    assert set(lks.target_groups.all()) == set(groups)


def test_organisation_save_refuses_a_district_outside_the_body(kampar):
    with pytest.raises(ValidationError) as refused:
        organisation_save(
            organisation=OrganisationFactory.build(body=kampar, district=region("34.04.01"))
        )

    assert "district" in refused.value.message_dict
    assert not Organisation.objects.exists()


def test_legal_document_save_refuses_valid_until_before_issue():
    lks = OrganisationFactory()

    with pytest.raises(ValidationError) as refused:
        legal_document_save(
            document=LegalDocumentFactory.build(
                organisation=lks,
                issued_on=datetime.date(2024, 1, 2),
                valid_until=datetime.date(2024, 1, 1),
            )
        )

    assert "valid_until" in refused.value.message_dict


def test_mentoring_save_refuses_a_follow_up_before_the_visit():
    lks = OrganisationFactory()

    with pytest.raises(ValidationError) as refused:
        mentoring_save(
            mentoring=MentoringFactory.build(
                organisation=lks,
                date=datetime.date(2024, 6, 10),
                follow_up_on=datetime.date(2024, 6, 9),
            )
        )

    assert "follow_up_on" in refused.value.message_dict

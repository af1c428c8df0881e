import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Registration,
    RegistrationStatus,
)
from tests.factories import (
    AccreditationFactory,
    LegalDocumentFactory,
    MentoringFactory,
    OrganisationFactory,
    RegistrationFactory,
    region,
)

pytestmark = pytest.mark.django_db

ON = datetime.date(2024, 6, 15)
DAY = datetime.timedelta(days=1)


def constraint_message(model, name):
    """The message a model's named constraint gives, in the active language."""
    constraint = next(c for c in model._meta.constraints if c.name == name)
    return constraint.get_violation_error_message()


def refused_fields(instance):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


# Constraints hold in the database, whatever writes the row.


@pytest.mark.parametrize("valid_until", [ON, ON - DAY], ids=["same-day", "day-before"])
def test_registration_valid_until_not_after_issue_is_refused_by_the_database(valid_until):
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(issued_on=ON, submitted_on=ON - DAY, valid_until=valid_until)


def test_registration_valid_until_moved_before_issue_by_update_is_refused():
    registration = RegistrationFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(valid_until=registration.issued_on)


def test_registration_issued_before_submitted_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(submitted_on=ON, issued_on=ON - DAY)


def test_registered_record_without_number_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(number="")


def test_registration_without_any_date_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(submitted=True, submitted_on=None)


def test_duplicate_registration_number_in_one_body_is_refused_by_the_database():
    first = RegistrationFactory(number="460/001/TD/2024")
    other_lks = OrganisationFactory(body=first.body)

    with pytest.raises(IntegrityError), transaction.atomic():
        RegistrationFactory(organisation=other_lks, number="460/001/TD/2024")


def test_same_registration_number_in_two_bodies_is_allowed(kampar, sleman):
    RegistrationFactory(organisation__body=kampar, number="460/001/TD/2024")
    RegistrationFactory(organisation__body=sleman, number="460/001/TD/2024")

    assert Registration.objects.filter(number="460/001/TD/2024").count() == 2


def test_many_applications_without_a_number_in_one_body_are_allowed(kampar):
    RegistrationFactory.create_batch(3, submitted=True, organisation__body=kampar)

    assert Registration.objects.filter(number="").count() == 3


@pytest.mark.parametrize("valid_until", [ON, ON - DAY], ids=["same-day", "day-before"])
def test_accreditation_valid_until_not_after_accreditation_is_refused_by_the_database(
    valid_until,
):
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationFactory(accredited_on=ON, valid_until=valid_until)


def test_accredited_record_without_grade_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationFactory(grade="")


def test_grade_on_a_record_that_is_not_accredited_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        AccreditationFactory(status=Accreditation.Status.SUBMITTED, grade="A")


def test_legal_document_valid_until_before_issue_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        LegalDocumentFactory(issued_on=ON, valid_until=ON - DAY)


def test_legal_document_without_end_date_is_allowed():
    document = LegalDocumentFactory(kind=LegalDocument.Kind.DEED, valid_until=None)

    assert document.pk


def test_mentoring_follow_up_before_the_visit_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        MentoringFactory(date=ON, follow_up_on=ON - DAY)


def test_mentoring_follow_up_moved_before_the_visit_by_update_is_refused():
    mentoring = MentoringFactory(date=ON, follow_up_on=ON)

    with pytest.raises(IntegrityError), transaction.atomic():
        Mentoring.objects.filter(pk=mentoring.pk).update(follow_up_on=ON - DAY)


# full_clean() says what is wrong on the field that is wrong.


def test_registration_full_clean_reports_valid_until_on_its_field():
    registration = RegistrationFactory.build(
        organisation=OrganisationFactory(), issued_on=ON, submitted_on=ON, valid_until=ON - DAY
    )

    errors = refused_fields(registration)

    assert errors["valid_until"] == [
        constraint_message(Registration, "registration_valid_after_issued")
    ]


def test_registration_full_clean_reports_issue_before_submission_on_issued_on():
    registration = RegistrationFactory.build(
        organisation=OrganisationFactory(), submitted_on=ON, issued_on=ON - DAY
    )

    errors = refused_fields(registration)

    assert "issued_on" in errors


def test_registration_full_clean_reports_duplicate_number_on_its_field():
    first = RegistrationFactory(number="460/001/TD/2024")
    duplicate = RegistrationFactory.build(
        organisation=OrganisationFactory(body=first.body), number="460/001/TD/2024"
    )

    errors = refused_fields(duplicate)

    assert errors["number"] == [
        constraint_message(Registration, "registration_number_unique_per_body")
    ]


def test_registration_full_clean_gives_duplicate_number_its_code():
    first = RegistrationFactory(number="460/001/TD/2024")
    duplicate = RegistrationFactory.build(
        organisation=OrganisationFactory(body=first.body), number="460/001/TD/2024"
    )

    with pytest.raises(ValidationError) as refused:
        duplicate.full_clean()

    assert [error.code for error in refused.value.error_dict["number"]] == ["duplicate_number"]


def test_registration_full_clean_allows_the_same_number_in_another_body(kampar, sleman):
    RegistrationFactory(organisation__body=kampar, number="460/001/TD/2024")
    elsewhere = RegistrationFactory.build(
        organisation=OrganisationFactory(body=sleman), body=None, number="460/001/TD/2024"
    )

    elsewhere.full_clean()

    assert elsewhere.body == sleman


def test_accreditation_full_clean_reports_valid_until_on_its_field():
    accreditation = AccreditationFactory.build(
        organisation=OrganisationFactory(), accredited_on=ON, valid_until=ON
    )

    errors = refused_fields(accreditation)

    assert errors["valid_until"] == [
        constraint_message(Accreditation, "accreditation_valid_after_accredited")
    ]


def test_accreditation_full_clean_reports_grade_without_accreditation_on_grade():
    accreditation = AccreditationFactory.build(
        organisation=OrganisationFactory(),
        status=Accreditation.Status.ASSESSED,
        grade="A",
        accredited_on=None,
        valid_until=None,
    )

    errors = refused_fields(accreditation)

    assert "grade" in errors


def test_legal_document_full_clean_reports_valid_until_on_its_field():
    document = LegalDocumentFactory.build(
        organisation=OrganisationFactory(), issued_on=ON, valid_until=ON - DAY
    )

    errors = refused_fields(document)

    assert errors["valid_until"] == [
        constraint_message(LegalDocument, "legaldocument_valid_after_issued")
    ]


def test_mentoring_full_clean_reports_follow_up_on_its_field():
    mentoring = MentoringFactory.build(
        organisation=OrganisationFactory(), date=ON, follow_up_on=ON - DAY
    )

    errors = refused_fields(mentoring)

    assert errors["follow_up_on"] == [
        constraint_message(Mentoring, "mentoring_follow_up_after_visit")
    ]


def test_organisation_full_clean_refuses_a_district_of_another_regency(kampar):
    lks = OrganisationFactory.build(body=kampar, district=region("34.04.15"))

    errors = refused_fields(lks)

    assert "district" in errors


def test_organisation_full_clean_refuses_a_village_of_another_district(kampar):
    district = region("14.01.01")
    village_elsewhere = region("14.01.02").children.first()
    lks = OrganisationFactory.build(body=kampar, district=district, village=village_elsewhere)

    errors = refused_fields(lks)

    assert "village" in errors


def test_organisation_full_clean_accepts_a_village_of_its_district(kampar):
    district = region("14.01.01")
    lks = OrganisationFactory.build(
        body=kampar, district=district, village=district.children.first()
    )

    lks.full_clean()


def test_messages_are_given_in_indonesian_by_default():
    """LANGUAGE_CODE is Indonesian: Django's own messages already speak it."""
    lks = OrganisationFactory.build(body=None, district=None, name="")

    errors = refused_fields(lks)

    assert errors["name"] == ["Field ini tidak boleh kosong."]


# The registration status is derived from the records as of a date.


def status_on(lks, on=ON):
    return Organisation.objects.with_status(on=on).get(pk=lks.pk).registration_status


def grade_on(lks, on=ON):
    return Organisation.objects.with_status(on=on).get(pk=lks.pk).accreditation_grade


@pytest.mark.parametrize(
    ("valid_until", "status"),
    [
        (ON - DAY, RegistrationStatus.EXPIRED),
        (ON, RegistrationStatus.REGISTERED),
        (ON + DAY, RegistrationStatus.REGISTERED),
    ],
    ids=["valid-until-yesterday", "valid-until-today", "valid-until-tomorrow"],
)
def test_registration_status_across_the_valid_until_boundary(valid_until, status):
    registration = RegistrationFactory(
        submitted_on=datetime.date(2019, 5, 1),
        issued_on=datetime.date(2019, 6, 1),
        valid_until=valid_until,
    )

    assert status_on(registration.organisation) == status


def test_registration_issued_today_counts_from_today():
    registration = RegistrationFactory(submitted_on=ON - 10 * DAY, issued_on=ON)

    assert status_on(registration.organisation, on=ON) == RegistrationStatus.REGISTERED
    assert status_on(registration.organisation, on=ON - 20 * DAY) == (
        RegistrationStatus.UNREGISTERED
    )


def test_an_application_decided_later_was_in_process_on_the_days_between():
    registration = RegistrationFactory(submitted_on=ON - 10 * DAY, issued_on=ON)
    rejected = RegistrationFactory(
        status=Registration.Status.REJECTED,
        number="",
        valid_until=None,
        submitted_on=ON - 10 * DAY,
        issued_on=ON,
    )

    for record in (registration, rejected):
        assert status_on(record.organisation, on=ON - DAY) == RegistrationStatus.IN_PROCESS
        assert status_on(record.organisation, on=ON - 11 * DAY) == (RegistrationStatus.UNREGISTERED)
    assert status_on(rejected.organisation, on=ON) == RegistrationStatus.UNREGISTERED


def test_lks_whose_latest_record_is_an_application_is_in_process():
    application = RegistrationFactory(submitted=True, submitted_on=ON - DAY)

    assert status_on(application.organisation) == RegistrationStatus.IN_PROCESS


def test_lks_without_records_is_unregistered():
    lks = OrganisationFactory()

    assert status_on(lks) == RegistrationStatus.UNREGISTERED


def test_lks_whose_application_was_rejected_is_unregistered():
    lks = OrganisationFactory()
    RegistrationFactory(organisation=lks, submitted=True, submitted_on=ON - 30 * DAY)
    RegistrationFactory(
        organisation=lks,
        submitted=True,
        status="rejected",
        submitted_on=ON - 30 * DAY,
        issued_on=ON - 5 * DAY,
    )

    assert status_on(lks) == RegistrationStatus.UNREGISTERED


def test_lks_whose_registration_was_revoked_is_unregistered():
    registration = RegistrationFactory(
        issued_on=ON - 365 * DAY, submitted_on=ON - 400 * DAY, valid_until=ON + 365 * DAY
    )
    RegistrationFactory(
        organisation=registration.organisation,
        submitted=True,
        status=Registration.Status.REVOKED,
        submitted_on=None,
        issued_on=ON - 10 * DAY,
    )

    assert status_on(registration.organisation) == RegistrationStatus.UNREGISTERED
    assert status_on(registration.organisation, on=ON - 11 * DAY) == (RegistrationStatus.REGISTERED)


def test_lks_registered_again_after_a_revocation_is_registered():
    lks = OrganisationFactory()
    RegistrationFactory(organisation=lks, issued_on=ON - 700 * DAY, submitted_on=ON - 720 * DAY)
    RegistrationFactory(
        organisation=lks,
        submitted=True,
        status=Registration.Status.REVOKED,
        issued_on=ON - 300 * DAY,
        submitted_on=None,
    )
    RegistrationFactory(organisation=lks, issued_on=ON - 30 * DAY, submitted_on=ON - 60 * DAY)

    assert status_on(lks) == RegistrationStatus.REGISTERED


def test_lks_that_reapplies_after_a_revocation_is_in_process():
    lks = OrganisationFactory()
    RegistrationFactory(
        organisation=lks,
        issued_on=ON - 365 * DAY,
        submitted_on=ON - 400 * DAY,
        valid_until=ON + 1000 * DAY,
    )
    RegistrationFactory(
        organisation=lks,
        submitted=True,
        status=Registration.Status.REVOKED,
        issued_on=ON - 100 * DAY,
        submitted_on=None,
    )
    RegistrationFactory(organisation=lks, submitted=True, submitted_on=ON - 10 * DAY)

    assert status_on(lks) == RegistrationStatus.IN_PROCESS


def test_submitted_renewal_while_registration_is_valid_stays_registered():
    registration = RegistrationFactory(
        issued_on=ON - 365 * DAY, submitted_on=ON - 400 * DAY, valid_until=ON + 30 * DAY
    )
    RegistrationFactory(
        organisation=registration.organisation,
        submitted=True,
        is_renewal=True,
        submitted_on=ON - DAY,
    )

    assert status_on(registration.organisation) == RegistrationStatus.REGISTERED


def test_submitted_renewal_after_expiry_is_in_process():
    registration = RegistrationFactory(
        issued_on=ON - 800 * DAY, submitted_on=ON - 820 * DAY, valid_until=ON - 30 * DAY
    )
    RegistrationFactory(
        organisation=registration.organisation,
        submitted=True,
        is_renewal=True,
        submitted_on=ON - DAY,
    )

    assert status_on(registration.organisation) == RegistrationStatus.IN_PROCESS


def test_records_after_the_date_are_ignored():
    lks = OrganisationFactory()
    RegistrationFactory(organisation=lks, submitted=True, submitted_on=ON + DAY)

    assert status_on(lks) == RegistrationStatus.UNREGISTERED


def test_with_registration_status_filters_in_the_database():
    registered = RegistrationFactory().organisation
    in_process = RegistrationFactory(submitted=True, submitted_on=ON).organisation
    OrganisationFactory()

    found = Organisation.objects.with_registration_status(RegistrationStatus.IN_PROCESS, on=ON)

    assert list(found) == [in_process]
    assert registered not in found


def test_with_status_defaults_to_today():
    today = timezone.localdate()
    lks = RegistrationFactory(
        issued_on=today - 10 * DAY, submitted_on=today - 20 * DAY, valid_until=today
    ).organisation

    assert Organisation.objects.with_status().get(pk=lks.pk).registration_status == (
        RegistrationStatus.REGISTERED
    )


def test_registration_is_valid_on_its_days():
    registration = RegistrationFactory.build(issued_on=ON, valid_until=ON + 10 * DAY)

    assert not registration.is_valid_on(ON - DAY)
    assert registration.is_valid_on(ON)
    assert registration.is_valid_on(ON + 10 * DAY)
    assert not registration.is_valid_on(ON + 11 * DAY)


# The accreditation grade is the one valid on the date.


@pytest.mark.parametrize(
    ("on", "grade"),
    [
        (ON - DAY, None),
        (ON, "A"),
        (ON + 365 * DAY, "A"),
        (ON + 366 * DAY, None),
    ],
    ids=["day-before-accreditation", "accreditation-day", "last-valid-day", "day-after"],
)
def test_accreditation_grade_across_its_validity_boundaries(on, grade):
    accreditation = AccreditationFactory(
        grade="A", submitted_on=ON - 30 * DAY, accredited_on=ON, valid_until=ON + 365 * DAY
    )

    assert grade_on(accreditation.organisation, on=on) == grade


def test_accreditation_grade_is_the_newest_valid_one():
    lks = OrganisationFactory()
    AccreditationFactory(
        organisation=lks, grade="C", accredited_on=ON - 300 * DAY, valid_until=ON + 400 * DAY
    )
    AccreditationFactory(
        organisation=lks, grade="A", accredited_on=ON - 10 * DAY, valid_until=ON + 900 * DAY
    )

    assert grade_on(lks) == "A"


def test_accreditation_not_accredited_gives_no_grade():
    assessment = AccreditationFactory(
        status=Accreditation.Status.NOT_ACCREDITED, grade="", valid_until=None
    )

    assert grade_on(assessment.organisation, on=assessment.accredited_on) is None


def test_accreditation_is_valid_on_its_days():
    accreditation = AccreditationFactory.build(accredited_on=ON, valid_until=ON + DAY)

    assert not accreditation.is_valid_on(ON - DAY)
    assert accreditation.is_valid_on(ON)
    assert accreditation.is_valid_on(ON + DAY)
    assert not accreditation.is_valid_on(ON + 2 * DAY)


def test_current_expiring_registrations_leave_out_renewed_and_revoked_ones():
    until = ON + 90 * DAY
    ending = RegistrationFactory(
        submitted_on=ON - 320 * DAY, issued_on=ON - 300 * DAY, valid_until=ON + 90 * DAY
    )
    too_late = RegistrationFactory(
        submitted_on=ON - 320 * DAY, issued_on=ON - 300 * DAY, valid_until=ON + 91 * DAY
    )
    renewed = RegistrationFactory(
        submitted_on=ON - 320 * DAY, issued_on=ON - 300 * DAY, valid_until=ON + 30 * DAY
    )
    RegistrationFactory(
        organisation=renewed.organisation, issued_on=ON - DAY, valid_until=ON + 5 * 365 * DAY
    )
    revoked = RegistrationFactory(
        submitted_on=ON - 320 * DAY, issued_on=ON - 300 * DAY, valid_until=ON + 10 * DAY
    )
    RegistrationFactory(
        organisation=revoked.organisation,
        status=Registration.Status.REVOKED,
        number="",
        valid_until=None,
        submitted_on=None,
        issued_on=ON - 2 * DAY,
    )

    expiring = set(Registration.objects.current_expiring(ON, until))

    assert expiring == {ending}
    assert too_late not in expiring


def test_current_expiring_accreditations_leave_out_outlasted_ones():
    ending = AccreditationFactory(accredited_on=ON - 300 * DAY, valid_until=ON)
    outlasted = AccreditationFactory(accredited_on=ON - 300 * DAY, valid_until=ON + 10 * DAY)
    AccreditationFactory(
        organisation=outlasted.organisation,
        accredited_on=ON - DAY,
        valid_until=ON + 3 * 365 * DAY,
    )

    assert set(Accreditation.objects.current_expiring(ON, ON + 90 * DAY)) == {ending}


@pytest.mark.parametrize("model", [Registration, Accreditation, LegalDocument, Mentoring])
def test_the_records_of_an_lks_sort_without_joining_it(model):
    # They are listed per LKS; sorting by the LKS too would join it on every query.
    assert "JOIN" not in str(model.objects.all().query)

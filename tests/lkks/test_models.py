import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.models import Body, FieldCheckConstraint, Membership, Region
from members.models import Accreditation, LegalDocument, Mentoring, Organisation, Registration
from programs.models import Activity, ActivityPhoto, Program
from tests.factories import (
    AccreditationFactory,
    ActivityPhotoFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    LegalDocumentFactory,
    MembershipFactory,
    MentoringFactory,
    OrganisationFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

BODY_OWNED = [
    Body,
    Organisation,
    Registration,
    Accreditation,
    LegalDocument,
    Mentoring,
    Program,
    Activity,
    ActivityPhoto,
    Funder,
    Grant,
    Allocation,
    Disbursement,
    Expenditure,
]


@pytest.fixture
def two_bodies_of_records(kampar, sleman):
    """One record of every body-owned model in each body."""
    for body in (kampar, sleman):
        registration = RegistrationFactory(organisation__body=body)
        lks = registration.organisation
        AccreditationFactory(organisation=lks)
        LegalDocumentFactory(organisation=lks)
        MentoringFactory(organisation=lks)
        allocation = AllocationFactory(grant__funder__body=body)
        ActivityPhotoFactory(activity=allocation.activity)
        DisbursementFactory(grant=allocation.grant)
        ExpenditureFactory(grant=allocation.grant, activity=allocation.activity)
    return kampar, sleman


def body_of(record):
    """Walk from any body-owned record up to its body, the long way round."""
    for step in ("organisation", "activity", "program", "grant", "funder"):
        if hasattr(record, step):
            return body_of(getattr(record, step))
    return record.body if hasattr(record, "body") else record


@pytest.mark.parametrize("model", BODY_OWNED, ids=lambda model: model.__name__)
def test_for_user_shows_a_member_only_the_records_of_their_body(model, two_bodies_of_records):
    kampar, _sleman = two_bodies_of_records
    official = MembershipFactory(body=kampar, role=Membership.Role.OFFICIAL).user

    visible = list(model.objects.for_user(official))

    assert visible
    assert {body_of(record) for record in visible} == {kampar}


@pytest.mark.parametrize("model", BODY_OWNED, ids=lambda model: model.__name__)
def test_for_user_shows_a_member_of_two_bodies_both_without_duplicates(
    model, two_bodies_of_records
):
    kampar, sleman = two_bodies_of_records
    provincial = UserFactory()
    MembershipFactory(user=provincial, body=kampar, role=Membership.Role.OFFICIAL)
    MembershipFactory(user=provincial, body=sleman, role=Membership.Role.OFFICIAL)

    visible = list(model.objects.for_user(provincial))

    assert len(visible) == model.objects.count()
    assert {body_of(record) for record in visible} == {kampar, sleman}


@pytest.mark.parametrize("model", BODY_OWNED, ids=lambda model: model.__name__)
def test_for_user_shows_nothing_to_anonymous_inactive_or_bodiless_users(
    model, two_bodies_of_records
):
    kampar, _sleman = two_bodies_of_records
    inactive = MembershipFactory(body=kampar, user__is_active=False).user

    assert not model.objects.for_user(AnonymousUser()).exists()
    assert not model.objects.for_user(inactive).exists()
    assert not model.objects.for_user(UserFactory()).exists()


@pytest.mark.parametrize("model", BODY_OWNED, ids=lambda model: model.__name__)
def test_for_user_shows_everything_to_the_superuser(model, two_bodies_of_records):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert model.objects.for_user(admin).count() == model.objects.count()


@pytest.mark.parametrize(
    "model", [model for model in BODY_OWNED if model is not Body], ids=lambda m: m.__name__
)
def test_editable_by_lets_staff_edit_their_body_and_officials_nothing(model, two_bodies_of_records):
    kampar, _sleman = two_bodies_of_records
    staff = MembershipFactory(body=kampar, role=Membership.Role.STAFF).user
    official = MembershipFactory(body=kampar, role=Membership.Role.OFFICIAL).user
    admin = UserFactory(is_superuser=True, is_staff=True)

    editable = list(model.objects.editable_by(staff))

    assert editable
    assert {body_of(record) for record in editable} == {kampar}
    assert not model.objects.editable_by(official).exists()
    assert not model.objects.editable_by(AnonymousUser()).exists()
    assert model.objects.editable_by(admin).count() == model.objects.count()


def test_a_user_belongs_to_a_body_only_once(kampar):
    membership = MembershipFactory(body=kampar)

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=membership.user, body=kampar, role=Membership.Role.OFFICIAL)


def test_a_region_below_province_needs_a_parent():
    with pytest.raises(IntegrityError), transaction.atomic():
        Region.objects.create(code="99.01", name="Tanpa Induk", level=Region.Level.REGENCY)


def test_regions_are_loaded_with_their_hierarchy():
    kampar = Region.objects.get(code="14.01")
    sleman = Region.objects.get(code="34.04")

    assert kampar.level == Region.Level.REGENCY
    assert kampar.parent.code == "14"
    assert kampar.children.count() == 21
    assert sleman.children.count() == 17
    assert Region.objects.get(code="34.04.15").name == "Turi"
    turi_villages = Region.objects.villages().filter(parent__code="34.04.15")
    assert turi_villages.exists()


def test_body_province_is_the_parent_of_its_regency(sleman):
    assert sleman.province.code == "34"


def test_field_check_constraint_survives_deconstruction():
    constraint = FieldCheckConstraint(field="amount", condition=Q(amount__gte=0), name="positive")

    path, args, kwargs = constraint.deconstruct()
    rebuilt = FieldCheckConstraint(*args, **kwargs)

    assert path == "lkks.models.FieldCheckConstraint"
    assert kwargs["field"] == "amount"
    assert rebuilt == constraint
    assert rebuilt != FieldCheckConstraint(
        field="other", condition=Q(amount__gte=0), name="positive"
    )


def test_field_check_constraint_reports_on_its_field(kampar):
    mentoring = MentoringFactory.build(
        organisation=OrganisationFactory(body=kampar),
        date=datetime.date(2024, 6, 10),
        follow_up_on=datetime.date(2024, 6, 9),
    )

    with pytest.raises(ValidationError) as refused:
        mentoring.validate_constraints()

    assert set(refused.value.message_dict) == {"follow_up_on"}

"""A study visit is one record seen by both its bodies and by no third; its rules."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lkks.models import Membership
from tests.factories import (
    DelegateFactory,
    FollowUpFactory,
    StudyVisitFactory,
    VisitPhotoFactory,
)
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto
from visits.services import follow_up_body, follow_up_save, visit_save

pytestmark = pytest.mark.django_db


def test_both_sides_read_the_visit_and_a_third_body_does_not(
    visit, staff, other_staff, sleman_official, third_staff
):
    for user in [staff, other_staff, sleman_official]:
        assert list(StudyVisit.objects.for_user(user)) == [visit]
    assert list(StudyVisit.objects.for_user(third_staff)) == []


def test_staff_of_either_side_change_it_officials_do_not(
    visit, staff, other_staff, official, sleman_official
):
    assert list(StudyVisit.objects.editable_by(staff)) == [visit]
    assert list(StudyVisit.objects.editable_by(other_staff)) == [visit]
    assert list(StudyVisit.objects.editable_by(official)) == []
    assert list(StudyVisit.objects.editable_by(sleman_official)) == []


def test_a_reader_of_both_sides_sees_the_visit_once(visit, provincial):
    assert list(StudyVisit.objects.for_user(provincial)) == [visit]


def test_its_parts_follow_the_visit(visit, staff, third_staff):
    delegate = DelegateFactory(visit=visit)
    photo = VisitPhotoFactory(visit=visit)

    assert list(Delegate.objects.for_user(staff)) == [delegate]
    assert list(VisitPhoto.objects.editable_by(staff)) == [photo]
    assert list(Delegate.objects.for_user(third_staff)) == []
    assert list(VisitPhoto.objects.for_user(third_staff)) == []


def test_a_follow_up_is_read_by_both_sides_and_changed_by_its_own(visit, staff, other_staff):
    ours = FollowUpFactory(visit=visit, body=visit.visiting_body)

    assert list(FollowUp.objects.for_user(other_staff)) == [ours]
    assert list(FollowUp.objects.editable_by(other_staff)) == []
    assert list(FollowUp.objects.editable_by(staff)) == [ours]


def test_a_follow_up_belongs_to_a_side_of_its_visit(visit, third):
    with pytest.raises(ValidationError) as refused:
        follow_up_save(
            follow_up=FollowUp(visit=visit, body=third, action="X", responsible="Y"), by=None
        )

    assert refused.value.error_dict["body"][0].code == "not_a_side"


def test_a_follow_up_done_says_what_came_of_it(visit):
    with pytest.raises(ValidationError) as refused:
        follow_up_save(
            follow_up=FollowUp(
                visit=visit,
                body=visit.visiting_body,
                action="X",
                responsible="Y",
                status=FollowUp.Status.DONE,
            ),
            by=None,
        )

    assert refused.value.error_dict["outcome"][0].code == "outcome_required"


def test_a_new_follow_up_goes_to_the_side_the_user_works_for(visit, kampar, sleman, member):
    both = member([kampar, sleman])
    sleman_only = member(sleman)
    official = member(kampar, Membership.Role.OFFICIAL)

    assert follow_up_body(visit, both, preferred=sleman) == sleman
    assert follow_up_body(visit, both, preferred=None) == kampar
    assert follow_up_body(visit, sleman_only, preferred=kampar) == sleman
    assert follow_up_body(visit, official, preferred=kampar) is None


def test_follow_ups_due_are_the_open_ones_by_a_day(visit):
    late = FollowUpFactory(visit=visit, due_on=datetime.date(2024, 11, 1))
    FollowUpFactory(visit=visit, due_on=datetime.date(2024, 11, 1), status="done", outcome="Ok")
    FollowUpFactory(visit=visit, due_on=datetime.date(2025, 1, 1))
    FollowUpFactory(visit=visit, due_on=None)

    assert list(FollowUp.objects.due_by(datetime.date(2024, 12, 1))) == [late]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"host_body": None, "host_name": ""}, "host_body"),
        ({"host_body": "visiting"}, "host_body"),
        ({"start_time": datetime.time(14), "end_time": datetime.time(13)}, "end_time"),
        ({"place": ""}, "place"),
        ({"purpose": ""}, "purpose"),
    ],
)
def test_a_visit_that_cannot_be_is_refused_on_its_field(kampar, sleman, staff, fields, field):
    visit = StudyVisitFactory.build(visiting_body=kampar, host_body=sleman)
    for name, value in fields.items():
        setattr(visit, name, kampar if value == "visiting" else value)

    with pytest.raises(ValidationError) as refused:
        visit_save(visit=visit, by=staff)

    assert field in refused.value.error_dict
    assert not StudyVisit.objects.exists()


def test_a_visit_to_an_outside_host_has_one_side(kampar, staff):
    visit = visit_save(
        visit=StudyVisitFactory.build(
            visiting_body=kampar, host_body=None, host_name="Dinas Sosial Provinsi DIY"
        ),
        by=staff,
    )

    assert visit.host == "Dinas Sosial Provinsi DIY"
    assert visit.sides == [kampar]


def test_a_body_records_only_visits_it_takes_part_in(kampar, sleman, third, third_staff, staff):
    with pytest.raises(ValidationError) as refused:
        visit_save(
            visit=StudyVisitFactory.build(visiting_body=kampar, host_body=sleman), by=third_staff
        )
    received = visit_save(
        visit=StudyVisitFactory.build(visiting_body=third, host_body=kampar), by=staff
    )

    assert refused.value.error_dict["visiting_body"][0].code == "not_a_side"
    assert received.history.get().history_user == staff

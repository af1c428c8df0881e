import datetime

import pytest
from django.core.exceptions import ValidationError

from programs.models import Activity, Program
from programs.services import activity_save, program_save
from tests.factories import ActivityFactory, OrganisationFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_activity_save_sets_participating_lks_of_its_body(kampar):
    program = ProgramFactory(body=kampar)
    participants = OrganisationFactory.create_batch(2, body=kampar)

    activity = activity_save(
        activity=ActivityFactory.build(program=program), participants=participants
    )

    assert set(activity.participants.all()) == set(participants)


def test_activity_save_refuses_lks_of_another_body_and_writes_nothing(kampar, sleman):
    program = ProgramFactory(body=kampar)
    foreign = OrganisationFactory(body=sleman)

    with pytest.raises(ValidationError) as refused:
        activity_save(activity=ActivityFactory.build(program=program), participants=[foreign])

    assert "participants" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_activity_save_refuses_end_before_start_on_the_field():
    with pytest.raises(ValidationError) as refused:
        activity_save(
            activity=ActivityFactory.build(
                program=ProgramFactory(),
                planned_start=datetime.date(2024, 5, 2),
                planned_end=datetime.date(2024, 5, 1),
            )
        )

    assert "planned_end" in refused.value.message_dict
    assert not Activity.objects.exists()


def test_program_save_refuses_a_duplicate_code(kampar):
    ProgramFactory(body=kampar, code="P01")

    with pytest.raises(ValidationError):
        program_save(program=ProgramFactory.build(body=kampar, code="P01"))


@pytest.mark.django_db
def test_a_code_taken_by_a_racing_save_is_an_error_on_the_code(monkeypatch):
    """Two saves can both pass full_clean(); the second must still get a form error,
    not an IntegrityError (the database's unique constraint decides)."""
    first = ProgramFactory(code="P01")
    duplicate = Program(
        body=first.body,
        fiscal_year=first.fiscal_year,
        code="P01",
        name="Dobel",
        category=Program.Category.SOCIAL,
    )
    monkeypatch.setattr(Program, "full_clean", lambda self, *args, **kwargs: None)
    with pytest.raises(ValidationError) as refused:
        program_save(program=duplicate)
    assert refused.value.error_dict["code"][0].code == "unique"
    assert Program.objects.filter(code="P01").count() == 1

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from programs.models import Activity, ActivityPhoto, Program
from tests.factories import ActivityFactory, ProgramFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def refused_fields(instance):
    with pytest.raises(ValidationError) as refused:
        instance.full_clean()
    return refused.value.message_dict


def test_negative_budget_ceiling_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(budget_ceiling=Decimal(-1))


def test_negative_budget_ceiling_by_update_is_refused_by_the_database():
    program = ProgramFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Program.objects.filter(pk=program.pk).update(budget_ceiling=Decimal(-1))


def test_fiscal_year_out_of_range_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(fiscal_year=1999)


def test_duplicate_program_code_in_a_body_and_year_is_refused_by_the_database(kampar):
    ProgramFactory(body=kampar, fiscal_year=2024, code="P01")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(body=kampar, fiscal_year=2024, code="P01")


def test_same_program_code_in_another_year_or_body_is_allowed(kampar, sleman):
    ProgramFactory(body=kampar, fiscal_year=2024, code="P01")
    ProgramFactory(body=kampar, fiscal_year=2025, code="P01")
    ProgramFactory(body=sleman, fiscal_year=2024, code="P01")

    assert Program.objects.filter(code="P01").count() == 3


def test_negative_activity_budget_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(budget=Decimal(-1))


def test_negative_activity_budget_by_update_is_refused_by_the_database():
    activity = ActivityFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(budget=Decimal(-1))


def test_activity_planned_end_before_start_is_refused_by_the_database():
    start = datetime.date(2024, 5, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(planned_start=start, planned_end=start - DAY)


def test_activity_actual_end_before_start_is_refused_by_the_database():
    start = datetime.date(2024, 5, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        ActivityFactory(actual_start=start, actual_end=start - DAY)


def test_one_day_activity_is_allowed():
    day = datetime.date(2024, 5, 1)

    activity = ActivityFactory(planned_start=day, planned_end=day)

    assert activity.pk


def test_program_full_clean_reports_negative_budget_ceiling_on_its_field():
    program = ProgramFactory.build(body=ProgramFactory().body, budget_ceiling=Decimal(-1))

    assert "budget_ceiling" in refused_fields(program)


def test_program_full_clean_reports_duplicate_code(kampar):
    ProgramFactory(body=kampar, fiscal_year=2024, code="P01")
    duplicate = ProgramFactory.build(body=kampar, fiscal_year=2024, code="P01")

    errors = refused_fields(duplicate)

    constraint = next(
        c for c in Program._meta.constraints if c.name == "program_code_unique_per_body_year"
    )
    assert errors["__all__"] == [constraint.get_violation_error_message()]


def test_activity_full_clean_reports_planned_end_on_its_field():
    start = datetime.date(2024, 5, 1)
    activity = ActivityFactory.build(
        program=ProgramFactory(), planned_start=start, planned_end=start - DAY
    )

    errors = refused_fields(activity)

    assert list(errors) == ["planned_end"]


def test_activity_full_clean_reports_negative_budget_on_its_field():
    activity = ActivityFactory.build(program=ProgramFactory(), budget=Decimal(-5))

    errors = refused_fields(activity)

    assert list(errors) == ["budget"]


@pytest.mark.parametrize("model", [Activity, ActivityPhoto])
def test_the_default_order_joins_no_other_table(model):
    # A list across programs asks for it (``in_program_order``); a plain query, such as
    # a program's own activities, sorts on the record's own columns.
    assert "JOIN" not in str(model.objects.all().query)


def test_in_program_order_lists_the_newest_year_first_then_by_code_and_start(kampar):
    older = ProgramFactory(body=kampar, fiscal_year=2023, code="P01")
    second = ProgramFactory(body=kampar, fiscal_year=2024, code="P02")
    first = ProgramFactory(body=kampar, fiscal_year=2024, code="P01")
    ActivityFactory(
        program=older, name="Tahun lalu", planned_start=datetime.date(2023, 1, 9), planned_end=None
    )
    ActivityFactory(
        program=second,
        name="Program kedua",
        planned_start=datetime.date(2024, 1, 9),
        planned_end=None,
    )
    ActivityFactory(
        program=first, name="Akhir", planned_start=datetime.date(2024, 9, 1), planned_end=None
    )
    ActivityFactory(
        program=first, name="Awal", planned_start=datetime.date(2024, 2, 1), planned_end=None
    )

    names = [activity.name for activity in Activity.objects.in_program_order()]

    assert names == ["Awal", "Akhir", "Program kedua", "Tahun lalu"]

import pytest
from django.utils import timezone

from lkks.models import Region
from programs.forms import ActivityForm, ProgramForm
from programs.models import Activity, Program
from tests.factories import (
    KAMPAR,
    ActivityFactory,
    OrganisationFactory,
    ProgramFactory,
    first_district,
    region,
)

pytestmark = pytest.mark.django_db


def program_data(**changes):
    data = {
        "fiscal_year": "2024",
        "code": "P01",
        "name": "Penguatan Kelembagaan LKKS",
        "category": Program.Category.INSTITUTIONAL,
        "budget_ceiling": "380000000",
        "description": "",
    }
    return {**data, **changes}


def activity_data(**changes):
    data = {
        "name": "Rapat koordinasi LKKS dan LKS",
        "kind": Activity.Kind.COORDINATION,
        "status": Activity.Status.PLANNED,
        "planned_start": "2024-03-05",
        "planned_end": "2024-03-05",
        "district": first_district(region(KAMPAR)).pk,
        "budget": "80000000",
        "target_participants": "60",
        "actual_participants": "0",
    }
    return {**data, **changes}


def activity_form(staff, program, **changes):
    return ActivityForm(
        data=activity_data(**changes), user=staff, instance=Activity(program=program)
    )


def test_program_form_has_no_body_field(staff, kampar):
    assert "body" not in ProgramForm(user=staff, body=kampar).fields


def test_a_new_program_is_proposed_for_this_year(staff, kampar):
    form = ProgramForm(user=staff, body=kampar)

    assert form["fiscal_year"].value() == timezone.localdate().year


def test_program_form_puts_a_duplicate_code_on_the_code_field(staff, kampar):
    ProgramFactory(body=kampar, fiscal_year=2024, code="P01")

    form = ProgramForm(data=program_data(), user=staff, body=kampar)

    assert not form.is_valid()
    assert list(form.errors) == ["code"]


def test_program_form_accepts_the_code_of_another_body(staff, kampar, sleman):
    ProgramFactory(body=sleman, fiscal_year=2024, code="P01")

    assert ProgramForm(data=program_data(), user=staff, body=kampar).is_valid()


def test_program_form_accepts_its_own_code_when_editing(staff, kampar):
    program = ProgramFactory(body=kampar, fiscal_year=2024, code="P01")

    form = ProgramForm(data=program_data(), user=staff, instance=program)

    assert form.is_valid(), form.errors


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"budget_ceiling": "-1"}, "budget_ceiling"),
        ({"budget_ceiling": "sejuta"}, "budget_ceiling"),
        ({"fiscal_year": "1999"}, "fiscal_year"),
        ({"code": ""}, "code"),
    ],
)
def test_program_form_puts_bad_input_on_its_field(staff, kampar, changes, field):
    form = ProgramForm(data=program_data(**changes), user=staff, body=kampar)

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_activity_form_offers_only_lks_and_kecamatan_of_the_body(staff, kampar, sleman):
    program = ProgramFactory(body=kampar)
    own = OrganisationFactory(body=kampar)
    OrganisationFactory(body=sleman)

    form = ActivityForm(user=staff, instance=Activity(program=program))

    assert list(form.fields["participants"].queryset) == [own]
    districts = form.fields["district"].queryset
    assert districts.count() == Region.objects.filter(parent=kampar.regency).count()
    assert not districts.exclude(parent=kampar.regency).exists()


def test_activity_form_refuses_an_lks_of_another_body_even_for_the_admin(
    admin_user, kampar, sleman
):
    program = ProgramFactory(body=kampar)
    foreign = OrganisationFactory(body=sleman)

    form = activity_form(admin_user, program, participants=[foreign.pk])

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["participants"]] == ["invalid_choice"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"planned_start": "2024-03-05", "planned_end": "2024-03-04"}, "planned_end"),
        ({"actual_start": "2024-03-05", "actual_end": "2024-03-01"}, "actual_end"),
        ({"budget": "-1"}, "budget"),
        ({"actual_participants": "-3"}, "actual_participants"),
        ({"planned_start": "31/02/2024"}, "planned_start"),
    ],
)
def test_activity_form_puts_bad_input_on_its_field(staff, kampar, changes, field):
    form = activity_form(staff, ProgramFactory(body=kampar), **changes)

    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_activity_form_reads_indonesian_dates(staff, kampar):
    form = activity_form(
        staff, ProgramFactory(body=kampar), planned_start="05/03/2024", planned_end="07/03/2024"
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["planned_end"].isoformat() == "2024-03-07"


def test_activity_form_uses_the_browser_date_picker(staff, kampar):
    activity = ActivityFactory(program__body=kampar)

    form = ActivityForm(user=staff, instance=activity)

    assert 'type="date"' in str(form["planned_start"])
    assert 'value="2024-05-01"' in str(form["planned_start"])

import pytest
from django.urls import reverse

from programs.models import Activity, ActivityPhoto, Program
from tests.factories import ActivityFactory, ActivityPhotoFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def test_program_changelist_queries_do_not_grow_with_rows(assert_changelist_queries_constant):
    """Each program in its own body, with an activity."""

    def programs(count):
        for program in ProgramFactory.create_batch(count):
            ActivityFactory(program=program)

    assert_changelist_queries_constant(Program, programs)


def test_activity_changelist_queries_do_not_grow_with_rows(assert_changelist_queries_constant):
    """Each activity in its own program of its own body."""
    assert_changelist_queries_constant(Activity, ActivityFactory.create_batch)


def test_activity_photo_changelist_queries_do_not_grow_with_rows(
    assert_changelist_queries_constant,
):
    assert_changelist_queries_constant(ActivityPhoto, ActivityPhotoFactory.create_batch)


def test_program_change_page_lists_its_activities_inline(admin_client):
    activity = ActivityFactory(name="Bimtek pengurus LKS")

    response = admin_client.get(
        reverse("admin:programs_program_change", args=[activity.program.pk])
    )

    assert response.status_code == 200
    assert "Bimtek pengurus LKS" in response.text


def test_program_with_a_duplicate_code_is_refused_in_the_admin(admin_client):
    existing = ProgramFactory(code="P01")

    response = admin_client.post(
        reverse("admin:programs_program_add"),
        {
            "body": existing.body.pk,
            "fiscal_year": existing.fiscal_year,
            "code": "P01",
            "name": "Program kembar",
            "category": Program.Category.SOCIAL,
            "budget_ceiling": "1000",
            "description": "",
            "activities-TOTAL_FORMS": "0",
            "activities-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Program.objects.count() == 1

import datetime

import pytest

from members.forms import (
    AccreditationForm,
    LegalDocumentForm,
    MentoringForm,
    OrganisationForm,
    RegistrationForm,
)
from members.models import Accreditation, Mentoring, Organisation, Registration, TargetGroup
from tests.factories import TargetGroupFactory

pytestmark = pytest.mark.django_db


def organisation_form(staff, body, **data):
    fields = {"name": "LKSA Harapan", "kind": "lksa", "legal_form": "foundation"}
    fields |= {"client_count": "0", "district": "14.01.01", **data}
    return OrganisationForm(fields, user=staff, body=body, instance=Organisation(body=body))


def test_lks_form_never_shows_the_body(staff, kampar):
    assert "body" not in OrganisationForm(user=staff, body=kampar).fields


def test_lks_form_offers_the_kecamatan_and_villages_of_the_bodys_regency(staff, kampar):
    form = OrganisationForm(user=staff, body=kampar)

    districts = form.fields["district"].queryset
    villages = form.fields["village"].queryset
    assert {district.parent_id for district in districts} == {"14.01"}
    assert districts.count() == 21
    assert {village.parent.parent_id for village in villages} == {"14.01"}
    labels = dict(form.fields["village"].choices)
    assert labels[form.fields["village"].prepare_value(villages.get(code="14.01.02.1027"))] == (
        "Air Tiris (Kampar)"
    )


def test_lks_form_offers_every_target_group_as_a_checkbox(staff, kampar):
    group = TargetGroupFactory(name="Korban bencana contoh")

    field = OrganisationForm(user=staff, body=kampar).fields["target_groups"]

    assert group in field.queryset
    assert field.queryset.count() == TargetGroup.objects.count()
    assert field.widget.input_type == "checkbox"


def test_lks_form_refuses_a_kecamatan_of_another_regency(staff, kampar):
    form = organisation_form(staff, kampar, district="34.04.01")

    assert not form.is_valid()
    assert [error.code for error in form.errors.as_data()["district"]] == ["invalid_choice"]


def test_lks_form_refuses_a_village_of_another_kecamatan(staff, kampar):
    form = organisation_form(staff, kampar, village="14.01.02.2001")

    assert not form.is_valid()
    assert list(form.errors) == ["village"]


def test_lks_form_accepts_a_village_of_its_kecamatan(staff, kampar):
    assert organisation_form(staff, kampar, village="14.01.01.1011").is_valid()


def test_dates_use_the_browsers_date_picker(staff, lks):
    form = RegistrationForm(user=staff, instance=Registration(organisation=lks))

    for name in ["submitted_on", "issued_on", "valid_until"]:
        assert form.fields[name].widget.input_type == "date"


@pytest.mark.parametrize(
    "form_class", [RegistrationForm, AccreditationForm, LegalDocumentForm, MentoringForm]
)
def test_record_forms_never_show_the_lks_or_body(staff, lks, form_class):
    form = form_class(user=staff, instance=form_class._meta.model(organisation=lks))

    assert not {"organisation", "body"} & set(form.fields)


def accreditation_form(staff, lks, **data):
    fields = {"status": "accredited", "grade": "B", "accredited_on": "2025-03-01", **data}
    return AccreditationForm(fields, user=staff, instance=Accreditation(organisation=lks))


@pytest.mark.parametrize(
    ("grade", "valid_until"),
    [
        ("A", datetime.date(2030, 3, 1)),
        ("B", datetime.date(2028, 3, 1)),
        ("C", datetime.date(2027, 3, 1)),
    ],
)
def test_accreditation_form_fills_the_default_validity_of_the_grade(staff, lks, grade, valid_until):
    form = accreditation_form(staff, lks, grade=grade)

    assert form.is_valid(), form.errors
    assert form.instance.valid_until == valid_until


def test_accreditation_form_keeps_a_given_validity(staff, lks):
    form = accreditation_form(staff, lks, valid_until="2026-03-01")

    assert form.is_valid(), form.errors
    assert form.instance.valid_until == datetime.date(2026, 3, 1)


def test_accreditation_form_without_a_date_is_refused(staff, lks):
    form = accreditation_form(staff, lks, accredited_on="", submitted_on="2025-01-01")

    assert not form.is_valid()
    assert form.non_field_errors()
    assert form.cleaned_data.get("valid_until") is None


def test_mentoring_follow_up_before_the_visit_is_refused_on_its_field(staff, lks):
    form = MentoringForm(
        {
            "date": "2025-04-10",
            "kind": "other",
            "officer": "Aly",
            "activities": "Kunjungan.",
            "follow_up_on": "2025-04-01",
        },
        user=staff,
        instance=Mentoring(organisation=lks),
    )

    assert not form.is_valid()
    assert list(form.errors) == ["follow_up_on"]

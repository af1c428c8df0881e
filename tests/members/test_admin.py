import datetime

import pytest
from django.urls import reverse

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
    BodyFactory,
    LegalDocumentFactory,
    MentoringFactory,
    OrganisationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def lks_with_history(count):
    """LKS of their own bodies, each registered and accredited."""
    for _ in range(count):
        lks = OrganisationFactory(body=BodyFactory())
        RegistrationFactory(organisation=lks)
        AccreditationFactory(organisation=lks)


def test_organisation_changelist_queries_do_not_grow_with_rows(
    assert_changelist_queries_constant,
):
    assert_changelist_queries_constant(Organisation, lks_with_history)


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Registration, RegistrationFactory),
        (Accreditation, AccreditationFactory),
        (LegalDocument, LegalDocumentFactory),
        (Mentoring, MentoringFactory),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_lks_record_changelist_queries_do_not_grow_with_rows(
    model, factory, assert_changelist_queries_constant
):
    """Each record hangs off its own LKS in its own body."""
    assert_changelist_queries_constant(model, factory.create_batch)


def test_organisation_changelist_shows_the_derived_status_and_grade(admin_client):
    registered = RegistrationFactory().organisation
    AccreditationFactory(
        organisation=registered,
        grade="A",
        accredited_on=datetime.date(2024, 1, 1),
        valid_until=datetime.date(2099, 1, 1),
    )
    OrganisationFactory(name="LKS Belum Terdaftar")

    response = admin_client.get(reverse("admin:members_organisation_changelist"))

    rows = {lks.name: lks for lks in response.context["cl"].result_list}
    assert rows[registered.name].registration_status in {
        RegistrationStatus.REGISTERED,
        RegistrationStatus.EXPIRED,
    }
    assert rows[registered.name].accreditation_grade == "A"
    assert rows["LKS Belum Terdaftar"].registration_status == RegistrationStatus.UNREGISTERED


def test_organisation_changelist_filters_by_registration_status(admin_client):
    application = RegistrationFactory(submitted=True, submitted_on=datetime.date(2024, 1, 1))
    OrganisationFactory()

    response = admin_client.get(
        reverse("admin:members_organisation_changelist"),
        {"registration_status": RegistrationStatus.IN_PROCESS},
    )

    assert list(response.context["cl"].result_list) == [application.organisation]


def test_registration_added_in_the_admin_takes_the_body_of_its_lks(admin_client):
    lks = OrganisationFactory()

    response = admin_client.post(
        reverse("admin:members_registration_add"),
        {
            "organisation": lks.pk,
            "status": Registration.Status.REGISTERED,
            "number": "460/777/TD/2024",
            "issuer": "Dinas Sosial",
            "submitted_on": "2024-01-02",
            "issued_on": "2024-02-01",
            "valid_until": "2029-02-01",
            "notes": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Registration.objects.get(number="460/777/TD/2024").body == lks.body


def test_registration_with_valid_until_before_issue_is_refused_in_the_admin_on_the_field(
    admin_client,
):
    lks = OrganisationFactory()

    response = admin_client.post(
        reverse("admin:members_registration_add"),
        {
            "organisation": lks.pk,
            "status": Registration.Status.REGISTERED,
            "number": "460/778/TD/2024",
            "submitted_on": "2024-01-02",
            "issued_on": "2024-02-01",
            "valid_until": "2024-01-31",
        },
    )

    assert response.status_code == 200
    assert "valid_until" in response.context["adminform"].form.errors
    assert not Registration.objects.exists()


def test_accreditation_added_in_the_admin_gets_the_default_validity(admin_client):
    lks = OrganisationFactory()

    response = admin_client.post(
        reverse("admin:members_accreditation_add"),
        {
            "organisation": lks.pk,
            "status": Accreditation.Status.ACCREDITED,
            "grade": "C",
            "certificate_number": "BALKS/999/2024",
            "accredited_on": "2024-03-01",
            "valid_until": "",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Accreditation.objects.get().valid_until == datetime.date(2026, 3, 1)


def test_admin_search_finds_an_lks_by_name_chairperson_or_registration_number_once(
    admin_client,
):
    """Every word must match the name, the chairperson or one of the LKS's registration
    numbers; an LKS with two matching registrations is listed once, without DISTINCT
    (which would compute every match's registration status)."""
    body = BodyFactory()
    found = OrganisationFactory(body=body, name="Panti Asuhan Melati", chairperson="Siti")
    RegistrationFactory(organisation=found, number="460/0001/TD/2020")
    RegistrationFactory(organisation=found, number="460/0002/TD/2024")
    OrganisationFactory(body=body, name="Panti Werdha Mawar", chairperson="Budi")
    url = reverse("admin:members_organisation_changelist")

    def names(term):
        response = admin_client.get(url, {"q": term})
        assert response.status_code == 200
        return [lks.name for lks in response.context["cl"].result_list]

    assert names("460/000") == ["Panti Asuhan Melati"]
    assert names("melati siti") == ["Panti Asuhan Melati"]
    assert names('"Werdha Mawar"') == ["Panti Werdha Mawar"]
    assert names("melati budi") == []
    assert "DISTINCT" not in str(admin_client.get(url, {"q": "460"}).context["cl"].queryset.query)

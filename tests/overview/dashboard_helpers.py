"""Shared set-ups of the dashboard, comparison and JSON tests: the demo loaded once per
module, many LKS written in bulk, and counting the queries of a request."""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings

from grants.models import Funder
from lkks.models import Body, Membership, User
from members.models import Accreditation, Mentoring, Organisation, Registration
from programs.models import Activity
from tests.factories import (
    AccreditationFactory,
    ActivityFactory,
    AllocationFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    MembershipFactory,
    MentoringFactory,
    OrganisationFactory,
    ProgramFactory,
    RegistrationFactory,
    first_district,
)

SLEMAN_IN_PROCESS = {"Al Ghifari Turi", "Quen Latifa", "Permata Nusantara", "Pdhi Hj Sarwa"}


def demo_fixture():
    """A class-scoped fixture: the demo, loaded once for a test class inside a
    transaction rolled back at the end of the class; each test runs in a savepoint
    within it. (Class-scoped so that the module's other tests never see the demo.)"""

    @pytest.fixture(scope="class")
    def demo(django_db_setup, django_db_blocker):
        with django_db_blocker.unblock(), transaction.atomic():
            with override_settings(DEBUG=True):
                call_command("load_demo", stdout=StringIO())
            yield {body.slug: body for body in Body.objects.all()}
            transaction.set_rollback(True)

    return demo


def demo_user(username):
    return User.objects.get(username=username)


def member(body, role=Membership.Role.OFFICIAL, user=None):
    kwargs = {"user": user} if user else {}
    return MembershipFactory(body=body, role=role, **kwargs).user


def add_lks(body, count, *, year=2024):
    """``count`` LKS written in bulk: each registered, every other one accredited, every
    tenth one with a pending application instead, with a mentoring visit each."""
    district = first_district(body.regency)
    first = Organisation.objects.filter(body=body).count()
    organisations = Organisation.objects.bulk_create(
        Organisation(body=body, name=f"LKS {body.slug} {first + n:05d}", district=district)
        for n in range(count)
    )
    registrations, accreditations, visits = [], [], []
    for n, organisation in enumerate(organisations):
        if n % 10 == 9:
            registrations.append(
                Registration(
                    organisation=organisation,
                    body=body,
                    status=Registration.Status.SUBMITTED,
                    submitted_on=datetime.date(year, 2, 1),
                )
            )
            continue
        registrations.append(
            Registration(
                organisation=organisation,
                body=body,
                status=Registration.Status.REGISTERED,
                number=f"TD/{body.slug}/{organisation.pk}",
                submitted_on=datetime.date(year - 1, 12, 1),
                issued_on=datetime.date(year, 1, 1),
                valid_until=datetime.date(year + 5, 1, 1),
            )
        )
        if n % 2 == 0:
            accreditations.append(
                Accreditation(
                    organisation=organisation,
                    status=Accreditation.Status.ACCREDITED,
                    grade="ABC"[n % 3],
                    accredited_on=datetime.date(year, 3, 1),
                    valid_until=datetime.date(year + 2, 3, 1),
                )
            )
        visits.append(
            Mentoring(
                organisation=organisation,
                date=datetime.date(year, 5, 1),
                kind=Mentoring.Kind.ADMINISTRATIVE,
                activities="Pendampingan",
                officer="Petugas",
            )
        )
    Registration.objects.bulk_create(registrations)
    Accreditation.objects.bulk_create(accreditations)
    Mentoring.objects.bulk_create(visits)
    return organisations


def add_records(body, *, year=2024):
    """One of every kind of record the dashboard counts, through the factories (so
    with their history): an LKS with registration, accreditation and mentoring, a
    program with a done activity, a grant allocated and partly spent."""
    organisation = OrganisationFactory(body=body)
    RegistrationFactory(organisation=organisation)
    AccreditationFactory(organisation=organisation)
    MentoringFactory(organisation=organisation, date=datetime.date(year, 6, 1))
    program = ProgramFactory(body=body, fiscal_year=year)
    activity = ActivityFactory(program=program, status=Activity.Status.DONE, actual_participants=30)
    activity.participants.add(organisation)
    grant = GrantFactory(
        funder=FunderFactory(body=body, kind=Funder.Kind.CSR),
        fiscal_year=year,
        amount=Decimal(50_000_000),
    )
    AllocationFactory(grant=grant, activity=activity, amount=Decimal(20_000_000))
    ExpenditureFactory(grant=grant, activity=activity, amount=Decimal(5_000_000))
    return organisation


def query_count(client, url, status=200):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, response.content[:500]
    return len(queries)

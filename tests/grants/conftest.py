"""Users, clients, a Kampar grant with its records, and form helpers for the tests of
the grants pages."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from lkks.models import Membership
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
    MembershipFactory,
    UserFactory,
)

JUTA = Decimal(1_000_000)


@pytest.fixture
def member(db):
    """``member(body, role)``: a new user with that role in the body (several bodies
    when given a list)."""

    def make(bodies, role=Membership.Role.STAFF, username=None):
        bodies = bodies if isinstance(bodies, list | tuple) else [bodies]
        user = UserFactory(**({"username": username} if username else {}))
        for body in bodies:
            MembershipFactory(user=user, body=body, role=role)
        return user

    return make


@pytest.fixture
def client_of():
    """``client_of(user)``: a test client logged in as the user (anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def staff(kampar, member):
    return member(kampar, username="staf-kampar")


@pytest.fixture
def official(kampar, member):
    return member(kampar, Membership.Role.OFFICIAL, username="pejabat-kampar")


@pytest.fixture
def other_staff(sleman, member):
    """Staff of another body (Sleman)."""
    return member(sleman, username="staf-sleman")


@pytest.fixture
def provincial(kampar, sleman, member):
    """An official of both bodies."""
    return member([kampar, sleman], Membership.Role.OFFICIAL, username="pejabat-provinsi")


@pytest.fixture
def staff_client(staff, client_of):
    return client_of(staff)


def recorded_by(record, user):
    """The record's history as if the user had made it through the pages."""
    record.history.update(history_user=user)
    return record


@pytest.fixture
def funder(kampar, staff):
    return recorded_by(FunderFactory(body=kampar, name="Pemerintah Kabupaten Kampar"), staff)


@pytest.fixture
def grant(funder, staff):
    """A Kampar hibah of Rp 100 juta for 2024."""
    return recorded_by(
        GrantFactory(funder=funder, name="Hibah APBD 2024", amount=100 * JUTA), staff
    )


@pytest.fixture
def activity(kampar):
    return ActivityFactory(program__body=kampar, name="Bimtek pengurus LKS")


@pytest.fixture
def other_activity(kampar):
    """A second Kampar activity, with no allocation."""
    return ActivityFactory(program__body=kampar, name="Rapat koordinasi LKS")


@pytest.fixture
def sleman_activity(sleman):
    return ActivityFactory(program__body=sleman, name="Kegiatan Sleman")


@pytest.fixture
def allocation(grant, activity):
    """Rp 40 juta of the grant set aside for the activity."""
    return AllocationFactory(grant=grant, activity=activity, amount=40 * JUTA)


@pytest.fixture
def disbursement(grant):
    return DisbursementFactory(grant=grant, amount=60 * JUTA, reference="SP2D 001")


@pytest.fixture
def expenditure(allocation):
    return ExpenditureFactory(
        grant=allocation.grant,
        activity=allocation.activity,
        amount=5 * JUTA,
        description="Konsumsi bimtek",
        date=datetime.date(2024, 5, 2),
    )


def form_values(form):
    """What a browser would send back for a rendered form: every field's current value
    (files left out)."""
    data = {}
    for field in form:
        if isinstance(field.field, forms.FileField):
            continue
        value = field.value()
        if value is None:
            value = ""
        elif isinstance(value, list):
            value = [str(item) for item in value]
        data[field.name] = value
    return data


@pytest.fixture
def submit():
    """``submit(client, url, **changes)``: open the form at ``url``, change some fields
    and post it back, as a user would."""

    def post(client, url, files=None, **changes):
        response = client.get(url)
        assert response.status_code == 200
        data = form_values(response.context["form"])
        data.update(changes)
        data.update(files or {})
        return client.post(url, data)

    return post


@pytest.fixture
def count_queries(staff_client):
    """``count_queries(url)``: the number of queries the page takes for Kampar staff."""

    def count(url, client=None):
        with CaptureQueriesContext(connection) as queries:
            response = (client or staff_client).get(url)
        assert response.status_code == 200
        return len(queries)

    return count

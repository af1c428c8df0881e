"""Users, clients, a Kampar grant with its records, and form helpers for the tests of
the grants pages."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import recorded_by
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    FunderFactory,
    GrantFactory,
)

JUTA = Decimal(1_000_000)


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

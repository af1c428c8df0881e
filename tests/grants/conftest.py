"""Users, clients, a Kampar grant with its records, and form helpers for the tests of
the grants pages."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from grants.models import Funder
from tests.conftest import recorded_by
from tests.factories import (
    ActivityFactory,
    AllocationFactory,
    BudgetLineFactory,
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
    """A Kampar hibah of Rp 100 juta for 2024, its NPHD signed on 1 February 2024 with a
    budget (RAB) of one line that makes the whole grant."""
    grant = recorded_by(
        GrantFactory(funder=funder, name="Hibah APBD 2024", amount=100 * JUTA), staff
    )
    BudgetLineFactory(grant=grant, item="Kegiatan LKKS 2024", amount=100 * JUTA)
    return grant


@pytest.fixture
def line(grant):
    return grant.budget_lines.get()


@pytest.fixture
def csr_grant(kampar):
    """A CSR grant of Rp 50 juta under an MoU, without a budget."""
    return GrantFactory(
        funder=FunderFactory(body=kampar, name="PT Sawit Kampar Lestari", kind=Funder.Kind.CSR),
        name="CSR 2024",
        amount=50 * JUTA,
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
    """Rp 60 juta paid out on 15 March 2024."""
    return DisbursementFactory(
        grant=grant, date=datetime.date(2024, 3, 15), amount=60 * JUTA, reference="SP2D 001"
    )


@pytest.fixture
def expenditure(allocation, disbursement, line):
    """Rp 5 juta spent on 2 May 2024, after the money came."""
    return ExpenditureFactory(
        grant=allocation.grant,
        activity=allocation.activity,
        budget_line=line,
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

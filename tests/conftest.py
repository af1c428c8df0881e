import pytest
from django.core.management import call_command
from django.core.signals import request_started
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from lkks import access
from lkks.models import Membership
from tests.factories import (
    KAMPAR,
    SLEMAN,
    BodyFactory,
    LksAccountFactory,
    MembershipFactory,
    UserFactory,
    region,
)


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` need row locks across connections: skip them on
    any other database."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL, running on {connection.vendor}")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _per_request_floor_as_when_cold(request, settings):
    """Query counts do not depend on which earlier request of a test warmed a cache:
    every request reads the user's bodies (as on a cold cache), and a session is not
    written again because a slow test passed the minute of
    ``lkks.middleware.IdleSessionMiddleware``. tests/lkks/test_floor.py, which tests
    both, sets ``WARM = True``."""
    if getattr(request.module, "WARM", False):
        yield
        return
    settings.SESSION_REFRESH_SECONDS = 24 * 60 * 60
    request_started.connect(_cold_bodies, dispatch_uid="tests.cold_bodies")
    yield
    request_started.disconnect(dispatch_uid="tests.cold_bodies")


def _cold_bodies(**kwargs):
    access.new_bodies_generation()


@pytest.fixture(autouse=True, scope="session")
def _file_roots(tmp_path_factory):
    """Uploaded files (photos, scans) go to a temporary directory, never the project;
    static files are served from an empty one, as if collected."""
    with override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        STATIC_ROOT=tmp_path_factory.mktemp("static"),
    ):
        yield


@pytest.fixture
def kampar(db):
    return BodyFactory(name="LKKS Kabupaten Kampar", slug="kampar", regency=region(KAMPAR))


@pytest.fixture
def sleman(db):
    return BodyFactory(name="LKKS Kabupaten Sleman", slug="sleman", regency=region(SLEMAN))


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
    """Mark the rows a factory wrote in the record's history as the user's doing, as
    the pages would have."""
    record.history.update(history_user=user)
    return record


@pytest.fixture
def changelist_queries(admin_client):
    """The number of queries the admin changelist of a model takes, after checking
    that it renders and lists ``rows`` rows."""

    def count(model, *, rows):
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        with CaptureQueriesContext(connection) as queries:
            response = admin_client.get(url)
        assert response.status_code == 200
        assert response.context["cl"].result_count == rows
        return len(queries)

    return count


@pytest.fixture
def assert_changelist_queries_constant(changelist_queries):
    """Check that a changelist takes as many queries with 50 rows as with 5.

    ``make(count)`` adds ``count`` rows of the model; each row should hang off its own
    related records, so that a missing ``list_select_related`` shows as more queries.
    """

    def check(model, make):
        make(5)
        with_5 = changelist_queries(model, rows=5)
        make(45)
        with_50 = changelist_queries(model, rows=50)
        assert with_50 == with_5, (
            f"the {model._meta.label} changelist takes {with_5} queries with 5 rows "
            f"but {with_50} with 50"
        )

    return check


@pytest.fixture
def lks_person(db):
    """``lks_person(organisation)``: a person of that LKS with an active portal account
    and a password (as after the invitation)."""

    def make(organisation, **fields):
        return LksAccountFactory(organisation=organisation, **fields).user

    return make


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """``with sending(): …``: run, then send the emails it left for the commit (the
    emails to an LKS leave once the decision commits, which a test never does)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def worker_in_test_transaction(monkeypatch):
    """The worker closes "old" connections between tasks, as requests do; inside a test's
    transaction that would close the test's own connection (on PostgreSQL), so it is
    left open, as Django's test client leaves it for requests."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def run_worker(worker_in_test_transaction):
    """``run_worker()``: the real worker (``manage.py jobs_worker --batch``, jobs/) runs
    every task waiting, in this process, then returns. Jobs are enqueued when their
    transaction commits: start them inside ``django_capture_on_commit_callbacks(execute=
    True)`` (or a request made there)."""

    def run(**options):
        call_command(
            "jobs_worker", batch=True, startup_delay=False, reload=False, verbosity=0, **options
        )

    return run

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from tests.factories import KAMPAR, SLEMAN, BodyFactory, region


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgresql`` need row locks across connections: skip them on
    any other database."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason=f"needs PostgreSQL, running on {connection.vendor}")
    for item in items:
        if "postgresql" in item.keywords:
            item.add_marker(skip)


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

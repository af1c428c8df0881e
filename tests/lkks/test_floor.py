"""The floor every authenticated request stands on: the session, the user and the
user's bodies, read cheaply (the bodies from the cache, kept true by signals), and a
session that is written once a minute yet still ends when idle."""

import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template import defaulttags, engines
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import path, reverse
from django.utils import timezone

from lkks import access
from lkks.models import Membership
from lkks.templatetags import memo
from lkks.urls import urlpatterns as lkks_urlpatterns
from tests.factories import BodyFactory, MembershipFactory, UserFactory

PAGE = '{% extends "base.html" %}{% block content %}<p>floor</p>{% endblock %}'
BARE = "<p>{{ user.username }}</p>"


def floor(request):
    """A page that reads nothing of its own under the full navigation (base.html)."""
    return HttpResponse(engines["django"].from_string(PAGE).render({}, request))


def bare(request):
    """A page with the same context processors but no navigation."""
    return HttpResponse(engines["django"].from_string(BARE).render({}, request))


urlpatterns = [path("floor/", floor), path("bare/", bare), *lkks_urlpatterns]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.lkks.test_floor")]
WARM = True  # the caches as they are between requests (tests/conftest.py)


def captured(client, url="/floor/", status=200):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status
    return response, [query["sql"] for query in queries.captured_queries]


def writes(statements):
    return [sql for sql in statements if sql.split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture
def logged_in(client, staff):
    client.force_login(staff)
    client.get("/floor/")  # the bodies into the cache
    return client


# At most three queries before the view's own


def test_a_page_reads_the_session_the_user_and_nothing_else_on_a_warm_cache(logged_in):
    response, statements = captured(logged_in)

    assert len(statements) <= 3, statements
    assert not writes(statements)
    assert "LKKS Kabupaten Kampar" in response.text  # the bodies were read (the navigation)


@pytest.fixture
def database_cache(db):
    """The production default (CACHE_URL unset): Django's cache in a database table."""
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "floor_test_cache",
        }
    }
    with override_settings(CACHES=caches):
        call_command("createcachetable", verbosity=0)
        yield


def test_with_the_database_cache_a_page_takes_three_queries(database_cache, staff):
    client = Client()
    client.force_login(staff)
    client.get("/floor/")

    response, statements = captured(client)

    assert len(statements) == 3, statements
    session, user, bodies = statements
    assert "floor_test_cache" in session
    assert "lkks_user" in user
    assert "floor_test_cache" in bodies
    assert "LKKS Kabupaten Kampar" in response.text


def test_a_page_without_the_navigation_reads_no_bodies(logged_in, staff):
    cache.delete(access.BODIES_KEY.format(staff.pk))  # a body read would show as a query

    response, statements = captured(logged_in, "/bare/")

    assert staff.username in response.text
    assert not any("lkks_body" in sql for sql in statements)


def test_the_bodies_are_read_from_the_database_once(client, staff):
    client.force_login(staff)

    _response, first = captured(client)
    _response, second = captured(client)

    assert any("lkks_body" in sql for sql in first)
    assert not any("lkks_body" in sql for sql in second)
    assert cache.get(access.BODIES_KEY.format(staff.pk)) is not None  # Django's cache


# The cached bodies follow every change


def test_a_new_membership_shows_on_the_next_request(logged_in, staff, sleman):
    assert 'name="body"' not in logged_in.get("/floor/").text  # one body: no switch

    MembershipFactory(user=staff, body=sleman)

    page = logged_in.get("/floor/").text
    assert 'name="body"' in page
    assert "LKKS Kabupaten Sleman" in page


def test_a_removed_membership_is_refused_on_the_next_request(logged_in, staff):
    assert logged_in.get(reverse("members:organisation-list")).status_code == 200

    Membership.objects.filter(user=staff).delete()

    assert logged_in.get(reverse("members:organisation-list")).status_code == 403
    assert "LKKS Kabupaten Kampar" not in logged_in.get("/floor/").text


def test_a_changed_role_is_seen_on_the_next_request(logged_in, staff, kampar):
    membership = Membership.objects.get(user=staff, body=kampar)
    membership.role = Membership.Role.OFFICIAL
    membership.save()

    assert logged_in.get(reverse("members:organisation-create")).status_code == 403


def test_a_renamed_body_shows_on_the_next_request(logged_in, kampar):
    kampar.name = "LKKS Kampar Baru"
    kampar.save()

    assert "LKKS Kampar Baru" in logged_in.get("/floor/").text


def test_a_deleted_body_leaves_the_list(client, member, kampar):
    spare = BodyFactory(name="LKKS Cadangan")
    user = member([kampar, spare])
    client.force_login(user)
    assert "LKKS Cadangan" in client.get("/floor/").text

    spare.delete()

    assert "LKKS Cadangan" not in client.get("/floor/").text


def test_an_account_made_superuser_reads_every_body_on_the_next_request(logged_in, staff, sleman):
    assert "LKKS Kabupaten Sleman" not in logged_in.get("/floor/").text

    staff.is_superuser = True
    staff.save()

    assert "LKKS Kabupaten Sleman" in logged_in.get("/floor/").text


def test_a_change_made_by_another_process_is_seen(sleman, logged_in, staff):
    """Another app process shares only Django's cache and the database: a membership it
    adds starts a new generation there, so this process reads the bodies anew."""
    Membership.objects.bulk_create([Membership(user=staff, body=sleman, role="staff")])
    assert "LKKS Kabupaten Sleman" not in logged_in.get("/floor/").text  # no signal yet

    cache.set(access.GENERATION_KEY, "set-by-another-process", None)

    assert "LKKS Kabupaten Sleman" in logged_in.get("/floor/").text


def test_the_generation_starts_anew_again_when_the_write_commits(
    staff, sleman, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        MembershipFactory(user=staff, body=sleman)
    before_commit = cache.get(access.GENERATION_KEY)

    for callback in callbacks:
        callback()

    assert cache.get(access.GENERATION_KEY) != before_commit


def test_an_evicted_generation_never_serves_an_old_list(logged_in, staff, sleman):
    MembershipFactory(user=staff, body=sleman)
    logged_in.get("/floor/")
    cache.delete(access.GENERATION_KEY)  # e.g. culled from a full database cache
    Membership.objects.filter(user=staff, body=sleman).delete()
    cache.delete(access.GENERATION_KEY)

    assert "LKKS Kabupaten Sleman" not in logged_in.get("/floor/").text


# The session: written once a minute, ended when idle


@pytest.fixture
def clock(monkeypatch):
    """``clock.advance(seconds)``: the time as the session, its cache and the middleware
    see it, moved on."""

    class Clock:
        offset = 0.0

        def advance(self, seconds):
            self.offset += seconds

    clock = Clock()
    real_time, real_now = time.time, timezone.now
    monkeypatch.setattr(time, "time", lambda: real_time() + clock.offset)
    monkeypatch.setattr(
        timezone, "now", lambda: real_now() + timezone.timedelta(seconds=clock.offset)
    )
    return clock


def test_the_session_is_not_written_by_every_request(logged_in):
    for _ in range(3):
        response, statements = captured(logged_in)
        assert not any("django_session" in sql for sql in statements)
        assert "sessionid" not in response.cookies


def test_the_session_is_written_again_after_a_minute(logged_in, clock, settings):
    clock.advance(settings.SESSION_REFRESH_SECONDS + 1)

    response, statements = captured(logged_in)

    assert any("django_session" in sql for sql in writes(statements))
    assert response.cookies["sessionid"]["max-age"] == settings.SESSION_COOKIE_AGE


def test_an_idle_session_ends(logged_in, clock, settings):
    clock.advance(settings.SESSION_COOKIE_AGE + 1)

    response = logged_in.get("/floor/")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_session_in_use_outlives_its_age(logged_in, clock, settings):
    step = settings.SESSION_COOKIE_AGE - settings.SESSION_REFRESH_SECONDS - 1
    for _ in range(3):
        clock.advance(step)
        assert logged_in.get("/floor/").status_code == 200


def test_a_log_out_ends_the_session_at_once(logged_in):
    logged_in.post(reverse("logout"))

    assert logged_in.get("/floor/").status_code == 302


# The navigation, drawn once per process for each language, role and number of bodies


def test_the_navigation_is_drawn_once_and_kept(logged_in, monkeypatch):
    drawn = []
    render = defaulttags.URLNode.render
    monkeypatch.setattr(
        defaulttags.URLNode,
        "render",
        lambda node, context: drawn.append(1) or render(node, context),
    )
    monkeypatch.setattr(memo, "_drawn", {})
    logged_in.get("/floor/")
    first = len(drawn)
    drawn.clear()

    logged_in.get("/floor/")

    assert len(drawn) < first - 10  # the navigation's dozen addresses are not drawn again


def test_the_kept_navigation_follows_the_role_and_the_language(client, staff, provincial):
    admin = UserFactory(is_superuser=True, is_staff=True)
    admin_link, compare_link = f'href="{reverse("admin:index")}"', f'href="{reverse("compare")}"'

    def page(user, language="id"):
        client.force_login(user)
        client.cookies["django_language"] = language
        return client.get("/floor/").text

    for _round in range(2):
        assert admin_link not in page(staff)
        assert compare_link not in page(staff)
        assert admin_link in page(admin)
        assert compare_link in page(provincial)
        assert admin_link not in page(provincial)
        assert ">Programs<" in page(staff, "en")
        assert ">Program<" in page(staff, "id")

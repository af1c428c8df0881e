"""Two app servers, one database, one cache: the province's deployment in small.

Two gunicorn processes (production settings, one worker each) on two ports share the
test's PostgreSQL database and one cache, once the database cache (the default) and
once Redis (CACHE_URL). What one server changes, the other shows; log-in failures
counted on both lock the account on both.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from lkks.models import Membership
from lkks.settings import cache_from_url
from overview.dashboard import data_version
from tests.factories import KAMPAR, BodyFactory, MembershipFactory, UserFactory, region

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "kata-sandi-uji-2-proses"
FAILURE_LIMIT = 4
CACHE_URLS = {"database": "db", "redis": "redis://127.0.0.1:6379/0"}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_is_running():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def database_url():
    """The URL of the test database, for the servers."""
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Browser:
    """One browser's cookies against one server; redirects are answers, not followed."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base):
        self.base = base
        self.cookies = CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), self._NoRedirect
        )

    def request(self, path, data=None):
        """(status, text)."""
        body = None
        if data is not None:
            data = {**data, "csrfmiddlewaretoken": self.csrf_token()}
            body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            with self.opener.open(self.base + path, body, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def csrf_token(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def log_in(self, username, password):
        self.request("/accounts/login/")
        status, _text = self.request(
            "/accounts/login/", {"username": username, "password": password}
        )
        return status


@pytest.fixture(scope="module")
def production(django_db_setup, django_db_blocker, tmp_path_factory):
    """The environment of both servers but their cache: production settings on the
    test database, plain HTTP on loopback, static files collected as on a server."""
    with django_db_blocker.unblock():
        database = database_url()
    base = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env = base | {
        "DATABASE_URL": database,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
        "DJANGO_MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
        "DJANGO_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
        # No connection left open between requests: the test database is emptied
        # between tests and dropped at the end.
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_WORKERS": "1",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    # Production pages name their static files from the collected manifest.
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
        timeout=300,
    )
    return env


@pytest.fixture(scope="module", params=sorted(CACHE_URLS))
def shared_cache(request):
    """The CACHE_URL of both servers, and a key prefix of this run only."""
    if request.param == "redis" and not redis_is_running():
        pytest.skip("no Redis on 127.0.0.1:6379")
    return CACHE_URLS[request.param], f"two-processes-{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def servers(shared_cache, production, tmp_path_factory):
    """Two gunicorn processes, production settings, one PostgreSQL database, one cache."""
    cache_url, prefix = shared_cache
    env = production | {"CACHE_URL": cache_url, "DJANGO_CACHE_KEY_PREFIX": prefix}
    logs = tmp_path_factory.mktemp("gunicorn")
    processes, bases = [], []
    try:
        for number in (1, 2):
            port = free_port()
            log = (logs / f"server-{number}.log").open("w")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
                    cwd=PROJECT_ROOT,
                    env=env | {"GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for process, url in zip(processes, bases, strict=True):
            wait_for(process, url, logs)
        yield bases
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)


def wait_for(process, base, logs):
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"gunicorn exited with {process.returncode}; see {logs}")
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5).close()
            return
        except urllib.error.HTTPError as error:
            pytest.fail(f"gunicorn at {base} answered {error.code}; see {logs}")
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"gunicorn at {base} did not answer; see {logs}")


@pytest.fixture
def same_cache(settings, shared_cache):
    """This process uses the servers' cache too, so that what the test writes through
    the models invalidates it as a third app process would."""
    cache_url, prefix = shared_cache
    settings.CACHES = {"default": cache_from_url(cache_url) | {"KEY_PREFIX": prefix}}
    return cache


@pytest.fixture
def kampar_staff(db):
    body = BodyFactory(name="LKKS Kabupaten Kampar", slug="kampar", regency=region(KAMPAR))
    user = UserFactory(username="staf-kampar")
    # The servers hash with Django's default hasher; the tests' own (MD5) is not theirs.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    MembershipFactory(user=user, body=body, role=Membership.Role.STAFF)
    return body, user


def dashboard_key(body):
    """The key under which cached_dashboard keeps the body's board as the data is now."""
    today = timezone.localdate().isoformat()
    return f"lkks:dashboard:{body.pk}:None:{today}:{data_version()}"


def test_what_one_server_changes_the_other_shows_on_its_cached_dashboard(
    servers, same_cache, kampar_staff
):
    body, user = kampar_staff
    first, second = Browser(servers[0]), Browser(servers[1])
    assert first.log_in(user.username, PASSWORD) == 302
    assert second.log_in(user.username, PASSWORD) == 302

    status, before = second.request("/")
    assert status == 200
    assert "LKSA Dua Mesin" not in before
    # The second server's board is in the shared cache, where this process finds it.
    assert same_cache.get(dashboard_key(body)) is not None

    status, _text = first.request(
        "/members/new/",
        {
            "name": "LKSA Dua Mesin",
            "kind": "lksa",
            "legal_form": "foundation",
            "client_count": "25",
            "district": "14.01.01",
        },
    )
    assert status == 302, "the LKS is saved through the first server"

    assert same_cache.get(dashboard_key(body)) is None, "a new state of the data, a new key"
    status, after = second.request("/")
    assert status == 200
    assert "LKSA Dua Mesin" in after
    assert same_cache.get(dashboard_key(body)) is not None


def test_a_membership_ended_elsewhere_closes_the_body_on_both_servers(
    servers, same_cache, kampar_staff
):
    body, user = kampar_staff
    first, second = Browser(servers[0]), Browser(servers[1])
    assert first.log_in(user.username, PASSWORD) == 302
    assert second.log_in(user.username, PASSWORD) == 302
    for browser in (first, second):
        status, page = browser.request("/members/")
        assert status == 200
        assert body.name in page

    Membership.objects.filter(user=user).delete()

    for browser in (first, second):
        status, page = browser.request("/members/")
        assert status in {200, 403}
        assert body.name not in page, f"{browser.base} still shows the body"


def test_log_in_failures_on_both_servers_add_up_to_one_lock(servers, same_cache, kampar_staff):
    """Each server sees only half the failures, fewer than the limit; together they
    reach it, and both refuse the right password."""
    _body, user = kampar_staff
    first, second = Browser(servers[0]), Browser(servers[1])
    for attempt in range(FAILURE_LIMIT):
        browser = (first, second)[attempt % 2]
        status = browser.log_in(user.username, f"salah-{attempt}")
        assert status in {200, 429}

    assert first.log_in(user.username, PASSWORD) == 429
    assert second.log_in(user.username, PASSWORD) == 429


def test_below_the_limit_the_right_password_still_logs_in(servers, same_cache, kampar_staff):
    """The control of the lock: one failure short of it is no lock."""
    _body, user = kampar_staff
    first, second = Browser(servers[0]), Browser(servers[1])
    for attempt in range(FAILURE_LIMIT - 1):
        (first, second)[attempt % 2].log_in(user.username, f"salah-{attempt}")

    assert second.log_in(user.username, PASSWORD) == 302

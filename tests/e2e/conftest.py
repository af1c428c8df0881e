"""End-to-end tests: Debian's Chromium driven by Playwright against a live server with
the demo data. Run by `make e2e` (which sets DJANGO_ALLOW_ASYNC_UNSAFE, needed by
Playwright's sync API beside pytest-django's live_server)."""

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command

from tests.e2e.checks import checked, visit

# Playwright's sync API runs an event loop beside pytest-django's live server; Django
# would refuse database calls from the test body without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
DATA_MIGRATIONS = [
    ("lkks", "0002_load_regions", "load_regions"),
    ("members", "0002_target_groups", "load_target_groups"),
    ("members", "0010_default_checklists", "load_checklists"),
]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_collection_modifyitems(items):
    # The hook sees the whole session's items: mark only the tests of this folder.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Chromium is missing: apt-get install chromium (make e2e does it)")
    return {**browser_type_launch_args, "executable_path": executable, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The desktop of the issue (#12); checks.checked() looks at each page on a phone too.
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}}


@pytest.fixture(autouse=True)
def every_page_checked(page):
    """Fail a test that showed a page without passing it through checks.checked()."""
    loaded = []
    page.checked_urls = set()
    page.on("load", lambda shown: loaded.append(shown.url))
    yield
    unchecked = sorted({url for url in loaded if url not in page.checked_urls})
    assert not unchecked, f"pages shown but not checked (tests/e2e/checks.py): {unchecked}"


@pytest.fixture
def demo(transactional_db, settings):
    # The live server needs committed rows, so each test flushes the database at its
    # end, data migrations included: put the regions and target groups back first.
    for app, migration, loader in DATA_MIGRATIONS:
        module = importlib.import_module(f"{app}.migrations.{migration}")
        getattr(module, loader)(django_apps, None)
    settings.DEBUG = True  # load_demo refuses to run without it
    call_command("load_demo", verbosity=0)
    settings.DEBUG = False


@pytest.fixture
def site(demo, live_server, page):
    """The live server with the demo data, and a page logged out, in Indonesian."""
    page.set_default_timeout(15_000)
    return live_server.url


def log_in(page, site, username, password="demo"):
    visit(page, f"{site}/accounts/login/")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    checked(page)

"""The people of an LKS see the portal's navigation on every page, not the staff's:
on the portal, on a page refused to them (403), on a page not found (404) and on the
password change; staff keep theirs at no extra query (#12)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lkks.models import User
from tests.overview.test_demo import demo  # noqa: F401 - the demo, loaded once for the module

pytestmark = pytest.mark.django_db

PAGES = {
    "portal": (lambda: reverse("portal:home"), 200),
    "refused": (lambda: reverse("members:organisation-list"), 403),
    "not found": (lambda: "/no-such-page/", 404),
    "password change": (lambda: reverse("password_change"), 200),
}


def navigation(html):
    return re.search(r'<nav class="navbar.*?</nav>', html, re.S).group()


def logged_in(client, username):
    client.force_login(User.objects.get(username=username))
    return client


@pytest.mark.parametrize("page", PAGES)
def test_the_lks_demo_user_sees_the_portals_navigation(demo, client, page):  # noqa: F811
    url, status = PAGES[page]

    response = logged_in(client, "lks-alghifari").get(url())

    assert response.status_code == status
    bar = navigation(response.text)
    assert f'<a class="navbar-brand fw-semibold" href="{reverse("portal:home")}">' in bar
    for portal_page in ("portal:home", "portal:document-list", "portal:application-list"):
        assert f'href="{reverse(portal_page)}"' in bar
    for staff_page in ("members:organisation-list", "grants:grant-list", "due-list"):
        assert f'href="{reverse(staff_page)}"' not in bar
    assert "Ganti kata sandi" in bar  # the person's own menu stays


@pytest.mark.parametrize("page", ["refused", "not found", "password change"])
def test_staff_keep_the_staff_navigation_without_asking_for_an_lks(demo, client, page):  # noqa: F811
    url, _status = PAGES[page]
    client = logged_in(client, "staf-sleman")

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url())

    bar = navigation(response.text)
    assert f'href="{reverse("members:organisation-list")}"' in bar
    assert f'href="{reverse("portal:home")}"' not in bar
    assert not [query for query in queries if "lksaccount" in query["sql"]]

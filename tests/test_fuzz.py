"""Every URL of the project with a NUL character in its parameters and in every field
of its forms: a 400 (or 404), never a server error.

PostgreSQL refuses NUL in any text, so a parameter looked up as typed (``?body=%00``)
or a field saved as posted would end in a 500. The URLs come from walking the resolver:
the project's own from the permission matrix (which must name every one of them), the
admin's from its registry, Django's own (log-in, password reset, language) as found.
"""

from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.test_permissions import URLS, url_for, world  # noqa: F401 (a fixture)

NUL = "\x00"
NUL_PARAMETERS = "x=%00&body=%00&year=%00&page=%00&format=%00&q=%00"
REFUSED = {400, 404}


class Forms(HTMLParser):
    """The forms of a page: their method, action and the names of their fields."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action")}
                | {"fields": set()}
            )
        elif tag in {"input", "select", "textarea", "button"} and self.forms and attrs.get("name"):
            self.forms[-1]["fields"].add(attrs["name"])


def forms_of(response):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return []
    parser = Forms()
    parser.feed(response.content.decode(errors="replace"))
    return parser.forms


def fuzz(client, url):
    """GET the URL with NUL parameters, and POST each of its forms (or the URL itself)
    with NUL in every field; return what answered other than 400/404."""
    wrong = []
    with transaction.atomic():
        answer = client.get(f"{url}{'&' if '?' in url else '?'}{NUL_PARAMETERS}")
        if answer.status_code not in REFUSED:
            wrong.append(("GET", url, answer.status_code))
        transaction.set_rollback(True)
    with transaction.atomic():
        forms = forms_of(client.get(url))
        transaction.set_rollback(True)
    targets = [
        (urljoin(url, form["action"] or url), form["method"], sorted(form["fields"]))
        for form in forms
    ] or [(url, "post", ["x"])]
    for target, method, fields in targets:
        data = dict.fromkeys(fields or ["x"], NUL)
        with transaction.atomic():
            answer = client.get(target, data) if method == "get" else client.post(target, data)
            if answer.status_code not in REFUSED:
                wrong.append((method.upper(), target, answer.status_code))
            transaction.set_rollback(True)
    return wrong


def routes(patterns=None, prefix="", namespace=None):
    """(route, name, namespace) of every URL pattern under the project's URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            yield from routes(
                entry.url_patterns, prefix + str(entry.pattern), entry.namespace or namespace
            )
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.name, namespace


def own_names():
    """The names of the URLs the permission matrix is about, as the resolver has them."""
    return {
        f"{namespace}:{name}" if namespace else name
        for _route, name, namespace in routes()
        if name and namespace != "admin"
    } & set(URLS)


def test_the_walk_finds_every_url_of_the_matrix():
    assert own_names() == set(URLS)


@pytest.mark.django_db
def test_no_url_of_the_project_fails_on_a_nul_character(world):  # noqa: F811
    client = Client()
    client.force_login(world["users"]["staff"])

    wrong = [
        answer for name in sorted(own_names()) for answer in fuzz(client, url_for(name, world))
    ]

    assert wrong == []


@pytest.mark.django_db
def test_no_page_of_the_admin_fails_on_a_nul_character(world, admin_user):  # noqa: F811
    client = Client()
    client.force_login(admin_user)
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        label = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{label}_changelist"), reverse(f"{label}_add")]
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            urls += [
                reverse(f"{label}_change", args=[record.pk]),
                reverse(f"{label}_history", args=[record.pk]),
            ]
    urls.append(reverse("admin:lkks_region_change", args=[NUL]))  # a text primary key

    wrong = [answer for url in urls for answer in fuzz(client, url)]

    assert wrong == []


@pytest.mark.django_db
def test_djangos_own_pages_do_not_fail_on_a_nul_character(world):  # noqa: F811
    anonymous, staff = Client(), Client()
    staff.force_login(world["users"]["staff"])
    urls = {
        reverse(name, kwargs=kwargs)
        for _route, name, namespace in routes()
        if name and namespace is None and name not in URLS
        for kwargs in [{"uidb64": "MQ", "token": "set-password"} if "token" in _route else {}]
    }

    wrong = [
        answer
        for url in sorted(urls)
        for client in (anonymous, staff)
        for answer in fuzz(client, url)
    ]

    assert wrong == []


@pytest.mark.django_db
def test_a_nul_in_a_cookie_is_refused_too(world):  # noqa: F811
    client = Client()
    client.cookies["sessionid"] = f"abcdefgh{NUL}"

    assert client.get("/accounts/login/").status_code == 400

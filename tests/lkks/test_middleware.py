"""The project's middleware: a NUL character is a 400 wherever it comes, and pages after
log-in are never cached."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.factories import RegistrationFactory

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
NO_STORE = "private, no-store"


# NUL characters


@pytest.mark.parametrize(
    "url",
    ["/api/summary/?body=%00", "/members/?q=%00", "/?year=%00", "/members/?x%00=1", "/%00/"],
    ids=["api-body", "search", "year", "key", "path"],
)
def test_a_nul_in_the_address_is_a_bad_request(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.text


@pytest.mark.parametrize(
    "data", [{"body": "\x00"}, {"body": "kampar", "next": "/\x00"}, {"\x00": "x"}]
)
def test_a_nul_in_a_posted_field_is_a_bad_request(staff_client, data):
    response = staff_client.post(reverse("body-switch"), data)

    assert response.status_code == 400


def test_a_nul_is_refused_before_the_log_in_too(client, db):
    response = client.post(reverse("login"), {"username": "staf\x00", "password": "x"})

    assert response.status_code == 400


def test_a_nul_in_a_cookie_never_reaches_the_session_store(client, db):
    client.cookies["sessionid"] = "abcdefgh\x00ijk"

    assert client.get(reverse("login")).status_code == 400


def test_the_bad_request_page_follows_the_chosen_language(client, db):
    client.cookies["django_language"] = "en"

    response = client.get("/accounts/login/?next=%00")

    assert response.status_code == 400
    assert 'lang="en"' in response.text


def test_uploaded_files_may_hold_nul_bytes(staff_client, kampar):
    upload = SimpleUploadedFile("scan.pdf", b"%PDF-\x00\x00\x00", "application/pdf")

    response = staff_client.post(reverse("body-switch"), {"body": "kampar", "scan": upload})

    assert response.status_code == 302


# Cache-Control


@pytest.mark.parametrize("url", ["/", "/members/", "/grants/", "/due/", "/api/summary/"])
def test_pages_after_log_in_are_never_stored(staff_client, url):
    response = staff_client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_a_form_error_page_is_not_stored_either(staff_client):
    response = staff_client.post(reverse("members:organisation-create"), {})

    assert response.status_code == 200
    assert response["Cache-Control"] == NO_STORE


def test_an_export_is_not_stored(staff_client):
    response = staff_client.get(reverse("members:organisation-export"), {"format": "csv"})

    assert response["Cache-Control"] == NO_STORE


def test_a_downloaded_file_keeps_its_own_private_caching(staff_client, kampar, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    registration = RegistrationFactory(organisation__body=kampar)
    registration.document.save("scan.pdf", ContentFile(PDF))

    response = staff_client.get(reverse("file", args=["registration-document", registration.pk]))

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, max-age=3600"


def test_the_admin_keeps_djangos_never_cache(admin_client):
    response = admin_client.get("/admin/")

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_pages_for_anyone_are_left_as_django_sends_them(db):
    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert "Cache-Control" not in response

"""Files uploaded through the LKS pages: checked by content, stored under a random name,
served only to users who may read the record."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Organisation, Registration
from tests.factories import RegistrationFactory
from tests.members.conftest import image_bytes, pdf_bytes, png_claiming

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(512)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def registration_data(**changes):
    data = {
        "status": "registered",
        "number": "460/202/TD/2025",
        "issuer": "Dinas Sosial",
        "submitted_on": "2025-01-10",
        "issued_on": "2025-02-01",
        "valid_until": "2030-02-01",
    }
    data.update(changes)
    return data


def organisation_data(**changes):
    data = {
        "name": "LKSA Harapan Bunda",
        "kind": "lksa",
        "legal_form": "foundation",
        "client_count": "25",
        "district": "14.01.01",
    }
    data.update(changes)
    return data


def error_codes(response, field):
    return [error.code for error in response.context["form"].errors.as_data()[field]]


def add_scan(client, lks, scan):
    return client.post(
        reverse("members:registration-create", args=[lks.pk]), registration_data(document=scan)
    )


def add_logo(client, logo):
    return client.post(reverse("members:organisation-create"), organisation_data(logo=logo))


# Accepted


def test_a_real_pdf_scan_is_stored_under_a_random_name(staff_client, lks, media):
    response = add_scan(
        staff_client, lks, upload("tanda-daftar-panti.pdf", pdf_bytes(), "application/pdf")
    )

    assert response.status_code == 302
    stored = Registration.objects.get().document
    assert stored.name.startswith("registrations/")
    assert stored.name.endswith(".pdf")
    assert "tanda-daftar" not in stored.name
    assert (media / stored.name).read_bytes() == pdf_bytes()


def test_a_real_logo_is_stored_and_shown_through_the_file_view(staff_client, media):
    response = add_logo(staff_client, upload("logo panti.png", image_bytes(), "image/png"))

    assert response.status_code == 302
    lks = Organisation.objects.get()
    assert lks.logo.name.startswith("organisations/")
    assert "logo" not in Path(lks.logo.name).name
    page = staff_client.get(lks.get_absolute_url())
    logo_url = reverse("file", args=["organisation-logo", lks.pk])
    assert f'class="logo rounded border" src="{logo_url}"' in page.text
    assert lks.logo.url not in page.text
    assert staff_client.get(logo_url)["Content-Type"] == "image/png"


# Refused, with nothing written


@pytest.mark.parametrize(
    ("name", "content"),
    [("foto.jpg", EXECUTABLE), ("logo.png", pdf_bytes())],
    ids=["executable-renamed-jpg", "pdf-renamed-png"],
)
def test_a_logo_that_is_not_an_image_is_refused(staff_client, name, content):
    response = add_logo(staff_client, upload(name, content, "image/jpeg"))

    assert response.status_code == 200
    assert error_codes(response, "logo") == ["invalid_image"]
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("scan.pdf", EXECUTABLE, "scan_type"),
        ("scan.jpg", EXECUTABLE, "scan_type"),
        ("scan.pdf", b"%PDF-1.4 truncated", "bad_pdf"),
    ],
    ids=["executable-renamed-pdf", "executable-renamed-jpg", "pdf-without-end"],
)
def test_a_scan_that_is_neither_pdf_nor_image_is_refused(staff_client, lks, name, content, code):
    response = add_scan(staff_client, lks, upload(name, content))

    assert response.status_code == 200
    assert error_codes(response, "document") == [code]
    assert not Registration.objects.exists()


def test_an_oversized_scan_is_refused(staff_client, lks, settings):
    settings.UPLOAD_MAX_BYTES = 1024

    response = add_scan(staff_client, lks, upload("scan.pdf", pdf_bytes(padding=2048)))

    assert error_codes(response, "document") == ["file_too_large"]
    assert not Registration.objects.exists()


def test_an_oversized_logo_is_refused(staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 100

    response = add_logo(staff_client, upload("logo.png", image_bytes(size=(200, 200))))

    assert error_codes(response, "logo") == ["file_too_large"]
    assert not Organisation.objects.exists()


def test_a_decompression_bomb_logo_is_refused(staff_client):
    bomb = png_claiming(20000, 20000)
    assert len(bomb) < 1000

    response = add_logo(staff_client, upload("logo.png", bomb, "image/png"))

    assert error_codes(response, "logo") == ["image_pixels"]
    assert not Organisation.objects.exists()


def test_a_decompression_bomb_scan_is_refused(staff_client, lks):
    response = add_scan(staff_client, lks, upload("scan.png", png_claiming(20000, 20000)))

    assert error_codes(response, "document") == ["image_pixels"]
    assert not Registration.objects.exists()


def test_a_logo_over_the_pixel_limit_is_refused(staff_client, settings):
    settings.UPLOAD_MAX_PIXELS = 1000

    response = add_logo(staff_client, upload("logo.png", image_bytes(size=(40, 30))))

    assert error_codes(response, "logo") == ["image_pixels"]
    assert not Organisation.objects.exists()


# Served only to who may read the LKS


@pytest.fixture
def scanned(lks):
    return RegistrationFactory(
        organisation=lks,
        document=SimpleUploadedFile("scan.pdf", pdf_bytes(), content_type="application/pdf"),
    )


def test_the_scan_is_served_to_staff_official_and_admin(
    client_of, staff, official, admin_user, scanned
):
    url = reverse("file", args=["registration-document", scanned.pk])

    for user in [staff, official, admin_user]:
        response = client_of(user).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf_bytes()


def test_the_scan_is_hidden_from_other_bodies_and_anonymous(client_of, other_staff, scanned):
    url = reverse("file", args=["registration-document", scanned.pk])

    assert client_of(other_staff).get(url).status_code == 404
    anonymous = client_of(None).get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("login"))


def test_the_lks_page_links_the_scan_through_the_file_view(staff_client, lks, scanned):
    page = staff_client.get(lks.get_absolute_url())

    assert reverse("file", args=["registration-document", scanned.pk]) in page.text
    assert scanned.document.url not in page.text

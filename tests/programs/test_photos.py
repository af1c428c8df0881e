"""Activity photos uploaded through the page: checked by content, stored upright with a
thumbnail under random names, served only to users who may read the activity."""

import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from programs.models import ActivityPhoto
from tests.programs.conftest import image_bytes

pytestmark = pytest.mark.django_db


def upload(client, activity, content, name="foto.jpg", **fields):
    return client.post(
        reverse("programs:photo-create", args=[activity.pk]),
        {"image": SimpleUploadedFile(name, content), "caption": "Peserta bimtek", **fields},
    )


def stored_files(media):
    return [path for path in media.rglob("*") if path.is_file()]


def refused_on_image(response, media):
    assert response.status_code == 200
    assert "image" in response.context["form"].errors
    assert not ActivityPhoto.objects.exists()
    assert stored_files(media) == []
    return [error.code for error in response.context["form"].errors.as_data()["image"]]


def png_claiming(width, height):
    """A tiny 1-bit PNG whose header claims ``width`` x ``height`` pixels: a
    decompression bomb before it is decoded."""

    def chunk(kind, data):
        checksum = struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        return struct.pack(">I", len(data)) + kind + data + checksum

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


def test_a_photo_turned_by_exif_is_stored_upright_with_a_thumbnail(staff_client, activity, media):
    response = upload(staff_client, activity, image_bytes(exif_orientation=6), "IMG_0001.JPG")

    assert response.status_code == 302
    assert response["Location"] == activity.get_absolute_url()
    photo = ActivityPhoto.objects.get()
    assert photo.activity == activity
    for stored in (photo.image, photo.thumbnail):
        with Image.open(stored.path) as image:
            assert image.size == (20, 40)
            # The left half was red; turned a quarter clockwise it is the top half.
            top, bottom = image.convert("RGB").getpixel((10, 5)), image.getpixel((10, 35))
            assert top[0] > 150 > top[1]
            assert bottom == pytest.approx((255, 255, 255), abs=20)
    assert photo.image.name.startswith("activities/photos/")
    assert photo.thumbnail.name.startswith("activities/thumbnails/")
    assert "IMG_0001" not in photo.image.name + photo.thumbnail.name


def test_a_large_photo_gets_a_small_thumbnail(staff_client, activity, media):
    upload(staff_client, activity, image_bytes("PNG", size=(1200, 600)), "spanduk.png")

    photo = ActivityPhoto.objects.get()
    with Image.open(photo.thumbnail.path) as thumbnail:
        assert thumbnail.size == (480, 240)
        assert thumbnail.format == "PNG"


def test_the_activity_page_shows_the_thumbnail_linking_to_the_photo(staff_client, activity, media):
    upload(staff_client, activity, image_bytes())
    photo = ActivityPhoto.objects.get()

    page = staff_client.get(activity.get_absolute_url()).content.decode()

    thumbnail_url = reverse("file", args=["activityphoto-thumbnail", photo.pk])
    image_url = reverse("file", args=["activityphoto-image", photo.pk])
    link = f'<a href="{image_url}"><img class="img-fluid rounded thumb" src="{thumbnail_url}"'
    assert link in page
    assert photo.image.name not in page


def test_a_photo_is_served_only_to_users_of_its_body(
    staff_client, official, other_staff, client_of, activity, media
):
    upload(staff_client, activity, image_bytes())
    photo = ActivityPhoto.objects.get()
    image_url = reverse("file", args=["activityphoto-image", photo.pk])
    thumbnail_url = reverse("file", args=["activityphoto-thumbnail", photo.pk])

    served = staff_client.get(image_url)

    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    assert client_of(official).get(thumbnail_url).status_code == 200
    assert client_of(other_staff).get(image_url).status_code == 404
    assert client_of(other_staff).get(thumbnail_url).status_code == 404
    assert client_of(None).get(image_url).status_code == 302


def test_an_executable_renamed_jpg_is_refused(staff_client, activity, media):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + os.urandom(512)

    response = upload(staff_client, activity, program, "foto.jpg")

    refused_on_image(response, media)


def test_a_pdf_renamed_png_is_refused(staff_client, activity, media):
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

    response = upload(staff_client, activity, pdf, "foto.png")

    refused_on_image(response, media)


def test_an_image_over_the_pixel_limit_is_refused(settings, staff_client, activity, media):
    settings.UPLOAD_MAX_PIXELS = 40 * 20 - 1

    response = upload(staff_client, activity, image_bytes())

    assert refused_on_image(response, media) == ["image_pixels"]


def test_a_decompression_bomb_is_refused_before_it_is_decoded(staff_client, activity, media):
    response = upload(staff_client, activity, png_claiming(100_000, 100_000), "bom.png")

    refused_on_image(response, media)


def test_an_oversized_file_is_refused(settings, staff_client, activity, media):
    noise = Image.frombytes("RGB", (64, 64), os.urandom(64 * 64 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    settings.UPLOAD_MAX_BYTES = len(buffer.getvalue()) - 1

    response = upload(staff_client, activity, buffer.getvalue(), "besar.png")

    assert refused_on_image(response, media) == ["file_too_large"]


def test_a_photo_cannot_be_added_under_an_activity_of_another_body(
    other_staff, client_of, activity, media
):
    response = upload(client_of(other_staff), activity, image_bytes())

    assert response.status_code == 404
    assert stored_files(media) == []

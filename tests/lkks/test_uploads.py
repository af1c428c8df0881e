"""The ground's handling of uploads: names by detected type, pixel bombs told by their
pixels, and files that go with their records once the deletion commits."""

import io
import struct
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import translation
from PIL import Image

from lkks.uploads import (
    RandomName,
    delete_files_on_commit,
    upright_with_thumbnail,
    validate_image,
    validate_scan,
)
from members.models import Registration
from programs.models import Activity
from tests.factories import (
    ActivityFactory,
    ActivityPhotoFactory,
    ProgramFactory,
    RegistrationFactory,
)

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(image_format="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


def png_claiming(width, height):
    """A PNG of a few hundred bytes whose header claims ``width`` x ``height`` pixels:
    a decompression bomb, before anything decodes it."""

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


def stored(media):
    return sorted(path.relative_to(media).as_posix() for path in media.rglob("*") if path.is_file())


# Names by detected type


@pytest.mark.parametrize(
    ("client_name", "content", "extension"),
    [
        ("evil.html", PDF, ".pdf"),
        ("scan.PDF", PDF, ".pdf"),
        ("photo.pdf", image_bytes("PNG"), ".png"),
        ("page.svg", image_bytes("JPEG"), ".jpg"),
        ("no-extension", image_bytes("WEBP"), ".webp"),
    ],
)
def test_a_stored_file_takes_the_extension_of_its_detected_type(
    db, media, client_name, content, extension
):
    registration = RegistrationFactory()
    registration.document = SimpleUploadedFile(client_name, content, "text/html")

    registration.full_clean()
    registration.save()

    name = Registration.objects.get(pk=registration.pk).document.name
    assert name.startswith("registrations/")
    assert name.endswith(extension)
    assert (media / name).read_bytes() == content


def test_the_storage_names_a_file_by_its_content_whatever_code_saves_it(media):
    name = default_storage.save("receipts/kuitansi.html", ContentFile(PDF))

    assert name.startswith("receipts/kuitansi")
    assert name.endswith(".pdf")


def test_the_storage_leaves_the_name_of_a_file_of_no_known_type(media):
    name = default_storage.save("imports/abc.upload", ContentFile(b"PK\x03\x04 workbook"))

    assert name == "imports/abc.upload"


@pytest.mark.parametrize(
    ("client_name", "kept"),
    [("evil.html", ""), ("scan.exe", ""), ("SCAN.PDF", ".pdf"), ("foto.JPEG", ".jpeg")],
)
def test_a_random_name_keeps_only_an_accepted_extension(client_name, kept):
    name = RandomName("documents")(None, client_name)

    folder, _, file_name = name.partition("/")
    assert folder == "documents"
    assert len(file_name) == 32 + len(kept)
    assert file_name.endswith(kept)
    assert "evil" not in name


# Pixel bombs


BOMB = png_claiming(100_000, 100_000)


def test_a_pixel_bomb_image_gets_the_pixel_limit_message():
    assert len(BOMB) < 1000

    with pytest.raises(ValidationError) as refused:
        validate_image(SimpleUploadedFile("foto.png", BOMB))

    assert refused.value.code == "image_pixels"
    with translation.override("en"):
        [message] = refused.value.messages
    assert message == (
        "The image is too large (100000 x 100000 pixels); at most 40 million pixels are allowed."
    )


def test_a_pixel_bomb_scan_gets_the_pixel_limit_message_not_that_it_is_no_scan():
    with pytest.raises(ValidationError) as refused:
        validate_scan(SimpleUploadedFile("scan.png", BOMB))

    assert refused.value.code == "image_pixels"


def test_djangos_image_form_field_lets_a_pixel_bomb_through_to_our_pixel_check():
    """The form field of every ImageField (logos, photos, in the pages and the admin)
    opens the image before our validators run; it must not call a bomb "not an image"."""
    upload = SimpleUploadedFile("logo.png", BOMB, "image/png")

    cleaned = forms.ImageField().clean(upload)

    with pytest.raises(ValidationError) as refused:
        validate_image(cleaned)
    assert refused.value.code == "image_pixels"


def test_the_pixel_limit_message_is_indonesian(settings):
    settings.UPLOAD_MAX_PIXELS = 1000

    with pytest.raises(ValidationError) as refused:
        validate_image(SimpleUploadedFile("foto.png", image_bytes(size=(40, 30))))

    assert refused.value.messages == [
        "Gambar terlalu besar (40 x 30 piksel); paling banyak 1 juta piksel."
    ]


def test_an_image_is_never_decoded_above_the_pixel_limit_even_unvalidated():
    with pytest.raises(ValidationError) as refused:
        upright_with_thumbnail(SimpleUploadedFile("foto.png", BOMB))

    assert refused.value.code == "image_pixels"


# Files of deleted records


def test_the_files_of_a_deleted_record_are_removed_once_the_deletion_commits(
    db, media, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory()
    registration.document.save("scan.pdf", ContentFile(PDF))
    path = media / registration.document.name
    assert path.exists()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration.delete()
    assert path.exists(), "removed before the deletion was committed"

    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_deletion_rolled_back_keeps_its_files(db, media, django_capture_on_commit_callbacks):
    registration = RegistrationFactory()
    registration.document.save("scan.pdf", ContentFile(PDF))

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        Registration.objects.filter(pk=registration.pk).delete()
        transaction.set_rollback(True)

    assert callbacks == []
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert (media / registration.document.name).exists()


def test_files_of_records_deleted_with_their_parent_go_too(
    db, media, django_capture_on_commit_callbacks
):
    """An activity's photos are deleted with it (CASCADE): photo and thumbnail both."""
    activity = ActivityFactory(program=ProgramFactory())
    photo = ActivityPhotoFactory(activity=activity)
    photo.image.save("foto.jpg", ContentFile(image_bytes("JPEG")), save=False)
    photo.thumbnail.save("kecil.jpg", ContentFile(image_bytes("JPEG", (8, 6))), save=False)
    photo.save()
    before = stored(media)
    assert len(before) >= 2

    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.get(pk=activity.pk).delete()

    assert photo.image.name not in stored(media)
    assert photo.thumbnail.name not in stored(media)


def test_the_helper_removes_the_files_of_a_record_it_is_given(
    db, media, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory()
    registration.document.save("scan.pdf", ContentFile(PDF))

    with django_capture_on_commit_callbacks(execute=True):
        delete_files_on_commit(registration)

    assert stored(media) == []


def test_a_file_already_gone_does_not_fail_the_deletion(
    db, media, django_capture_on_commit_callbacks
):
    registration = RegistrationFactory()
    registration.document.save("scan.pdf", ContentFile(PDF))
    (media / registration.document.name).unlink()

    with django_capture_on_commit_callbacks(execute=True):
        registration.delete()

    assert not Registration.objects.filter(pk=registration.pk).exists()

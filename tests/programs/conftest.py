"""Users, clients, records and files for the tests of the program pages."""

import io

import pytest
from PIL import Image

from tests.conftest import recorded_by
from tests.factories import (
    ActivityFactory,
    ActivityPhotoFactory,
    ProgramFactory,
)


@pytest.fixture
def program(kampar, staff):
    return recorded_by(
        ProgramFactory(body=kampar, code="P01", name="Penguatan Kelembagaan LKKS"), staff
    )


@pytest.fixture
def activity(program, staff):
    return recorded_by(
        ActivityFactory(program=program, name="Rapat koordinasi LKKS dan LKS"), staff
    )


@pytest.fixture
def photo(activity, staff, media):
    return recorded_by(ActivityPhotoFactory(activity=activity), staff)


@pytest.fixture
def media(settings, tmp_path):
    """Uploads stored in a directory of this test only."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def image_bytes(image_format="JPEG", size=(40, 20), exif_orientation=None):
    """A real image; with ``exif_orientation`` it carries that EXIF Orientation tag."""
    buffer = io.BytesIO()
    image = Image.new("RGB", size, "white")
    image.paste((200, 30, 30), (0, 0, size[0] // 2, size[1]))  # left half red
    if exif_orientation is None:
        image.save(buffer, image_format)
    else:
        exif = image.getexif()
        exif[0x0112] = exif_orientation
        image.save(buffer, image_format, exif=exif)
    return buffer.getvalue()

"""Users, clients, records and files for the tests of the program pages."""

import io

import pytest
from django.test import Client
from PIL import Image

from lkks.models import Membership
from tests.factories import (
    ActivityFactory,
    ActivityPhotoFactory,
    MembershipFactory,
    ProgramFactory,
    UserFactory,
)


@pytest.fixture
def member(db):
    """``member(body, role)``: a new user with that role in the body."""

    def make(body, role=Membership.Role.STAFF, username=None):
        user = UserFactory(**({"username": username} if username else {}))
        MembershipFactory(user=user, body=body, role=role)
        return user

    return make


@pytest.fixture
def client_of():
    """``client_of(user)``: a test client logged in as the user (anonymous for None)."""

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
        return client

    return make


@pytest.fixture
def staff(kampar, member):
    return member(kampar, username="staf-kampar")


@pytest.fixture
def official(kampar, member):
    return member(kampar, Membership.Role.OFFICIAL, username="pejabat-kampar")


@pytest.fixture
def other_staff(sleman, member):
    """Staff of another body (Sleman)."""
    return member(sleman, username="staf-sleman")


@pytest.fixture
def staff_client(staff, client_of):
    return client_of(staff)


def recorded_by(record, user):
    """Mark the rows a factory wrote in the record's history as the user's doing, as
    the pages would have."""
    record.history.update(history_user=user)
    return record


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

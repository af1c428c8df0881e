"""Users, clients and files for the tests of the LKS pages."""

import io
import struct
import zlib

import pytest
from PIL import Image

from tests.factories import OrganisationFactory


@pytest.fixture
def make_lks(staff):
    """``make_lks(**fields)``: an LKS of Kampar (unless ``body=`` says otherwise) whose
    creation is recorded as made by the Kampar staff user."""

    def make(**fields):
        fields.setdefault("body", staff.memberships.get().body)
        organisation = OrganisationFactory(**fields)
        organisation.history.update(history_user=staff)
        return organisation

    return make


@pytest.fixture
def lks(make_lks):
    return make_lks(name="Panti Asuhan Al-Ikhlas")


@pytest.fixture
def media(settings, tmp_path):
    """Uploads stored in a directory of this test only."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def pdf_bytes(padding=0):
    """A small but real PDF (signature and end-of-file marker)."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        b"%" + b"x" * padding + b"\n" + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


def image_bytes(image_format="PNG", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, image_format)
    return buffer.getvalue()


def png_claiming(width, height):
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: what a
    decompression bomb looks like before it is decoded."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )

"""Receipt scans of spending: checked by content and size, stored under a random name,
served only to the users of the body."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.models import Expenditure

RECEIPT_URL = "/files/expenditure-receipt/{pk}/"


def pdf_bytes(padding=0):
    """A small but real PDF (signature and end-of-file marker)."""
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
        b"%" + b"x" * padding + b"\n" + b"trailer << /Root 1 0 R >>\n%%EOF\n"
    )


@pytest.fixture
def media(settings, tmp_path):
    """Uploads stored in a directory of this test only."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def spend(staff_client, allocation, disbursement, line, media):
    """``spend(receipt)``: post a new expenditure of the allocation with that file."""

    def post(receipt):
        return staff_client.post(
            reverse("grants:expenditure-create", args=[allocation.grant_id]),
            {
                "allocation": allocation.pk,
                "budget_line": line.pk,
                "date": "2024-05-02",
                "amount": "2500000",
                "description": "Cetak modul bimtek",
                "receipt_number": "KW-001",
                "receipt": receipt,
            },
        )

    return post


def content_of(response):
    # Reading the test client's stream to the end closes the file; closing the response
    # again would also close the database connection.
    return b"".join(response.streaming_content)


def test_a_pdf_receipt_is_stored_under_a_random_name_and_served_to_the_body(
    spend, media, staff_client, client_of, official, provincial, other_staff, client
):
    response = spend(SimpleUploadedFile("kuitansi toko.pdf", pdf_bytes()))
    assert response.status_code == 302
    expenditure = Expenditure.objects.get()
    assert re.fullmatch(r"receipts/[0-9a-f]{32}\.pdf", expenditure.receipt.name)
    assert (media / expenditure.receipt.name).read_bytes() == pdf_bytes()

    url = RECEIPT_URL.format(pk=expenditure.pk)
    assert url in staff_client.get(expenditure.grant.get_absolute_url()).content.decode()
    assert url in staff_client.get(reverse("grants:expenditure-list")).content.decode()
    for reader in (staff_client, client_of(official), client_of(provincial)):
        download = reader.get(url)
        assert download.status_code == 200
        assert download["Content-Type"] == "application/pdf"
        assert content_of(download) == pdf_bytes()

    assert client_of(other_staff).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_an_executable_renamed_pdf_is_refused(spend):
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 256
    response = spend(SimpleUploadedFile("kuitansi.pdf", program))
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["receipt"]
    assert error.code == "scan_type"
    assert not Expenditure.objects.exists()


def test_an_oversized_receipt_is_refused(spend, settings):
    settings.UPLOAD_MAX_BYTES = 4096
    response = spend(SimpleUploadedFile("kuitansi.pdf", pdf_bytes(padding=8192)))
    assert response.status_code == 200
    [error] = response.context["form"].errors.as_data()["receipt"]
    assert error.code == "file_too_large"
    assert not Expenditure.objects.exists()


def test_editing_spending_without_a_new_file_keeps_the_receipt(spend, submit, staff_client):
    spend(SimpleUploadedFile("kuitansi.pdf", pdf_bytes()))
    expenditure = Expenditure.objects.get()
    url = reverse("grants:expenditure-update", args=[expenditure.pk])
    assert submit(staff_client, url, description="Cetak modul").status_code == 302
    stored = expenditure.receipt.name
    expenditure.refresh_from_db()
    assert (expenditure.description, expenditure.receipt.name) == ("Cetak modul", stored)

"""Uploads in an S3-compatible bucket (DJANGO_S3_BUCKET): moto's S3 server, started as a
process of its own, stands in for the province's object storage."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lkks.object_storage import ContentTypedS3Storage
from members.models import Organisation, Registration
from tests.factories import OrganisationFactory
from tests.members.conftest import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

KEYS = {"access_key": "moto-access-key", "secret_key": "moto-secret-key"}
REGION = "us-east-1"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on a free loopback port, for the tests of this module."""
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    endpoint = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=1).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"moto's S3 server did not start; see {log.name}")
            time.sleep(0.2)
    yield endpoint
    process.terminate()
    process.wait(timeout=10)
    log.close()


@pytest.fixture
def s3(s3_endpoint):
    """A boto3 client of the stand-in."""
    return boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
        region_name=REGION,
    )


@pytest.fixture
def bucket(settings, s3, s3_endpoint):
    """A new empty bucket, and the site's uploads going to it, as lkks/settings.py
    configures them when DJANGO_S3_BUCKET is set."""
    name = f"si-lkks-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "lkks.object_storage.ContentTypedS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                **KEYS,
            },
        },
    }
    return name


def keys_in(s3, bucket):
    return [item["Key"] for item in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def add_logo(client, logo):
    return client.post(
        reverse("members:organisation-create"),
        {
            "name": "LKSA Harapan Bunda",
            "kind": "lksa",
            "legal_form": "foundation",
            "client_count": "25",
            "district": "14.01.01",
            "logo": logo,
        },
    )


def default_storage_of(**env):
    """The default storage's backend, as lkks/settings.py sets it up from ``env``."""
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import lkks.settings as s; print(s.STORAGES['default']['BACKEND'])",
        ],
        cwd=PROJECT_ROOT,
        env={"DJANGO_DEBUG": "true", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()


def test_settings_put_uploads_in_the_bucket_only_when_one_is_named():
    assert default_storage_of() == "lkks.uploads.ContentTypedStorage"
    assert (
        default_storage_of(DJANGO_S3_BUCKET="si-lkks-uploads")
        == "lkks.object_storage.ContentTypedS3Storage"
    )


def test_a_logo_uploaded_through_the_form_goes_to_the_bucket_under_its_detected_type(
    staff_client, bucket, s3, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # A PNG that the browser called .jpg is stored as .png.
    response = add_logo(staff_client, SimpleUploadedFile("logo.jpg", image_bytes(), "image/jpeg"))

    assert response.status_code == 302
    logo = Organisation.objects.get().logo
    assert logo.name.startswith("organisations/")
    assert logo.name.endswith(".png")
    assert keys_in(s3, bucket) == [logo.name]
    assert s3.get_object(Bucket=bucket, Key=logo.name)["Body"].read() == image_bytes()
    assert not any(tmp_path.iterdir()), "nothing is written to the local disk"


def test_a_scan_is_read_back_from_the_bucket_only_through_the_files_view(
    staff_client, client_of, other_staff, bucket, s3, s3_endpoint, kampar
):
    lks = OrganisationFactory(body=kampar)
    response = staff_client.post(
        reverse("members:registration-create", args=[lks.pk]),
        {
            "status": "registered",
            "number": "460/202/TD/2025",
            "issuer": "Dinas Sosial",
            "submitted_on": "2025-01-10",
            "issued_on": "2025-02-01",
            "valid_until": "2030-02-01",
            "document": SimpleUploadedFile("tanda-daftar.jpg", pdf_bytes(), "image/jpeg"),
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.document.name.endswith(".pdf")
    url = reverse("file", args=["registration-document", registration.pk])

    download = staff_client.get(url)

    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content) == pdf_bytes()
    # Another body's staff, and nobody logged in, do not get it.
    assert client_of(other_staff).get(url).status_code == 404
    assert client_of(None).get(url).status_code == 302
    # No page links to the bucket: the edit form shows the never-served /media/ place.
    edit = staff_client.get(reverse("members:registration-update", args=[registration.pk]))
    assert edit.status_code == 200
    assert s3_endpoint not in edit.text
    assert f"/media/{registration.document.name}" in edit.text
    # The object is private: the bucket refuses it to anyone without the keys.
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{bucket}/{registration.document.name}")
    assert refused.value.code == 403
    grants = s3.get_object_acl(Bucket=bucket, Key=registration.document.name)["Grants"]
    assert [grant["Grantee"]["Type"] for grant in grants] == ["CanonicalUser"]


def test_a_file_missing_from_the_bucket_is_a_404(staff_client, bucket, s3, kampar):
    lks = OrganisationFactory(body=kampar, logo=ContentFile(image_bytes(), name="logo.png"))
    s3.delete_object(Bucket=bucket, Key=lks.logo.name)

    response = staff_client.get(reverse("file", args=["organisation-logo", lks.pk]))

    assert response.status_code == 404


def test_deleting_the_record_removes_its_object_once_the_deletion_commits(
    staff_client, bucket, s3, django_capture_on_commit_callbacks
):
    add_logo(staff_client, SimpleUploadedFile("logo.png", image_bytes(), "image/png"))
    lks = Organisation.objects.get()

    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post(reverse("members:organisation-delete", args=[lks.pk]))

    assert response.status_code == 302
    assert not Organisation.objects.exists()
    assert keys_in(s3, bucket) == [lks.logo.name], "kept until the deletion commits"
    for callback in callbacks:
        callback()
    assert keys_in(s3, bucket) == []


def test_a_bucket_that_cannot_be_reached_fails_a_deletion_as_the_disk_would():
    """lkks.uploads logs an OSError and leaves the file; the deletion stands."""
    storage = ContentTypedS3Storage(
        bucket_name="si-lkks-gone",
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        region_name=REGION,
        **KEYS,
    )
    with pytest.raises(OSError, match=r"organisations/x\.png"):
        storage.delete("organisations/x.png")


def test_default_storage_follows_the_bucket(bucket, s3):
    """What the import keeps between its preview and its commit goes there too."""
    name = default_storage.save("imports/pending.upload", ContentFile(b"Nama LKS;Jenis\n"))

    assert keys_in(s3, bucket) == [name]
    assert default_storage.listdir("imports")[1] == [name.removeprefix("imports/")]

"""Exports too long for a request (and the XLSX of several bodies) written by a job:
the click only counts and starts the job, the real worker writes the same file the
streamed export gives, for no more than the user may read."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from jobs.models import Job
from lkks.models import Membership
from tests.background import finished, request_job
from tests.factories import (
    FunderFactory,
    MembershipFactory,
    OrganisationFactory,
    ProgramFactory,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LKS_EXPORT = reverse("members:organisation-export")


@pytest.fixture
def long_lists(settings):
    """Lists of more than three rows are long."""
    settings.EXPORT_ROWS_IN_REQUEST = 3


@pytest.fixture
def register(kampar, sleman):
    """Five LKS of Kampar (two of them named with a formula's start) and two of Sleman."""
    for name in ("Panti Harapan", "Panti Kasih", "=1+1", "Yayasan X,=2*21,", "Panti Bunda"):
        OrganisationFactory(body=kampar, name=name)
    for name in ("Panti Sleman", "Panti Turi"):
        OrganisationFactory(body=sleman, name=name)


def table(content: bytes, file_format: str):
    """The rows of an export, header first (XLSX cells as typed)."""
    if file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(content), read_only=True)
        return [list(row) for row in workbook.worksheets[0].values]
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:]), delimiter=";"))


def streamed(client, url, params):
    response = client.get(url, params)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def result_of(job):
    with job.result.open("rb") as result:
        return result.read()


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_a_long_list_is_written_by_the_worker_as_the_streamed_export_is(
    run_worker, staff_client, register, settings, file_format
):
    params = {"format": file_format, "ordering": "-name"}
    expected = table(streamed(staff_client, LKS_EXPORT, params), file_format)
    settings.EXPORT_ROWS_IN_REQUEST = 3

    response, job = request_job(staff_client, "get", LKS_EXPORT, params)

    assert response.url == f"/jobs/{job.pk}/"
    assert job.status == Job.Status.QUEUED
    assert job.kind == "export"
    assert job.title == f"Ekspor LKS ({file_format.upper()})"
    assert job.return_url == "/members/?ordering=-name"
    job = finished(job, run_worker)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert job.result_name == f"lks-kampar-{TODAY:%Y-%m-%d}.{file_format}"
    assert (job.done, job.total) == (5, 5)
    rows = table(result_of(job), file_format)
    assert rows == expected
    assert len(rows) == 6
    # The same quoting and neutralising as the streamed file.
    names = [row[0] for row in rows[1:]]
    assert "'=1+1" in names
    assert "Yayasan X,=2*21," in names
    if file_format == "csv":
        assert b'"Yayasan X,=2*21,"' in result_of(job)


def click_queries(client, params):
    """The queries of the click on an export that starts a job (not those of the
    enqueueing, which runs as the request's transaction commits)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LKS_EXPORT, params)
    assert response.status_code == 302
    return [query["sql"] for query in queries]


def test_the_click_counts_the_rows_and_reads_none(staff_client, register, long_lists, kampar):
    click_queries(staff_client, {"format": "xlsx"})  # the session's first write
    five = click_queries(staff_client, {"format": "xlsx"})
    OrganisationFactory.create_batch(45, body=kampar)
    fifty = click_queries(staff_client, {"format": "xlsx"})

    assert len(fifty) == len(five)
    assert len(fifty) <= 16, "\n".join(fifty)
    reading_lks = [sql for sql in fifty if "members_organisation" in sql]
    assert len(reading_lks) == 1
    assert reading_lks[0].startswith("SELECT COUNT(")


def test_the_filters_of_the_list_choose_the_rows_of_the_job(
    run_worker, staff_client, register, long_lists, kampar
):
    OrganisationFactory.create_batch(4, body=kampar, name="Panti Kembar")

    _response, job = request_job(staff_client, "get", LKS_EXPORT, {"format": "csv", "q": "Kembar"})

    rows = table(result_of(finished(job, run_worker)), "csv")
    assert [row[0] for row in rows[1:]] == ["Panti Kembar"] * 4


def test_a_short_list_still_streams(staff_client, register, long_lists):
    response = staff_client.get(LKS_EXPORT, {"format": "csv", "q": "Panti"})

    assert response.status_code == 200
    assert not Job.objects.exists()
    assert len(table(b"".join(response.streaming_content), "csv")) == 4


def test_the_job_exports_only_the_body_the_user_was_reading(
    run_worker, client_of, provincial, register, long_lists, kampar, sleman
):
    client = client_of(provincial)
    client.post(reverse("body-switch"), {"body": "sleman"})
    OrganisationFactory.create_batch(3, body=sleman, name="Panti Sleman Lain")

    _response, job = request_job(client, "get", LKS_EXPORT, {"format": "xlsx"})

    job = finished(job, run_worker)
    assert job.body == sleman
    names = {row[0] for row in table(result_of(job), "xlsx")[1:]}
    assert names == {"Panti Sleman", "Panti Turi", "Panti Sleman Lain"}
    assert job.result_name.startswith("lks-sleman-")


def test_a_user_who_no_longer_reads_the_body_gets_nothing(
    run_worker, staff, staff_client, register, long_lists, kampar
):
    _response, job = request_job(staff_client, "get", LKS_EXPORT, {"format": "xlsx"})
    Membership.objects.filter(user=staff, body=kampar).delete()
    # Even when they read another body by then.
    MembershipFactory(user=staff, role=Membership.Role.OFFICIAL)

    job = finished(job, run_worker)

    assert job.status == Job.Status.FAILED
    assert job.message == "Akun Anda tidak lagi dapat membaca data lembaga ini."
    assert not job.result


def test_another_user_cannot_open_the_job(
    run_worker, staff_client, client_of, other_staff, register, long_lists
):
    _response, job = request_job(staff_client, "get", LKS_EXPORT, {"format": "xlsx"})
    finished(job, run_worker)

    other = client_of(other_staff)
    assert other.get(job.get_absolute_url()).status_code == 404
    assert other.get(reverse("jobs:job-download", args=[job.pk])).status_code == 404
    assert staff_client.get(reverse("jobs:job-download", args=[job.pk])).status_code == 200


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("programs:program-export", lambda body: ProgramFactory.create_batch(2, body=body)),
        ("grants:funder-export", lambda body: FunderFactory.create_batch(2, body=body)),
        ("letter-export", lambda body: None),
    ],
)
def test_every_list_export_can_run_as_a_job(run_worker, staff_client, kampar, settings, url, make):
    make(kampar)
    expected = table(streamed(staff_client, reverse(url), {"format": "xlsx"}), "xlsx")
    settings.EXPORT_ROWS_IN_REQUEST = -1

    _response, job = request_job(staff_client, "get", reverse(url), {"format": "xlsx"})

    job = finished(job, run_worker)
    assert job.status == Job.Status.SUCCEEDED, job.message
    assert table(result_of(job), "xlsx") == expected


# Lists of several bodies


def test_the_xlsx_of_several_bodies_is_always_a_job(
    run_worker, client_of, provincial, kampar, sleman
):
    client = client_of(provincial)
    url = reverse("compare-export")

    assert client.get(url, {"format": "csv"}).status_code == 200
    _response, job = request_job(client, "get", url, {"format": "xlsx", "year": 2024})

    job = finished(job, run_worker)
    assert job.status == Job.Status.SUCCEEDED, job.message
    rows = table(result_of(job), "xlsx")
    assert rows[0][2:4] == ["LKKS Kabupaten Kampar", "LKKS Kabupaten Sleman"]
    assert job.return_url == "/compare/?year=2024"


def test_the_comparison_job_compares_the_bodies_read_when_it_runs(
    run_worker, client_of, provincial, kampar, sleman
):
    client = client_of(provincial)
    _response, job = request_job(client, "get", reverse("compare-export"), {"format": "xlsx"})
    Membership.objects.filter(user=provincial, body=sleman).delete()

    job = finished(job, run_worker)

    assert job.status == Job.Status.FAILED
    assert "akun Anda hanya membaca satu lembaga" in job.message

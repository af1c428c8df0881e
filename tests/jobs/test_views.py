"""The job pages: the list, a job's page with its bar, its status as JSON, its download
and its retry; each only for the job's user and the superuser."""

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobs.models import Job
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def make_job(user, status=Job.Status.QUEUED, **fields):
    return Job.objects.create(
        user=user,
        title=fields.pop("title", "Ekspor LKS"),
        status=status,
        task_path="tests.jobs.tasks.count_to",
        params={"to": 2},
        **fields,
    )


def done_job(user, content=b"a;b\n", name="lks-2026.csv"):
    job = make_job(user, Job.Status.SUCCEEDED, done=4, total=4)
    job.result.save(name, ContentFile(content), save=False)
    job.result_name = name
    job.save()
    return job


def urls(job):
    return {
        name: reverse(f"jobs:job-{name}", args=[job.pk])
        for name in ("detail", "status", "download")
    }


@pytest.fixture
def superuser(db):
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


def test_the_list_shows_the_users_own_jobs_newest_first(staff, other_staff, client_of):
    older = make_job(staff, title="Ekspor lama")
    newer = done_job(staff)
    make_job(other_staff, title="Milik Sleman")

    response = client_of(staff).get(reverse("jobs:job-list"))

    assert response.status_code == 200
    assert list(response.context["jobs"]) == [newer, older]
    content = response.content.decode()
    assert "Milik Sleman" not in content
    assert "Unduh lks-2026.csv" in content
    assert "Menunggu" in content


def test_the_superuser_sees_every_job_with_its_user(staff, other_staff, superuser, client_of):
    make_job(staff)
    make_job(other_staff)
    make_job(None, title="Pengingat harian")

    response = client_of(superuser).get(reverse("jobs:job-list"))

    assert len(response.context["jobs"]) == 3
    assert "(sistem)" in response.content.decode()


def test_the_list_takes_the_same_queries_for_more_jobs(staff, client_of):
    client = client_of(staff)
    done_job(staff)
    client.get(reverse("jobs:job-list"))  # the session and the menu's bodies, once

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("jobs:job-list")).status_code == 200
        return len(queries)

    few = count()
    for _ in range(10):
        done_job(staff)
        make_job(staff)
    assert count() == few


def test_the_job_page_shows_the_bar_and_refreshes_itself_without_javascript(staff, client_of):
    job = make_job(staff, Job.Status.RUNNING, done=3, total=10, return_url="/members/?q=a")

    response = client_of(staff).get(job.get_absolute_url())

    content = response.content.decode()
    assert response.status_code == 200
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in content
    assert 'aria-valuenow="30"' in content
    assert "job-bar-30" in content
    assert "Berjalan" in content
    assert 'href="/members/?q=a"' in content
    assert "js/job.js" in content
    # The CSP allows no inline style or script: the width comes from a class or the script.
    assert "style=" not in content
    assert "<script>" not in content


def test_a_finished_job_stops_refreshing_and_offers_its_file(staff, client_of):
    job = done_job(staff)

    content = client_of(staff).get(job.get_absolute_url()).content.decode()

    assert "http-equiv" not in content
    assert urls(job)["download"] in content
    assert "Coba lagi" not in content


def test_a_failed_job_says_why_and_offers_to_try_again(staff, client_of):
    job = make_job(staff, Job.Status.FAILED, message="Berkas tidak dapat dibaca.")

    content = client_of(staff).get(job.get_absolute_url()).content.decode()

    assert "Berkas tidak dapat dibaca." in content
    assert "Coba lagi" in content
    assert reverse("jobs:job-retry", args=[job.pk]) in content
    assert urls(job)["download"] not in content


def test_the_status_is_json_for_the_script(staff, client_of):
    job = make_job(staff, Job.Status.RUNNING, done=1, total=4)

    response = client_of(staff).get(urls(job)["status"])

    assert response["Cache-Control"] == "private, no-store"
    assert response.json() == {
        "status": "running",
        "label": "Berjalan",
        "done": 1,
        "total": 4,
        "percent": 25,
        "message": "",
        "finished": False,
        "download_url": None,
    }


def test_the_download_is_the_file_under_its_name(staff, client_of):
    job = done_job(staff, content=b"nama;kota\n")

    response = client_of(staff).get(urls(job)["download"])

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"nama;kota\n"
    assert response["Content-Disposition"] == 'attachment; filename="lks-2026.csv"'
    assert response["Content-Type"] == "text/csv"
    assert response["Cache-Control"] == "private, no-store"


def test_a_job_without_its_file_has_no_download(staff, client_of):
    job = make_job(staff, Job.Status.RUNNING)

    assert client_of(staff).get(urls(job)["download"]).status_code == 404


def test_another_users_job_is_not_found_on_every_page(staff, other_staff, official, client_of):
    job = done_job(staff)
    for user in (other_staff, official):
        client = client_of(user)
        for url in urls(job).values():
            assert client.get(url).status_code == 404, url
        assert client.post(reverse("jobs:job-retry", args=[job.pk])).status_code == 404


def test_the_superuser_reaches_any_job(staff, superuser, client_of):
    job = done_job(staff)
    client = client_of(superuser)

    for url in urls(job).values():
        assert client.get(url).status_code == 200, url


def test_the_anonymous_user_is_sent_to_log_in(staff):
    job = done_job(staff)
    for url in [reverse("jobs:job-list"), *urls(job).values()]:
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_failed_job_runs_again_with_its_parameters(
    staff, client_of, run_worker, django_capture_on_commit_callbacks
):
    job = make_job(staff, Job.Status.FAILED, message="Gagal.", attempts=2)
    client = client_of(staff)

    assert client.get(reverse("jobs:job-retry", args=[job.pk])).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("jobs:job-retry", args=[job.pk]))
    assert response.status_code == 302
    assert response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert (job.status, job.message, job.attempts) == (Job.Status.QUEUED, "", 0)

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.result.read() == b"1\n2\n"


def test_only_a_failed_job_is_tried_again(staff, client_of, django_capture_on_commit_callbacks):
    job = done_job(staff)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        client_of(staff).post(reverse("jobs:job-retry", args=[job.pk]))

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert callbacks == []

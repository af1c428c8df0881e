"""The worker's upkeep: jobs past their days go with their files, a job whose worker died
runs again once and then fails, and a job no worker will pick up is enqueued again."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import services
from jobs.models import Job
from tests.jobs import tasks

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def days_ago(days):
    return NOW - datetime.timedelta(days=days)


def storage():
    return Job._meta.get_field("result").storage


def job_with_files(user, *, created=NOW, status=Job.Status.SUCCEEDED, **fields):
    job = Job.objects.create(
        user=user,
        title="Ekspor",
        status=status,
        task_path="tests.jobs.tasks.count_to",
        params={"to": 2},
        created=created,
        **fields,
    )
    job.result.save("hasil.csv", ContentFile(b"1\n"), save=False)
    job.source.save("sumber.csv", ContentFile(b"a\n"), save=False)
    job.result_name = "hasil.csv"
    job.save()
    return job


def task_result(job, status, **fields):
    result = tasks.count_to.enqueue(str(job.pk)).db_result
    DBTaskResult.objects.filter(pk=result.pk).update(status=status, **fields)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.pk))
    job.refresh_from_db()
    return DBTaskResult.objects.get(pk=result.pk)


def test_jobs_past_their_days_are_deleted_with_their_files(staff, settings):
    settings.JOBS_KEEP_DAYS = 7
    old = job_with_files(staff, created=days_ago(8))
    recent = job_with_files(staff, created=days_ago(6))
    old_running = job_with_files(
        staff, created=days_ago(8), status=Job.Status.RUNNING, heartbeat=NOW
    )
    old_files = [old.result.name, old.source.name]
    old_result = task_result(old, "SUCCESSFUL", finished_at=days_ago(8))
    recent_result = task_result(recent, "SUCCESSFUL", finished_at=days_ago(6))

    assert services.delete_old(NOW) == 1

    assert set(Job.objects.all()) == {recent, old_running}
    assert not any(storage().exists(name) for name in old_files)
    assert storage().exists(recent.result.name)
    assert not DBTaskResult.objects.filter(pk=old_result.pk).exists()
    assert DBTaskResult.objects.filter(pk=recent_result.pk).exists()


def test_the_worker_does_its_upkeep(staff, run_worker, settings):
    settings.JOBS_KEEP_DAYS = 7
    job_with_files(staff, created=days_ago(30))

    run_worker()

    assert not Job.objects.exists()


@pytest.fixture
def dead_run(staff, settings):
    """A job whose worker died mid-run: running, silent since long, a half-written file
    in its folder, its task result still RUNNING."""
    settings.JOBS_STALE_SECONDS = 120

    def make(attempts):
        job = job_with_files(
            staff,
            status=Job.Status.RUNNING,
            attempts=attempts,
            done=5,
            total=10,
            heartbeat=NOW - datetime.timedelta(seconds=121),
        )
        Job.objects.filter(pk=job.pk).update(result="", result_name="")
        storage().save(f"jobs/{job.pk}/half.part", ContentFile(b"x" * 10))
        result = task_result(job, "RUNNING", started_at=NOW - datetime.timedelta(minutes=5))
        return Job.objects.get(pk=job.pk), result

    return make


def folder(job):
    return sorted(storage().listdir(f"jobs/{job.pk}")[1])


def test_a_job_whose_worker_died_runs_again_once(dead_run, django_capture_on_commit_callbacks):
    job, result = dead_run(attempts=1)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.reap_stale(NOW) == (1, 0)

    job.refresh_from_db()
    assert (job.status, job.done, job.heartbeat) == (Job.Status.QUEUED, 0, None)
    assert folder(job) == [job.source.name.rsplit("/", 1)[1]]  # the source stays, for the run
    result.refresh_from_db()
    assert result.status == "FAILED"
    assert result.exception_class_path == "jobs.services.WorkerLost"
    # Enqueued again: a new task result waits for the worker.
    assert job.task_result_id != str(result.pk)
    assert DBTaskResult.objects.get(pk=job.task_result_id).status == "READY"


def test_a_job_whose_worker_died_twice_fails_with_a_message(dead_run):
    job, result = dead_run(attempts=2)

    assert services.reap_stale(NOW) == (0, 1)

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Pekerjaan terputus dua kali")
    assert not job.result
    result.refresh_from_db()
    assert result.status == "FAILED"


def test_a_job_with_a_recent_sign_of_life_is_left_running(dead_run):
    job, _result = dead_run(attempts=1)
    Job.objects.filter(pk=job.pk).update(heartbeat=NOW - datetime.timedelta(seconds=60))

    assert services.reap_stale(NOW) == (0, 0)

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING
    assert "half.part" in folder(job)


def test_a_run_given_up_cannot_mark_its_job_done(dead_run, django_capture_on_commit_callbacks):
    job, _result = dead_run(attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reap_stale(NOW)
    # The first run was only slow: it finishes after the upkeep gave it up.
    job.status, job.attempts = Job.Status.RUNNING, 1
    job.result.save("late.csv", ContentFile(b"late\n"), save=False)
    late = job.result.name

    services.succeed(job, "")

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert not storage().exists(late)


def test_a_waiting_job_that_no_worker_will_take_is_enqueued_again(
    staff, settings, django_capture_on_commit_callbacks
):
    settings.JOBS_STALE_SECONDS = 120
    lost = Job.objects.create(
        user=staff,
        title="Hilang",
        task_path="tests.jobs.tasks.count_to",
        params={"to": 1},
        created=NOW - datetime.timedelta(minutes=10),
    )
    fresh = Job.objects.create(
        user=staff, title="Baru", task_path="tests.jobs.tasks.count_to", params={"to": 1}
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert services.requeue_lost(NOW) == 1

    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert DBTaskResult.objects.get(pk=lost.task_result_id).status == "READY"
    assert fresh.task_result_id == ""

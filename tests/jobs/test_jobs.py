"""The jobs API (jobs.start, job_task, progress, save_result, JobFailed) run by the real
worker, in this process."""

import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from jobs import jobs
from jobs.management.commands.jobs_worker import QuietSlices
from jobs.models import Job
from tests.jobs import tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """``start(user, task, **params)``: a job, enqueued as its transaction commits."""

    def make(user, task, **params):
        with django_capture_on_commit_callbacks(execute=True):
            return jobs.start(user, task, title="Test", **params)

    return make


def stored_files(job):
    storage = Job._meta.get_field("result").storage
    try:
        return sorted(storage.listdir(f"jobs/{job.pk}")[1])
    except FileNotFoundError:
        return []


def test_a_job_waits_until_its_transaction_commits(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        job = jobs.start(staff, tasks.count_to, title="Hitung", to=3)
        assert not DBTaskResult.objects.exists()

    assert len(callbacks) == 1
    callbacks[0]()
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert job.get_status_display() == "Menunggu"
    assert DBTaskResult.objects.get().pk.hex == job.task_result_id.replace("-", "")
    assert job.params == {"to": 3}
    assert job.task_path == "tests.jobs.tasks.count_to"


def test_the_worker_runs_a_job_to_its_file(staff, start, run_worker):
    job = start(staff, tasks.count_to, to=5, file_name="angka.csv")

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.get_status_display() == "Selesai"
    assert (job.done, job.total, job.percent) == (5, 5, 100)
    assert job.attempts == 1
    assert job.message == "5"
    assert job.result_name == "angka.csv"
    assert job.result.name.startswith(f"jobs/{job.pk}/")
    assert job.result.read() == b"1\n2\n3\n4\n5\n"
    assert job.started <= job.finished
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_db_worker_itself_runs_jobs_too(staff, start, worker_in_test_transaction):
    job = start(staff, tasks.count_to, to=2)

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


def test_a_job_failed_by_its_task_says_why_in_indonesian_and_keeps_no_file(
    staff, start, run_worker
):
    job = start(staff, tasks.refuse)

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.get_status_display() == "Gagal"
    assert job.message == "Akun Anda tidak lagi dapat membaca lembaga ini: laporan tidak dibuat."
    assert not job.result
    assert stored_files(job) == []


def test_a_bug_fails_the_job_with_a_general_indonesian_message_and_logs_it(
    staff, start, run_worker, caplog
):
    job = start(staff, tasks.crash)

    with caplog.at_level(logging.ERROR, logger="jobs.services"):
        run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Pekerjaan berhenti karena kesalahan di server.")
    assert "ZeroDivisionError" not in job.message
    assert "ZeroDivisionError" in caplog.text
    assert stored_files(job) == []
    result = DBTaskResult.objects.get()
    assert result.status == "FAILED"
    assert "ZeroDivisionError" in result.traceback


def test_a_job_reads_its_source_file(staff, start, run_worker):
    upload = SimpleUploadedFile("daftar.csv", b"nama\nal ghifari\n")

    job = start(staff, tasks.read_source, source=upload)
    run_worker()

    job.refresh_from_db()
    assert job.source_name == "daftar.csv"
    assert job.status == Job.Status.SUCCEEDED
    assert job.result_name == "upper-daftar.csv"
    assert job.result.read() == b"NAMA\nAL GHIFARI\n"


def test_a_job_that_is_no_longer_waiting_is_not_run_again(staff, start, run_worker):
    job = start(staff, tasks.count_to, to=2)
    run_worker()
    jobs.enqueue(job.pk)  # e.g. enqueued twice

    run_worker()

    job.refresh_from_db()
    assert job.attempts == 1
    assert stored_files(job) == [job.result.name.rsplit("/", 1)[1]]


def test_parameters_must_be_json(staff):
    with pytest.raises(TypeError):
        jobs.start(staff, tasks.count_to, title="Hitung", to=object())
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("/members/?q=a", "/members/?q=a"),
        ("https://evil.example/", ""),
        ("//evil.example/", ""),
        ("javascript:alert(1)", ""),
    ],
)
def test_the_return_address_is_a_path_on_this_site(staff, given, kept):
    job = jobs.start(staff, tasks.count_to, title="Hitung", return_url=given, to=1)

    assert job.return_url == kept


def test_progress_is_a_share_of_the_total():
    job = Job(total=8, done=2)
    assert job.percent == 25
    job.progress(9)
    assert (job.done, job.percent) == (8, 100)
    assert Job(total=0, done=5).percent == 0


def test_a_polling_worker_says_once_that_it_started_and_never_that_it_exits():
    quiet = QuietSlices()

    def shown(message):
        return quiet.filter(logging.LogRecord("django_tasks_db", 20, "", 0, message, (), None))

    assert shown("Starting worker worker_id=%s queues=%s")
    assert not shown("Starting worker worker_id=%s queues=%s")
    assert not shown("No more tasks to run for worker_id=%s - exiting gracefully.")
    assert shown("Task id=%s failed unexpectedly")

"""A worker killed mid-job (SIGKILL, as the OOM killer or a power cut would): nothing
half-written is shown, the job runs again once, and fails with a message the second
time. A real worker process on PostgreSQL."""

import datetime
import os
import signal
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs import jobs, services
from jobs.models import Job
from tests.jobs import tasks

pytestmark = [
    pytest.mark.postgresql,
    # Like every test that commits: the migrated rows (regions) come back for it, and
    # the next such test finds the database as the migrations left it.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def database_url():
    db = connection.settings_dict
    credentials = urllib.parse.quote(db["USER"] or "")
    if db["PASSWORD"]:
        credentials += ":" + urllib.parse.quote(db["PASSWORD"])
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(tmp_path):
    """``worker()``: a ``jobs_worker`` process on the test database; killed at the end."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
    env |= {
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "DJANGO_CONN_MAX_AGE": "0",
        "DJANGO_JOBS_HEARTBEAT_SECONDS": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    processes = []

    def start():
        log = (tmp_path / f"worker-{len(processes)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "manage.py", "jobs_worker", "--no-reload", "--interval=0.2"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        processes.append(process)
        return process

    yield start
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def wait_until(check, what, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting: {what}")


def kill_mid_job(worker, job, marker, *, first=None):
    """Start a worker, wait until it is half-way through the job, then SIGKILL it (after
    it finished the ``first`` job, if any)."""
    marker.unlink(missing_ok=True)
    process = worker()
    if first is not None:
        wait_until(lambda: Job.objects.get(pk=first.pk).is_finished, "the first job")
    wait_until(marker.exists, "the worker to start writing")
    # Progress is visible while the task runs (written by the runner's own connection).
    wait_until(lambda: Job.objects.get(pk=job.pk).done > 0, "progress on the job")
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stored(job):
    storage = Job._meta.get_field("result").storage
    try:
        return storage.listdir(f"jobs/{job.pk}")[1]
    except FileNotFoundError:
        return []


def later():
    return timezone.now() + datetime.timedelta(seconds=settings.JOBS_STALE_SECONDS + 1)


def test_a_killed_worker_leaves_nothing_half_written_and_the_job_runs_again_then_fails(
    staff, worker, tmp_path
):
    marker = tmp_path / "started"
    quick = jobs.start(staff, tasks.count_to, title="Hitung", to=3)
    job = jobs.start(staff, tasks.slow_write, title="Lambat", marker=str(marker), seconds=60)

    kill_mid_job(worker, job, marker, first=quick)

    quick.refresh_from_db()
    assert quick.status == Job.Status.SUCCEEDED
    assert quick.result.read() == b"1\n2\n3\n"

    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING  # as the dead worker left it
    assert not job.result
    assert job.attempts == 1
    assert stored(job) == ["half-written.part"]
    first_result = DBTaskResult.objects.get(pk=job.task_result_id)
    assert first_result.status == "RUNNING"

    assert services.reap_stale(later()) == (1, 0)

    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert stored(job) == []
    first_result.refresh_from_db()
    assert first_result.status == "FAILED"

    kill_mid_job(worker, job, marker)  # the second run dies too

    job.refresh_from_db()
    assert job.attempts == 2
    assert services.reap_stale(later()) == (0, 1)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith("Pekerjaan terputus dua kali")
    assert stored(job) == []
    assert not DBTaskResult.objects.filter(status="RUNNING").exists()

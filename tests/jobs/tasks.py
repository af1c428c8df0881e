"""Tasks for the tests of the jobs framework (the worker imports them by path)."""

import time
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from jobs import jobs


@jobs.job_task
def count_to(job, *, to, file_name="count.csv"):
    """Counts, reporting progress, then stores the numbers as its file."""
    lines = []
    for number in range(1, to + 1):
        lines.append(str(number))
        job.progress(number, to)
    job.save_result(file_name, ("\n".join(lines) + "\n").encode())
    job.message = f"{to}"


@jobs.job_task
def refuse(job):
    """Fails with a message for the user (one of the project's, so translated), after
    writing part of its file."""
    job.save_result("partial.csv", b"1\n2\n")
    raise jobs.JobFailed(_("Your account no longer reads this body: the report was not made."))


@jobs.job_task
def crash(job):
    """Fails the way a bug would, after writing part of its file."""
    job.save_result("partial.csv", b"1\n")
    raise ZeroDivisionError("a bug")


@jobs.job_task
def read_source(job):
    """Stores its source file, upper-cased."""
    with job.source.open("rb") as handle:
        job.save_result(f"upper-{job.source_name}", handle.read().upper())


@jobs.job_task
def slow_write(job, *, marker, seconds=30):
    """Writes half its file in the job's folder, says so in ``marker``, then takes its
    time (long enough to be killed)."""
    storage = job.result.storage
    storage.save(f"jobs/{job.pk}/half-written.part", _chunk())
    Path(marker).write_text(str(job.pk))
    for step in range(seconds * 10):
        job.progress(step, seconds * 10)
        time.sleep(0.1)
    job.save_result("slow.txt", b"done")


def _chunk():
    from django.core.files.base import ContentFile

    return ContentFile(b"x" * 1000)

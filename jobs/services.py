"""Writes on jobs: start one, run it in the worker, keep its file, retry it, and the
worker's upkeep (a job whose worker died, jobs past their days).

A job's file is stored first and made visible in the one write that marks the job
done; a job that fails, or whose worker dies, keeps nothing but its source. Every
write to a running job is conditional on the run it belongs to (status and attempt),
so that a run the upkeep has given up on cannot mark the job done afterwards.
"""

import contextlib
import json
import logging
import os
import threading
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connections, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from jobs.models import Job, job_folder

logger = logging.getLogger(__name__)

Status = Job.Status

GENERIC_FAILURE = _(
    "The job stopped because of an error on the server. The error has been recorded; "
    "try again, and tell the administrator if it happens again."
)
WORKER_LOST = _(
    "The job was interrupted twice because the server processing it stopped. "
    "Try again later; tell the administrator if it happens again."
)
# Seconds between the runner's writes of progress, and between signs of life.
PROGRESS_SECONDS = 0.5


class JobFailed(Exception):  # noqa: N818 (the name says what the task tells the user)
    """Raised by a task to fail its job with a message for the user (in Indonesian,
    shown as it is)."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


class WorkerLost(Exception):  # noqa: N818
    """What a task's result records when its worker died while running it."""


# Starting


def start(
    user, task, *, title, kind="", body=None, return_url="", source=None, source_name="", **params
):
    """Create a job for ``user`` and enqueue ``task`` (a ``jobs.job_task``) once the
    transaction commits; ``params`` (JSON) are its keyword arguments, ``source`` a file
    it reads (an upload, bytes or a path), kept for a retry."""
    json.dumps(params, cls=DjangoJSONEncoder)  # a TypeError here, not in the worker
    job = Job(
        user=user if user is not None and user.is_authenticated else None,
        body=body,
        kind=kind,
        title=str(title)[:200],
        params=params,
        task_path=task.module_path,
        return_url=safe_return_url(return_url),
    )
    if source is not None:
        name = source_name or getattr(source, "name", "") or "source"
        job.source_name = PurePosixPath(str(name)).name[:255]
        with as_file(source) as content:
            job.source.save(job.source_name, content, save=False)
    job.full_clean(exclude=["result", "source"])
    job.save()
    transaction.on_commit(lambda: enqueue(job.pk), robust=True)
    return job


def safe_return_url(url):
    """A path on this site, or nothing."""
    url = str(url or "")
    if url and url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return url[:2000]
    return ""


def enqueue(job_id):
    """Hand the job to the worker: a new task result, remembered on the job."""
    job = Job.objects.get(pk=job_id)
    task = import_string(job.task_path)
    result = task.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    return result


class as_file:  # noqa: N801 (used as a context manager)
    """bytes, a path or a file object as a django File, closed afterwards if opened."""

    def __init__(self, content):
        self.content = content
        self.opened = None

    def __enter__(self):
        content = self.content
        if isinstance(content, bytes | bytearray):
            return ContentFile(bytes(content))
        if isinstance(content, str | os.PathLike):
            self.opened = open(content, "rb")
            return File(self.opened)
        if hasattr(content, "seek"):
            with contextlib.suppress(OSError, ValueError):
                content.seek(0)
        return content if isinstance(content, File) else File(content)

    def __exit__(self, *exc):
        if self.opened is not None:
            self.opened.close()


def store_result(job, name, content):
    """Store the job's file (not yet visible: see ``finish``)."""
    if job.result:
        job.result.delete(save=False)
    job.result_name = PurePosixPath(str(name)).name[:255]
    with as_file(content) as stored:
        job.result.save(job.result_name, stored, save=False)


# Running (in the worker)


class Runner:
    """Writes a running job's progress and its sign of life from a thread of its own,
    with its own database connection: the page sees the progress even while the task
    holds a transaction open, and a job whose worker died stops beating."""

    def __init__(self, job):
        self.job_id = job.pk
        self.attempt = job.attempts
        self.pending = None
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job.pk}", daemon=True)
        self.last_beat = timezone.now()

    def start(self):
        self.thread.start()

    def progressed(self, done, total):
        with self.lock:
            self.pending = (done, total)

    def stop(self):
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()

    def _beat(self):
        try:
            while not self.stopped.wait(PROGRESS_SECONDS):
                with self.lock:
                    pending, self.pending = self.pending, None
                now = timezone.now()
                due = (now - self.last_beat).total_seconds() >= settings.JOBS_HEARTBEAT_SECONDS
                if pending is None and not due:
                    continue
                fields = {"heartbeat": now}
                if pending is not None:
                    fields["done"], fields["total"] = pending
                try:
                    self._running().update(**fields)
                    self.last_beat = now
                except DatabaseError:
                    # SQLite locked by the task's own transaction: the next beat tries again.
                    logger.debug("Job %s: progress not written this time", self.job_id)
        finally:
            connections.close_all()  # this thread's connections only

    def _running(self):
        return Job.objects.filter(pk=self.job_id, status=Status.RUNNING, attempts=self.attempt)


def run(func, job_id):
    """Run a job's function in the worker (the body of every ``jobs.job_task``)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING,
        started=now,
        heartbeat=now,
        finished=None,
        done=0,
        message="",
        attempts=F("attempts") + 1,
    )
    if not claimed:
        # Deleted, already done, or taken by another run: nothing to do.
        logger.info("Job %s is not waiting: not run", job_id)
        return "skipped"
    job = Job.objects.select_related("user", "body").get(pk=job_id)
    runner = Runner(job)
    job._runner = runner
    runner.start()
    with translation.override(settings.LANGUAGE_CODE):
        try:
            func(job, **job.params)
        except JobFailed as error:
            runner.stop()
            fail(job, str(error))
            return "failed"
        except Exception:
            runner.stop()
            logger.exception("Job %s (%s) failed", job.pk, job.task_path)
            fail(job, str(GENERIC_FAILURE))
            raise  # the task result keeps the traceback too
        finally:
            runner.stop()
        message = str(job.message)
    succeed(job, message)
    return "succeeded"


def succeed(job, message):
    done = job.total or job.done
    finished = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts).update(
        status=Status.SUCCEEDED,
        finished=finished,
        heartbeat=finished,
        done=done,
        total=job.total,
        message=message,
        result=job.result.name or "",
        result_name=job.result_name if job.result else "",
    )
    if not updated:
        # The upkeep gave this run up (its worker seemed dead) or the job is gone.
        logger.warning("Job %s finished after it was given up: its file is dropped", job.pk)
        if job.result:
            job.result.delete(save=False)


def fail(job, message):
    delete_job_files(job, keep_source=True)
    Job.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts).update(
        status=Status.FAILED,
        finished=timezone.now(),
        message=message,
        result="",
        result_name="",
    )


def delete_job_files(job, *, keep_source):
    """Delete what is stored in the job's folder: its file, anything a killed run left
    half-written, and (unless kept) its source."""
    storage = Job._meta.get_field("result").storage
    folder = job_folder(job)
    try:
        _dirs, names = storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return
    keep = job.source.name if keep_source and job.source else None
    for name in names:
        path = f"{folder}/{name}"
        if path != keep:
            storage.delete(path)
    if not keep:
        with contextlib.suppress(NotImplementedError, OSError):
            os.rmdir(storage.path(folder))


def retry(job):
    """Run a failed job again, with the same parameters and source."""
    if job.status != Status.FAILED:
        return False
    close_task_result(job, "retried")
    delete_job_files(job, keep_source=True)
    requeued = Job.objects.filter(pk=job.pk, status=Status.FAILED).update(
        **_waiting_again(), attempts=0
    )
    if requeued:
        transaction.on_commit(lambda: enqueue(job.pk), robust=True)
    return bool(requeued)


def _waiting_again():
    return {
        "status": Status.QUEUED,
        "done": 0,
        "total": 0,
        "message": "",
        "result": "",
        "result_name": "",
        "started": None,
        "finished": None,
        "heartbeat": None,
    }


# The worker's upkeep


def close_task_result(job, why):
    """A task result left RUNNING by a worker that died is closed as failed."""
    if not job.task_result_id:
        return
    DBTaskResult.objects.filter(pk=job.task_result_id, status="RUNNING").update(
        status="FAILED",
        finished_at=timezone.now(),
        exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
        traceback=f"The worker stopped while running job {job.pk} ({why}).",
    )


def reap_stale(now=None):
    """Jobs whose worker died mid-run (no sign of life for JOBS_STALE_SECONDS): run
    again once, then failed with a message. Returns (retried, failed)."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    retried = failed = 0
    for job in Job.objects.filter(status=Status.RUNNING, heartbeat__lt=limit).order_by("created"):
        stale = Job.objects.filter(
            pk=job.pk, status=Status.RUNNING, attempts=job.attempts, heartbeat__lt=limit
        )
        close_task_result(job, "no sign of life")
        delete_job_files(job, keep_source=True)
        if job.attempts < settings.JOBS_MAX_ATTEMPTS:
            if stale.update(**_waiting_again()):
                transaction.on_commit(lambda pk=job.pk: enqueue(pk), robust=True)
                retried += 1
                logger.warning("Job %s: its worker died; run again", job.pk)
        else:
            with translation.override(settings.LANGUAGE_CODE):
                message = str(WORKER_LOST)
            if stale.update(status=Status.FAILED, finished=now, message=message, result=""):
                failed += 1
                logger.warning("Job %s: its worker died again; failed", job.pk)
    return retried, failed


def requeue_lost(now=None):
    """Waiting jobs that no worker will pick up (their task result is gone, finished,
    or claimed by a worker that died before starting the job): enqueued again."""
    now = now or timezone.now()
    limit = now - timedelta(seconds=settings.JOBS_STALE_SECONDS)
    requeued = 0
    for job in Job.objects.filter(status=Status.QUEUED, created__lt=limit):
        result = DBTaskResult.objects.filter(pk=job.task_result_id or None).first()
        if result is not None and (
            result.status == "READY"
            or (result.status == "RUNNING" and result.started_at and result.started_at >= limit)
        ):
            continue
        if result is not None:
            close_task_result(job, "never started")
        transaction.on_commit(lambda pk=job.pk: enqueue(pk), robust=True)
        requeued += 1
    return requeued


def delete_old(now=None):
    """Jobs created more than JOBS_KEEP_DAYS ago, with their files, and the worker's
    finished task results as old. Returns the number of jobs deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.JOBS_KEEP_DAYS)
    deleted = 0
    # A list, not an iterator: SQLite does not isolate a cursor from the deletes.
    for job in list(Job.objects.finished_before(cutoff)):
        delete_job_files(job, keep_source=False)
        job.delete()
        deleted += 1
    DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return deleted


def maintain(now=None):
    """The worker's upkeep, run every JOBS_MAINTENANCE_SECONDS by ``jobs_worker``."""
    retried, failed = reap_stale(now)
    requeued = requeue_lost(now)
    deleted = delete_old(now)
    return {"retried": retried, "failed": failed, "requeued": requeued, "deleted": deleted}

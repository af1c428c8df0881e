"""A job: long work a user asked for (an export, an import, a printed report), run by
the worker, with its progress, its outcome and its file."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks.models import Body


def result_path(job, filename):
    """Under the job's own folder, with a random name: the user's file name is kept in
    ``result_name`` and given only to the download. Whatever the worker leaves in the
    folder goes with the job (``services.delete_job_files``)."""
    return f"{job_folder(job)}/{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


def source_path(job, filename):
    return f"{job_folder(job)}/source-{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


def job_folder(job):
    return f"jobs/{job.pk}"


class JobQuerySet(models.QuerySet):
    def for_user(self, user):
        """The jobs a user may see: their own; every job for the superuser."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(user=user)

    def unfinished(self):
        return self.filter(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])

    def finished_before(self, moment):
        """Jobs to clean up: created before ``moment`` and not running now."""
        return self.filter(created__lt=moment).exclude(status=Job.Status.RUNNING)


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # None for a job of the system (the daily reminders): only the superuser sees it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    body = models.ForeignKey(
        Body,
        verbose_name=_("body"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="jobs",
    )
    kind = models.CharField(_("kind"), max_length=40, blank=True)
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)  # 0: not known (yet)
    message = models.TextField(_("message"), blank=True)
    result = models.FileField(_("result"), upload_to=result_path, blank=True, max_length=255)
    result_name = models.CharField(_("file name"), max_length=255, blank=True)
    source = models.FileField(_("source file"), upload_to=source_path, blank=True, max_length=255)
    source_name = models.CharField(_("source file name"), max_length=255, blank=True)
    params = models.JSONField(_("parameters"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    task_path = models.CharField(_("task"), max_length=255)
    # The django_tasks_db result of the latest run, so that a dead worker's run can be
    # closed when the job is retried or failed.
    task_result_id = models.CharField(_("task result"), max_length=64, blank=True)
    return_url = models.CharField(_("return address"), max_length=2000, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    created = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    heartbeat = models.DateTimeField(_("last sign of life"), null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        ordering = ["-created"]
        indexes = [models.Index(fields=["user", "-created"], name="jobs_job_user_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(total=0) | Q(done__lte=models.F("total")),
                name="jobs_job_done_within_total",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("jobs:job-detail", args=[self.pk])

    @property
    def percent(self):
        """How far the job is, 0 to 100: 100 once done, whatever it counted."""
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.total:
            return 0
        return min(100, self.done * 100 // self.total)

    @property
    def is_finished(self):
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def has_result(self):
        return self.status == self.Status.SUCCEEDED and bool(self.result)

    # What a task calls while it runs (see jobs.jobs); ``_runner`` is set by the worker.
    _runner = None

    def progress(self, done, total=None):
        """Record how far the task is (``done`` of ``total``). Cheap: the runner writes
        it at most about twice a second, from its own connection, so that the page sees
        it even while the task holds a transaction open."""
        if total is not None:
            self.total = max(int(total), 0)
        self.done = max(int(done), 0)
        if self.total:
            self.done = min(self.done, self.total)
        if self._runner is not None:
            self._runner.progressed(self.done, self.total)

    def save_result(self, name, content):
        """Store the job's file, shown to the user as ``name``; ``content`` is bytes, a
        path or a file object. It becomes visible only when the job is marked done, in
        the same write; a job that fails afterwards keeps no file."""
        from jobs.services import store_result

        store_result(self, name, content)

"""The worker of background jobs: django-tasks-db's ``db_worker``, plus the upkeep it
does not do (jobs/services.py, ``maintain``): a job whose worker died is run again once,
then failed; jobs older than JOBS_KEEP_DAYS go with their files.

    python manage.py jobs_worker                # runs until stopped (systemd, make run)
    python manage.py jobs_worker --batch        # runs what is waiting, then exits

Every option of ``db_worker`` is accepted.
"""

import logging
import os
import time

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

from jobs import services

logger = logging.getLogger("jobs")


class QuietSlices(logging.Filter):
    """Drops db_worker's "no more tasks, exiting" line, which a slice ends with although
    the worker goes on, and its "starting" line after the first slice."""

    def __init__(self):
        super().__init__()
        self.started = False

    def filter(self, record):
        message = str(record.msg)
        if message.startswith("No more tasks to run"):
            return False
        if message.startswith("Starting worker"):
            shown, self.started = not self.started, True
            return shown
        return True

    def attach(self):
        logging.getLogger("django_tasks_db").addFilter(self)

    def detach(self):
        logging.getLogger("django_tasks_db").removeFilter(self)


class JobsWorker(Worker):
    """db_worker's Worker run in slices: it takes tasks until none is waiting, does the
    upkeep when it is due, waits, and takes tasks again. The upkeep also runs between
    two tasks of a long queue."""

    def __init__(self, *, batch, **kwargs):
        self.keep_polling = not batch
        self.next_upkeep = 0.0
        super().__init__(batch=True, **kwargs)

    def run(self):
        quiet = QuietSlices()
        if self.keep_polling:
            quiet.attach()
        try:
            while True:
                self.upkeep_if_due()
                super().run()
                self.startup_delay = False  # only before the first slice
                if not self.keep_polling or not self.running or self.reached_max_tasks():
                    return
                time.sleep(self.interval)
        finally:
            quiet.detach()

    def run_task(self, db_task_result):
        super().run_task(db_task_result)
        self.upkeep_if_due()

    def reached_max_tasks(self):
        return self.max_tasks is not None and self._run_tasks >= self.max_tasks

    def upkeep_if_due(self):
        now = time.monotonic()
        if now < self.next_upkeep:
            return
        self.next_upkeep = now + settings.JOBS_MAINTENANCE_SECONDS
        try:
            done = services.maintain()
        except Exception:
            # The worker keeps running tasks; the upkeep is tried again next time.
            logger.exception("The jobs' upkeep failed")
            return
        if any(done.values()):
            logger.info("Jobs' upkeep: %s", done)


class Command(DbWorkerCommand):
    help = "Run background jobs (db_worker with the jobs' upkeep: dead workers, old jobs)."

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        excluded = exclude_queues.split(",") if exclude_queues else []
        worker = JobsWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

"""The public face of background jobs (issue #14; docs/architecture.md, docs/decisions.md).

    from jobs import jobs

    @jobs.job_task
    def export_organisations(job, *, body_ids, query, file_format):
        job.progress(done, total)             # cheap; also the sign of life
        job.save_result("lks.xlsx", content)  # bytes, a path or a file object
        raise jobs.JobFailed(_("…"))          # a failure the user is told as it is

    job = jobs.start(request.user, export_organisations, title=_("…"), kind="export",
                     body=body, return_url=request.get_full_path(), body_ids=[…], …)
    return redirect(job)

Any other exception fails the job with a generic Indonesian message; the traceback is
logged and kept in the worker's task result.
"""

import functools

from django.tasks import task

from jobs.models import Job
from jobs.services import JobFailed, enqueue, retry, start
from jobs.services import run as _run

__all__ = ["Job", "JobFailed", "enqueue", "job_task", "retry", "start"]


def job_task(function=None, *, priority=0, queue_name="default"):
    """A Django task that runs ``function(job, **params)`` for a job (``jobs.start``).

    The task keeps the function's module and name, so that the worker finds it where
    the function was defined; it is enqueued with the job's id alone.
    """

    def decorate(func):
        @functools.wraps(func)
        def run_job(job_id):
            return _run(func, job_id)

        # Not the function's own signature: the task takes the job's id.
        del run_job.__wrapped__
        return task(run_job, priority=priority, queue_name=queue_name)

    return decorate(function) if function is not None else decorate

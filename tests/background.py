"""Jobs started through the pages (big exports and imports), run by the real worker in
the test's own process and database transaction."""

from django.test import TestCase
from django.urls import resolve

from jobs.models import Job


def started_job(response):
    """The job a response leads to (a redirect to its page)."""
    assert response.status_code == 302, response.status_code
    match = resolve(response.url)
    assert match.view_name == "jobs:job-detail", response.url
    return Job.objects.get(pk=match.kwargs["pk"])


def request_job(client, method, url, data=None, **extra):
    """The response of a page that starts a job, with its job enqueued (as the page's
    transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = getattr(client, method)(url, data or {}, **extra)
    return response, started_job(response)


def finished(job, run_worker):
    """The job once the real worker (the ``run_worker`` fixture) has run it."""
    run_worker()
    job.refresh_from_db()
    return job

"""The pages of jobs: the user's list, a job's page with its progress bar, its status as
JSON (polled by static/js/job.js), its download and its retry. A job is its user's (and
the superuser's): anyone else gets a 404."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from jobs import services
from jobs.models import Job
from lkks.generic import breadcrumbs

# Seconds between two loads of a waiting job's page when the browser runs no script.
REFRESH_SECONDS = 3


def _job(request, pk):
    return get_object_or_404(Job.objects.for_user(request.user).select_related("body"), pk=pk)


@require_safe
def job_list(request):
    jobs = Job.objects.for_user(request.user).select_related("user", "body").order_by("-created")
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "jobs/job_list.html",
        {
            "page_obj": page,
            "jobs": page.object_list,
            "show_user": request.user.is_superuser,
            "keep_days": settings.JOBS_KEEP_DAYS,
            "breadcrumbs": breadcrumbs(_("Jobs")),
        },
    )


@require_safe
def job_detail(request, pk):
    job = _job(request, pk)
    return render(
        request,
        "jobs/job_detail.html",
        {
            "job": job,
            "refresh_seconds": REFRESH_SECONDS,
            "bar_step": job.percent // 5 * 5,
            "breadcrumbs": breadcrumbs((_("Jobs"), reverse("jobs:job-list")), job.title),
        },
    )


def status_of(job):
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "message": job.message,
        "finished": job.is_finished,
        "download_url": reverse("jobs:job-download", args=[job.pk]) if job.has_result else None,
    }


@require_safe
def job_status(request, pk):
    response = JsonResponse(status_of(_job(request, pk)))
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
def job_download(request, pk):
    job = _job(request, pk)
    if not job.has_result:
        raise Http404
    try:
        handle = job.result.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(job.result_name)[0] or "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=job.result_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def job_retry(request, pk):
    job = _job(request, pk)
    if services.retry(job):
        messages.info(request, _("The job was started again."))
    return redirect(job)

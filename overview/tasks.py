"""The roof's long work, run by the worker as jobs (jobs/): the annual report's PDF,
and the daily reminder digests."""

import datetime

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from jobs import jobs
from lkks import access
from lkks.documents import document_pdf
from overview import reminders, reports

ANNUAL_REPORT_TEMPLATE = "overview/annual_report.html"


def annual_report_file_name(body, year):
    return f"{slugify(f'laporan-tahunan-{body.slug}-{year}')}.pdf"


@jobs.job_task
def annual_report_pdf(job, *, body_id, year, date=None):
    """The annual report of a body for a year as PDF, printed on ``date`` (ISO; today
    when None). The body is found again through the user's bodies: a user who lost it
    since the click gets no report."""
    body = access.readable_bodies(job.user).filter(pk=body_id).first()
    if body is None:
        raise jobs.JobFailed(_("Your account no longer reads this body: the report was not made."))
    today = datetime.date.fromisoformat(date) if date else timezone.localdate()
    job.progress(0, 3)
    report = reports.annual_report(body=body, year=year, today=today)
    job.progress(1, 3)
    pdf = document_pdf(
        ANNUAL_REPORT_TEMPLATE,
        {"body": body, "year": year, "report": report},
        files={photo.url: photo.stored for photo in report.photos},
    )
    job.progress(2, 3)
    job.save_result(annual_report_file_name(body, year), pdf)
    job.progress(3, 3)


@jobs.job_task
def send_digests(job, *, date=None, bodies=None):
    """The day's reminder digests (``manage.py send_reminders``): each body's staff,
    then each of its LKS. Sending twice sends nothing twice, so a retry sends only what
    failed."""
    today = datetime.date.fromisoformat(date) if date else timezone.localdate()
    result = reminders.send_all(today, slugs=bodies)
    job.progress(result.bodies, result.bodies)
    job.message = _("%(items)s reminder(s) sent for %(bodies)s body(ies).") % {
        "items": result.items_sent,
        "bodies": result.bodies,
    }
    if result.failed:
        raise jobs.JobFailed(
            _("The digests of %(names)s could not be sent: the mail server refused them.")
            % {"names": ", ".join(result.failed)}
        )

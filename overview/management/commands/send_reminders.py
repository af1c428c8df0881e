"""Email each body's staff the day's digest of what expires or is due (for cron):

    python manage.py send_reminders                 # as of today, sent from here
    python manage.py send_reminders --date 2024-10-02 --dry-run
    python manage.py send_reminders --enqueue       # sent by the worker (the daily timer)

See overview/reminders.py for what is reminded when; running it twice on one day sends
nothing twice. With --enqueue the digests are a job (overview/tasks.py) that the worker
runs: the superuser sees it at /jobs/, with why it failed and a button to try again.
"""

import argparse
import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs import jobs
from lkks.models import Body
from overview import reminders, tasks


def iso_date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {value}") from None


class Command(BaseCommand):
    help = (
        "Email each body's staff one digest of the registrations and accreditations "
        "that expire and of the LPJ due or overdue, and each LKS a digest of its own "
        "papers that expire."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=iso_date,
            help="Run as of this day (YYYY-MM-DD) instead of today, e.g. to catch up a missed day.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be sent; send and record nothing.",
        )
        parser.add_argument(
            "--body", action="append", metavar="SLUG", help="Only this body (may be repeated)."
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the sending to the worker (manage.py jobs_worker), as a job the "
            "superuser sees at /jobs/; what the daily timer runs.",
        )

    def handle(self, *args, date=None, dry_run=False, body=None, enqueue=False, **options):
        today = date or timezone.localdate()
        if body:
            found = set(Body.objects.filter(slug__in=body).values_list("slug", flat=True))
            missing = set(body) - found
            if missing:
                raise CommandError(f"No body with the short name: {', '.join(sorted(missing))}")
        if enqueue:
            if dry_run:
                raise CommandError("--dry-run lists in this console: it is not enqueued.")
            self.enqueue(today, body)
            return
        run = reminders.send_all(today, slugs=body, dry_run=dry_run)
        for event in run.events:
            if event[0] == "refused":
                self.stderr.write(f"{event[1].name}: not sent ({event[2]}).")
            elif event[0] == "body":
                self.report(event[1], dry_run=dry_run)
            else:
                self.report_lks(event[1], dry_run=dry_run)
        if run.failed:
            raise CommandError(f"The digest of {', '.join(run.failed)} could not be sent.")

    def enqueue(self, today, slugs):
        with translation.override(settings.LANGUAGE_CODE):
            title = _("Daily reminders of %(date)s") % {"date": today.isoformat()}
        job = jobs.start(
            None,
            tasks.send_digests,
            title=title,
            kind="reminders",
            date=today.isoformat(),
            bodies=slugs or None,
        )
        self.stdout.write(f"Enqueued as job {job.pk}: the worker sends the digests.")

    def report(self, digest, *, dry_run):
        name = digest.body.name
        count = len(digest.items)
        staff = len(digest.recipients)
        if not count:
            self.stdout.write(f"{name}: nothing new to remind.")
            return
        if dry_run:
            self.stdout.write(f"{name}: would send {count} item(s) to {staff} staff:")
            for item in digest.items:
                self.stdout.write(
                    f"  {item.kind_label}: {item.title} ({item.due_on:%Y-%m-%d}, {item.threshold})"
                )
        elif digest.sent:
            self.stdout.write(self.style.SUCCESS(f"{name}: sent {count} item(s) to {staff} staff."))
        else:
            self.stderr.write(
                self.style.WARNING(f"{name}: {count} item(s) not sent: no staff with an email.")
            )

    def report_lks(self, digest, *, dry_run):
        name = digest.organisation.name
        count = len(digest.items)
        if not count:
            return
        if digest.error:
            self.stderr.write(f"{name}: not sent ({digest.error}).")
        elif dry_run:
            self.stdout.write(f"{name}: would send {count} item(s) to the LKS.")
        elif digest.sent:
            self.stdout.write(self.style.SUCCESS(f"{name}: sent {count} item(s) to the LKS."))
        else:
            self.stderr.write(
                self.style.WARNING(f"{name}: {count} item(s) not sent: the LKS has no email.")
            )

"""Email each body's staff the day's digest of what expires or is due (for cron):

    python manage.py send_reminders                 # as of today
    python manage.py send_reminders --date 2024-10-02 --dry-run

See overview/reminders.py for what is reminded when; running it twice on one day sends
nothing twice.
"""

import argparse
import datetime
import smtplib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from lkks.models import Body
from overview import reminders


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

    def handle(self, *args, date=None, dry_run=False, body=None, **options):
        today = date or timezone.localdate()
        bodies = Body.objects.order_by("name")
        if body:
            bodies = bodies.filter(slug__in=body)
            missing = set(body) - {b.slug for b in bodies}
            if missing:
                raise CommandError(f"No body with the short name: {', '.join(sorted(missing))}")
        failed = []
        for each in bodies:
            try:
                digest = reminders.send_digest(each, today, dry_run=dry_run)
            except (smtplib.SMTPException, OSError) as error:
                # Nothing of this body was recorded: the next run sends it again.
                self.stderr.write(f"{each.name}: not sent ({error}).")
                failed.append(each.name)
                continue
            self.report(digest, dry_run=dry_run)
            # Each LKS of the body is reminded of its own papers, to its own people.
            for lks_digest in reminders.send_lks_digests(each, today, dry_run=dry_run):
                self.report_lks(lks_digest, dry_run=dry_run)
                if lks_digest.error:
                    failed.append(lks_digest.organisation.name)
        if failed:
            raise CommandError(f"The digest of {', '.join(failed)} could not be sent.")

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

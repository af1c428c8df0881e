"""Delete the security events older than the retention (for a daily timer):

    python manage.py prune_security_events      # keeps SECURITY_EVENT_RETENTION_DAYS
    python manage.py prune_security_events --days 400 --dry-run

The events are deleted by ``lkks.security.prune_events``; nothing else deletes them.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lkks import security


class Command(BaseCommand):
    help = (
        "Delete the security events (log-ins, failures, lock-outs, role and password "
        "changes) older than the retention in days."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep this many days instead of SECURITY_EVENT_RETENTION_DAYS.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be deleted; delete nothing."
        )

    def handle(self, *args, days=None, dry_run=False, **options):
        days = settings.SECURITY_EVENT_RETENTION_DAYS if days is None else days
        if days < 1:
            raise CommandError(f"The retention must be at least one day, not {days}.")
        count = security.prune_events(older_than_days=days, dry_run=dry_run)
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} security event(s) older than {days} days.")

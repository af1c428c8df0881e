from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from overview.demo import load_demo


class Command(BaseCommand):
    help = "Load the Kampar and Sleman demo data (only with DJANGO_DEBUG=true; idempotent)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo data has published passwords; it is loaded only when DJANGO_DEBUG=true."
            )
        load_demo(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))

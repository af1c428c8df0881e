"""Measure the LKS export's memory: the peak Python memory (tracemalloc) while a staff
member downloads the register as CSV and XLSX, with 10,000 and with 100,000 LKS. Flat
memory means the 100,000-row peak is about the 10,000-row one. Prints JSON."""

import json
import time
import tracemalloc

from django.core.management.base import BaseCommand
from django.test import Client

from lkks.models import Body, Membership, Region, User
from members.models import Organisation

BATCH = 5000


class Command(BaseCommand):
    help = "Time and measure the memory of LKS exports of 10,000 and 100,000 rows."

    def handle(self, *args, **options):
        district = Region.objects.filter(level=Region.Level.DISTRICT).order_by("code").first()
        body, _created = Body.objects.get_or_create(
            slug="bench-export", defaults={"name": "LKKS Ekspor Uji", "regency": district.parent}
        )
        user, _created = User.objects.get_or_create(username="bench-export")
        Membership.objects.get_or_create(user=user, body=body, role=Membership.Role.STAFF)
        client = Client()
        client.force_login(user)
        client.post("/body/switch/", {"body": body.slug})
        results = []
        for rows in (10_000, 100_000):
            have = body.organisations.count()
            Organisation.objects.bulk_create(
                (
                    Organisation(body=body, name=f"LKS Ekspor {n:06d}", district=district)
                    for n in range(have, rows)
                ),
                batch_size=BATCH,
            )
            for file_format in ("csv", "xlsx"):
                tracemalloc.start()
                started = time.perf_counter()
                response = client.get(f"/members/export/?format={file_format}")
                if not response.streaming:
                    # Over the threshold an export is a background job (jobs/): the page
                    # only starts it, and the worker's memory is not measured here.
                    tracemalloc.stop()
                    results.append({"rows": rows, "format": file_format, "job": True})
                    continue
                size = sum(len(chunk) for chunk in response.streaming_content)
                seconds = time.perf_counter() - started
                _current, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                results.append(
                    {
                        "rows": rows,
                        "format": file_format,
                        "status": response.status_code,
                        "bytes": size,
                        "seconds": round(seconds, 1),
                        "peak_mib": round(peak / 1024 / 1024, 1),
                    }
                )
        self.stdout.write(json.dumps(results))

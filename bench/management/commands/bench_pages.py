"""Time pages in-process: SQL queries (one counted run) and server time over repeated
runs (median and 95th percentile), printed as JSON for bench/run.py."""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from grants.models import Grant
from lkks.models import Body, User


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = "Measure the main pages of the first body in the database (see bench/run.py)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--official", default="bench-official")
        parser.add_argument("--provincial", default="bench-provincial")
        parser.add_argument("--admin", default="bench-admin")
        parser.add_argument("--body", default="bench-000")
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args, runs, official, provincial, admin, body, year, **options):
        body = Body.objects.get(slug=body)
        grant = Grant.objects.filter(funder__body=body, fiscal_year=year).order_by("pk").first()
        pages = [
            ("dashboard", official, f"/?year={year}&body={body.slug}"),
            ("JSON summary", official, f"/api/summary/?body={body.slug}&year={year}"),
            ("comparison", provincial, f"/compare/?year={year}"),
            ("LKS list", official, "/members/"),
            ("LKS list, filtered", official, "/members/?registration_status=registered"),
            ("grant detail", official, f"/grants/{grant.pk}/"),
            ("admin: LKS", admin, "/admin/members/organisation/"),
            ("admin: registrations", admin, "/admin/members/registration/"),
            ("admin: activities", admin, "/admin/programs/activity/"),
            ("admin: grants", admin, "/admin/grants/grant/"),
            ("admin: expenditures", admin, "/admin/grants/expenditure/"),
        ]
        clients = {}
        results = []
        for label, username, url in pages:
            if username not in clients:
                clients[username] = Client()
                clients[username].force_login(User.objects.get(username=username))
            client = clients[username]
            for _warm_up in range(2):
                client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            # Counted now: every later request clears the connection's query log.
            query_count = len(queries)
            timings = []
            for _run in range(runs):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            results.append(
                {
                    "page": label,
                    "url": url,
                    "status": response.status_code,
                    "queries": query_count,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                }
            )
        self.stdout.write(json.dumps(results))

"""Time pages in-process: SQL queries (one counted run) and server time over repeated
runs (median, 95th percentile and maximum), printed as JSON for bench/run.py.

Every list, detail and report page of one body, the dashboard and its JSON summary,
the comparison and the admin's lists: what a user can ask of the server by following
links and filling in a filter form. Each row says its kind (``dashboard``, ``list``,
``detail``, ``report``, ``admin``): bench/run.py measures the first three under load
too, and holds each kind to its target.
"""

import json
import statistics
import time

from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from grants.models import Grant
from lkks.models import Body, User
from members.models import Organisation
from programs.models import Activity, Program
from visits.models import StudyVisit

# Pages slower than this get fewer timed runs: the figure that matters is whether they
# stay under a second, not their exact median.
SLOW_MS = 300


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def first_pk(queryset):
    return queryset.order_by("pk").values_list("pk", flat=True).first()


def pages(body, year, official, provincial, admin):
    """(label, kind, username, url) of every page measured; a page whose record the
    data set lacks is left out."""
    organisation = first_pk(Organisation.objects.for_body(body))
    program = first_pk(Program.objects.for_body(body).filter(fiscal_year=year))
    activity = first_pk(Activity.objects.for_body(body).filter(program__fiscal_year=year))
    grant = first_pk(Grant.objects.for_body(body).filter(fiscal_year=year))
    visit = first_pk(StudyVisit.objects.for_user(User.objects.get(username=official)))
    found = [
        ("dashboard", "dashboard", official, f"/?year={year}&body={body.slug}"),
        ("JSON summary", "dashboard", official, f"/api/summary/?body={body.slug}&year={year}"),
        ("LKS list", "list", official, reverse("members:organisation-list")),
        (
            "LKS list, filtered",
            "list",
            official,
            reverse("members:organisation-list") + "?registration_status=registered",
        ),
        (
            "LKS list, sorted by status",
            "list",
            official,
            reverse("members:organisation-list") + "?ordering=-registration_status&page=2",
        ),
        ("LKS list, searched", "list", official, reverse("members:organisation-list") + "?q=1"),
        ("program list", "list", official, reverse("programs:program-list")),
        ("activity list", "list", official, reverse("programs:activity-list")),
        ("grant list", "list", official, reverse("grants:grant-list")),
        ("funder list", "list", official, reverse("grants:funder-list")),
        ("expenditure list", "list", official, reverse("grants:expenditure-list")),
        (
            "expenditure list, last page",
            "list",
            official,
            reverse("grants:expenditure-list") + "?page=last",
        ),
        ("study visit list", "list", official, reverse("visits:visit-list")),
        ("letter register", "list", official, reverse("letter-list")),
        ("officers", "list", official, reverse("officer-list")),
        ("applications", "list", official, reverse("members:application-list")),
        ("due list", "list", official, reverse("due-list")),
        ("body profile", "detail", official, reverse("body-profile")),
    ]
    if organisation:
        found.append(
            (
                "LKS detail",
                "detail",
                official,
                reverse("members:organisation-detail", args=[organisation]),
            )
        )
    if program:
        found.append(
            (
                "program detail",
                "detail",
                official,
                reverse("programs:program-detail", args=[program]),
            )
        )
    if activity:
        found.append(
            (
                "activity detail",
                "detail",
                official,
                reverse("programs:activity-detail", args=[activity]),
            )
        )
    if grant:
        found.append(
            ("grant detail", "detail", official, reverse("grants:grant-detail", args=[grant]))
        )
    if visit:
        found.append(
            ("study visit detail", "detail", official, reverse("visits:visit-detail", args=[visit]))
        )
    found += [
        ("comparison", "report", provincial, f"{reverse('compare')}?year={year}"),
        ("reports", "report", official, reverse("report-list")),
        ("annual report", "report", official, f"{reverse('report-annual')}?year={year}"),
        ("admin: LKS", "admin", admin, "/admin/members/organisation/"),
        ("admin: LKS, searched", "admin", admin, "/admin/members/organisation/?q=Uji"),
        ("admin: registrations", "admin", admin, "/admin/members/registration/"),
        ("admin: activities", "admin", admin, "/admin/programs/activity/"),
        ("admin: grants", "admin", admin, "/admin/grants/grant/"),
        ("admin: expenditures", "admin", admin, "/admin/grants/expenditure/"),
        ("admin: users", "admin", admin, "/admin/lkks/user/"),
    ]
    return found


class Command(BaseCommand):
    help = "Measure the pages of one body in the database (see bench/run.py)."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=20)
        parser.add_argument("--official", default="bench-official")
        parser.add_argument("--provincial", default="bench-provincial")
        parser.add_argument("--admin", default="bench-admin")
        parser.add_argument("--body", default="bench-000")
        parser.add_argument("--year", type=int, default=2024)

    def handle(self, *args, runs, official, provincial, admin, body, year, **options):
        body = Body.objects.get(slug=body)
        clients = {}
        results = []
        for label, kind, username, url in pages(body, year, official, provincial, admin):
            if username not in clients:
                clients[username] = Client()
                clients[username].force_login(User.objects.get(username=username))
            client = clients[username]
            started = time.perf_counter()
            client.get(url)
            first_ms = (time.perf_counter() - started) * 1000
            client.get(url)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            # Counted now: every later request clears the connection's query log.
            query_count = len(queries)
            timings = []
            for _run in range(runs if first_ms < SLOW_MS else 3):
                start = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - start) * 1000)
            results.append(
                {
                    "page": label,
                    "kind": kind,
                    "url": url,
                    "user": username,
                    "status": response.status_code,
                    "queries": query_count,
                    "median_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                    # The first request too: caches cold, as after a change.
                    "max_ms": round(max(*timings, first_ms), 1),
                }
            )
        self.stdout.write(json.dumps(results))

"""Load test: the province's deployment on one machine, under many sessions at once.

    .venv/bin/python scripts/loadtest.py [--database URL] [--clients 64] [--seconds 15]
        [--instances 2] [--workers 2] [--cache-url db|redis://127.0.0.1:6379/0|locmem]

Creates the database afresh (``--database``, default
``postgres://postgres@127.0.0.1:5432/lkks_loadtest``), migrates it, loads the demo and
adds to LKKS Kampar one grant of Rp 10.000.000 (signed, its budget complete) with an
allocation of Rp 6.000.000 to one activity; collects the static files. Then, as in
docs/deploy.md, "Several machines": ``--instances`` gunicorn instances
(``deploy/gunicorn.conf.py``, ``--workers`` workers each, production settings) on
different loopback ports, one task worker (``manage.py jobs_worker``), one PostgreSQL, one
shared cache (the production default, the database, unless ``--cache-url`` says
otherwise).

``--clients`` sessions, spread over the instances in turn, log in (three of four as
``staf-kampar``, one of four as ``pejabat-provinsi``, who only reads) and, all at once
for ``--seconds`` seconds (at most ``--max-requests`` requests each), read the pages
(dashboard, lists, the grant, the JSON summary; the comparison for the official) while
the staff race disbursements of Rp 1.000.000 and expenditures of Rp 500.000 against the
grant's money rules.

It passes when no answer was a server error (5xx, or no answer at all), every save
answered was written, and the money rules held: disbursements within the grant,
spending within the allocation and its budget line and never above the cash disbursed.
Prints requests, latencies (median, 95th percentile, max) and statuses; exits 1 on a
failure. Uses only the standard library and psycopg; drops the database at the end
unless ``--keep-database``.
"""

import argparse
import http.cookiejar
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRANT_AMOUNT = Decimal(10_000_000)
ALLOCATION_AMOUNT = Decimal(6_000_000)
TRANCHE = Decimal(1_000_000)
SPENDING = Decimal(500_000)
STAFF, OFFICIAL = "staf-kampar", "pejabat-provinsi"
PAGES = ["/", "/members/", "/programs/", "/grants/", "/grants/expenditures/", "/api/summary/"]
OFFICIAL_PAGES = ["/", "/compare/", "/members/", "/grants/"]

# An agreed grant (its NPHD signed, its budget making all of it) that money may be
# disbursed to, and an allocation of part of it to an activity of the same body.
CREATE_GRANT = """
import datetime
from grants.models import Agreement, Allocation, BudgetLine, Funder, Grant
from programs.models import Activity
funder = Funder.objects.filter(body__slug="kampar", kind="hibah_apbd").order_by("pk").first()
grant = Grant.objects.create(
    funder=funder, fiscal_year=2024, name="Hibah uji beban", amount={amount}
)
Agreement.objects.create(
    grant=grant, kind="nphd", number="NPHD/UJI/2024", signed_on=datetime.date(2024, 1, 15)
)
line = BudgetLine.objects.create(grant=grant, item="Uji beban", amount={amount})
activity = Activity.objects.filter(program__body__slug="kampar").order_by("pk").first()
allocation = Allocation.objects.create(grant=grant, activity=activity, amount={allocated})
print(grant.pk, allocation.pk, line.pk)
"""


def say(text=""):
    sys.stdout.write(f"{text}\n")
    sys.stdout.flush()


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/lkks_loadtest"
        ),
    )
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--max-requests", type=int, default=5000, help="per client")
    parser.add_argument("--instances", type=int, default=2, help="gunicorn instances")
    parser.add_argument("--workers", type=int, default=2, help="per gunicorn instance")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("CACHE_URL", ""),
        help="CACHE_URL of the instances (default: the production default, the database)",
    )
    parser.add_argument("--keep-database", action="store_true")
    return parser.parse_args()


# Set-up


def server_conninfo(url):
    """libpq parameters of the server of ``url``, for its maintenance database."""
    parts = urllib.parse.urlsplit(url)
    return {
        "host": parts.hostname or "",
        "port": parts.port or 5432,
        "user": urllib.parse.unquote(parts.username or ""),
        "password": urllib.parse.unquote(parts.password or ""),
        "dbname": "postgres",
    }, parts.path.lstrip("/")


def recreate_database(url):
    params, name = server_conninfo(url)
    with psycopg.connect(**params, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def drop_database(url):
    params, name = server_conninfo(url)
    with psycopg.connect(**params, autocommit=True) as server:
        server.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def manage(*args, env):
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def environments(database, workdir, cache_url):
    base = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "CACHE_URL"
    }
    base |= {
        "DATABASE_URL": database,
        "DJANGO_MEDIA_ROOT": str(workdir / "media"),
        "DJANGO_STATIC_ROOT": str(workdir / "static"),
    }
    setup = base | {"DJANGO_DEBUG": "true"}
    # Production settings, but plain HTTP on loopback.
    server = base | {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if cache_url:
        server["CACHE_URL"] = cache_url
    return setup, server


def start_gunicorn(env, port, workers, log):
    process = subprocess.Popen(  # noqa: S603
        [PYTHON, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=PROJECT_ROOT,
        env=env
        | {
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": str(workers),
            "GUNICORN_LOG_LEVEL": "warning",
        },
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"gunicorn exited with {process.returncode}; see {log.name}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    stop(process)
    sys.exit("gunicorn did not answer within 60 s")


def start_worker(env, log):
    """The task worker, as production runs it (``manage.py jobs_worker``)."""
    return subprocess.Popen(  # noqa: S603
        [PYTHON, "manage.py", "jobs_worker", "--no-reload"],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def stop(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


# Sessions


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer to count (302 = saved), not something to follow."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class Session:
    def __init__(self, base):
        self.base = base
        self.writes = True  # staff: reads and writes; an official only reads
        self.offset = 0  # where in the round of requests the session starts
        self.pages = []
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect
        )

    def request(self, path, data=None):
        """(status, body, seconds); status 0 when there was no answer at all."""
        body = None if data is None else urllib.parse.urlencode(data).encode()
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, body, timeout=30) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
        except OSError as error:
            status, text = 0, repr(error)
        return status, text, time.perf_counter() - started

    def csrf_token(self):
        return next(cookie.value for cookie in self.cookies if cookie.name == "csrftoken")

    def log_in(self, username, password):
        self.request("/accounts/login/")
        status, text, _seconds = self.request(
            "/accounts/login/",
            {"username": username, "password": password, "csrfmiddlewaretoken": self.csrf_token()},
        )
        if status != 302:
            sys.exit(f"log-in as {username} answered {status}:\n{text[:500]}")


def classify(outcomes, kind, status, text):
    if status == 302:
        outcomes[f"{kind} saved"] += 1
    elif status == 200 and "is-invalid" in text:
        outcomes[f"{kind} refused by a money rule"] += 1
    else:
        outcomes[f"{kind} other ({status})"] += 1


def hammer(session, job, until, max_requests, results, lock):
    """One session's requests until the time is up: pages, and for the staff one
    disbursement and one expenditure in every six requests. Sessions start at different
    places in the round, so that writes race from the first request on."""
    statuses, latencies, outcomes = Counter(), [], Counter()
    errors = []
    for number in range(session.offset, session.offset + max_requests):
        if time.monotonic() >= until:
            break
        if session.writes and number % 6 == 2:
            status, text, seconds = session.request(
                f"/grants/{job['grant']}/disbursements/new/",
                {
                    "date": "2024-06-01",
                    "amount": str(TRANCHE),
                    "reference": f"SP2D-{secrets.token_hex(3)}",
                    "notes": "",
                    "csrfmiddlewaretoken": session.csrf_token(),
                },
            )
            classify(outcomes, "disbursement", status, text)
        elif session.writes and number % 6 == 5:
            status, text, seconds = session.request(
                f"/grants/{job['grant']}/expenditures/new/",
                {
                    "allocation": str(job["allocation"]),
                    "budget_line": str(job["budget_line"]),
                    "date": "2024-07-01",
                    "amount": str(SPENDING),
                    "description": "Uji beban",
                    "receipt_number": f"KW-{secrets.token_hex(3)}",
                    "csrfmiddlewaretoken": session.csrf_token(),
                },
            )
            classify(outcomes, "expenditure", status, text)
        else:
            status, text, seconds = session.request(session.pages[number % len(session.pages)])
        statuses[status] += 1
        latencies.append(seconds)
        if status >= 500 or status == 0:
            errors.append(f"{session.base}: {text[:300]}")
    with lock:
        results["statuses"].update(statuses)
        results["outcomes"].update(outcomes)
        results["latencies"].extend(latencies)
        results["errors"].extend(errors)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


MONEY_SQL = """
SELECT
    (SELECT coalesce(sum(amount), 0) FROM grants_disbursement WHERE grant_id = %(grant)s),
    (SELECT count(*) FROM grants_disbursement WHERE grant_id = %(grant)s),
    (SELECT coalesce(sum(amount), 0) FROM grants_expenditure WHERE allocation_id = %(allocation)s),
    (SELECT count(*) FROM grants_expenditure WHERE allocation_id = %(allocation)s),
    (SELECT coalesce(sum(amount), 0) FROM grants_expenditure WHERE budget_line_id = %(line)s)
"""


def money_after(database, job):
    params, name = server_conninfo(database)
    with psycopg.connect(**(params | {"dbname": name})) as connection:
        disbursed, disbursements, spent, expenditures, spent_on_line = connection.execute(
            MONEY_SQL,
            {"grant": job["grant"], "allocation": job["allocation"], "line": job["budget_line"]},
        ).fetchone()
    return {
        "disbursed": disbursed,
        "disbursements": disbursements,
        "spent": spent,
        "expenditures": expenditures,
        "spent_on_line": spent_on_line,
    }


def money_failures(money, outcomes):
    """The money rules that the load broke, if any."""
    failures = []
    if money["disbursed"] > GRANT_AMOUNT:
        failures.append(f"disbursements ({money['disbursed']}) exceed the grant ({GRANT_AMOUNT})")
    if money["spent"] > ALLOCATION_AMOUNT:
        failures.append(f"spending ({money['spent']}) exceeds the allocation")
    if money["spent_on_line"] > GRANT_AMOUNT:
        failures.append(f"spending ({money['spent_on_line']}) exceeds the budget line")
    # Every expenditure is dated after every disbursement: on each date, the cash rule
    # is the totals'.
    if money["spent"] > money["disbursed"]:
        failures.append(f"spending ({money['spent']}) exceeds the cash ({money['disbursed']})")
    for kind, rows in (("disbursement", "disbursements"), ("expenditure", "expenditures")):
        if outcomes[f"{kind} saved"] != money[rows]:
            failures.append(
                f"{outcomes[f'{kind} saved']} {kind}s answered saved, {money[rows]} written"
            )
    return failures


def rupiah(amount):
    return f"Rp {amount:,.0f}".replace(",", ".")


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lkks-loadtest-"))
    setup_env, server_env = environments(args.database, workdir, args.cache_url)

    say(f"Database {args.database}: creating, migrating, loading the demo ...")
    recreate_database(args.database)
    servers, worker = [], None
    try:
        manage("migrate", "--noinput", env=setup_env)
        manage("load_demo", env=setup_env)
        created = manage(
            "shell",
            "-c",
            CREATE_GRANT.format(amount=int(GRANT_AMOUNT), allocated=int(ALLOCATION_AMOUNT)),
            env=setup_env,
        )
        grant, allocation, budget_line = map(int, created.strip().splitlines()[-1].split())
        job = {"grant": grant, "allocation": allocation, "budget_line": budget_line}
        manage("collectstatic", "--noinput", env=server_env)

        bases = []
        for number in range(1, args.instances + 1):
            port = free_port()
            log = (workdir / f"gunicorn-{number}.log").open("w")
            servers.append(start_gunicorn(server_env, port, args.workers, log))
            bases.append(f"http://127.0.0.1:{port}")
        worker_log = (workdir / "worker.log").open("w")
        worker = start_worker(server_env, worker_log)
        say(
            f"{args.instances} gunicorn instances ({args.workers} workers each) at "
            f"{', '.join(bases)}; one task worker (jobs_worker); logs in {workdir}"
        )

        sessions = [Session(bases[number % len(bases)]) for number in range(args.clients)]
        for number, session in enumerate(sessions):
            session.writes = number % 4 != 3
            session.offset = number
        # Eight log-ins at a time: each hashes the password, which is slow on purpose.
        with ThreadPoolExecutor(max_workers=8) as pool:
            list(
                pool.map(
                    lambda session: session.log_in(STAFF if session.writes else OFFICIAL, "demo"),
                    sessions,
                )
            )
        for writes, candidates in ((True, [*PAGES, f"/grants/{grant}/"]), (False, OFFICIAL_PAGES)):
            probe = next((session for session in sessions if session.writes == writes), None)
            if probe is None:
                continue
            pages = []
            for page in candidates:
                status, _text, _seconds = probe.request(page)
                if status == 200:
                    pages.append(page)
                else:
                    say(f"  skipping {page} for {STAFF if writes else OFFICIAL}: {status}")
            for session in sessions:
                if session.writes == writes:
                    session.pages = pages

        results = {"statuses": Counter(), "outcomes": Counter(), "latencies": [], "errors": []}
        lock = threading.Lock()
        until = time.monotonic() + args.seconds
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=hammer, args=(session, job, until, args.max_requests, results, lock)
            )
            for session in sessions
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        worker_alive = worker is None or worker.poll() is None

        money = money_after(args.database, job)
    finally:
        for process in [*servers, *([worker] if worker else [])]:
            stop(process)
        if not args.keep_database:
            drop_database(args.database)

    latencies = results["latencies"]
    total = len(latencies)
    server_errors = sum(
        n for status, n in results["statuses"].items() if status >= 500 or not status
    )
    cache = args.cache_url or "db (the production default)"
    say()
    say(
        f"{args.clients} sessions for {elapsed:.1f} s on {args.instances} gunicorn instances "
        f"x {args.workers} workers, {'one task worker, ' if worker else ''}PostgreSQL, "
        f"cache {cache}"
    )
    say(f"  staff pages:      {', '.join(next(s.pages for s in sessions if s.writes))}")
    if any(not session.writes for session in sessions):
        say(f"  official pages:   {', '.join(next(s.pages for s in sessions if not s.writes))}")
    say(f"  requests:         {total} ({total / elapsed:.0f}/s)")
    say(
        f"  latency:          median {statistics.median(latencies) * 1000:.0f} ms, "
        f"95th percentile {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    say(f"  statuses:         {dict(sorted(results['statuses'].items()))}")
    say(f"  writes:           {dict(sorted(results['outcomes'].items()))}")
    say(
        f"  grant:            {rupiah(GRANT_AMOUNT)}; disbursed {rupiah(money['disbursed'])} "
        f"in {money['disbursements']} tranches"
    )
    say(
        f"  allocation:       {rupiah(ALLOCATION_AMOUNT)}; spent {rupiah(money['spent'])} "
        f"in {money['expenditures']} expenditures"
    )

    failures = []
    if server_errors:
        failures.append(f"{server_errors} server errors (5xx or no answer)")
        for text in results["errors"][:3]:
            say(f"    {text}")
    failures += money_failures(money, results["outcomes"])
    if not worker_alive:
        failures.append("the task worker died during the run")
    if failures:
        say("FAILED: " + "; ".join(failures))
        return 1
    say("PASSED: no server error; every money rule held")
    shutil.rmtree(workdir, ignore_errors=True)  # kept, with the logs, on a failure
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Load test: many logged-in sessions at once against gunicorn on PostgreSQL.

    .venv/bin/python scripts/loadtest.py [--database URL] [--clients 16] [--seconds 10]

Creates the database afresh (``--database``, default
``postgres://postgres@127.0.0.1:5432/lkks_loadtest``), migrates it, loads the demo and
adds one grant of Rp 10.000.000 to LKKS Kampar; collects the static files; starts
gunicorn with ``deploy/gunicorn.conf.py``, 2 workers and production settings (debug
off, persistent database connections) on a free loopback port. Then ``--clients``
sessions, each logged in as ``staf-kampar``, read the pages (home, lists, the grant)
and POST disbursements of Rp 1.000.000 to that one grant, all at once, for
``--seconds`` seconds (and at most ``--max-requests`` requests each).

It passes when no answer was a server error (5xx, or no answer at all) and the
grant's disbursements add up to at most its amount. Prints a summary; exits 1 on a
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
from decimal import Decimal
from pathlib import Path

import psycopg
from psycopg import sql

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GRANT_AMOUNT = Decimal(10_000_000)
TRANCHE = Decimal(1_000_000)
PAGES = ["/", "/members/", "/programs/", "/grants/", "/grants/expenditures/"]

# An agreed grant (its NPHD signed, its budget making all of it) that money may be
# disbursed to.
CREATE_GRANT = """
import datetime
from grants.models import Agreement, BudgetLine, Funder, Grant
funder = Funder.objects.filter(body__slug="kampar", kind="hibah_apbd").order_by("pk").first()
grant = Grant.objects.create(
    funder=funder, fiscal_year=2024, name="Hibah uji beban", amount={amount}
)
Agreement.objects.create(
    grant=grant, kind="nphd", number="NPHD/UJI/2024", signed_on=datetime.date(2024, 1, 15)
)
BudgetLine.objects.create(grant=grant, item="Uji beban", amount={amount})
print(grant.pk)
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
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--max-requests", type=int, default=5000, help="per client")
    parser.add_argument("--workers", type=int, default=2)
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


def environments(database, workdir):
    base = {name: value for name, value in os.environ.items() if not name.startswith("DJANGO_")}
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


def hammer(session, pages, grant_pk, until, max_requests, results, lock):
    statuses, latencies, outcomes = Counter(), [], Counter()
    errors = []
    for number in range(max_requests):
        if time.monotonic() >= until:
            break
        if number % 3 == 2:
            status, text, seconds = session.request(
                f"/grants/{grant_pk}/disbursements/new/",
                {
                    "date": "2024-06-01",
                    "amount": str(TRANCHE),
                    "reference": f"SP2D-{secrets.token_hex(3)}",
                    "notes": "",
                    "csrfmiddlewaretoken": session.csrf_token(),
                },
            )
            if status == 302:
                outcomes["saved"] += 1
            elif status == 200 and "is-invalid" in text:
                outcomes["refused (would exceed the grant)"] += 1
            else:
                outcomes[f"other ({status})"] += 1
        else:
            status, text, seconds = session.request(pages[number % len(pages)])
        statuses[status] += 1
        latencies.append(seconds)
        if status >= 500 or status == 0:
            errors.append(text[:300])
    with lock:
        results["statuses"].update(statuses)
        results["outcomes"].update(outcomes)
        results["latencies"].extend(latencies)
        results["errors"].extend(errors)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="lkks-loadtest-"))
    setup_env, server_env = environments(args.database, workdir)

    say(f"Database {args.database}: creating, migrating, loading the demo ...")
    recreate_database(args.database)
    server = None
    try:
        manage("migrate", "--noinput", env=setup_env)
        manage("load_demo", env=setup_env)
        grant_pk = int(
            manage("shell", "-c", CREATE_GRANT.format(amount=int(GRANT_AMOUNT)), env=setup_env)
            .strip()
            .splitlines()[-1]
        )
        manage("collectstatic", "--noinput", env=server_env)

        port = free_port()
        log_path = workdir / "gunicorn.log"
        with log_path.open("w") as log:
            server = start_gunicorn(server_env, port, args.workers, log)
            base = f"http://127.0.0.1:{port}"
            say(f"gunicorn ({args.workers} workers) at {base}; log in {log_path}")

            sessions = [Session(base) for _ in range(args.clients)]
            for session in sessions:
                session.log_in("staf-kampar", "demo")
            pages = []
            for page in [*PAGES, f"/grants/{grant_pk}/"]:
                status, _text, _seconds = sessions[0].request(page)
                if status == 200:
                    pages.append(page)
                else:
                    say(f"  skipping {page}: {status}")

            results = {"statuses": Counter(), "outcomes": Counter(), "latencies": [], "errors": []}
            lock = threading.Lock()
            until = time.monotonic() + args.seconds
            started = time.monotonic()
            threads = [
                threading.Thread(
                    target=hammer,
                    args=(session, pages, grant_pk, until, args.max_requests, results, lock),
                )
                for session in sessions
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started

        params, name = server_conninfo(args.database)
        with psycopg.connect(**(params | {"dbname": name})) as database:
            disbursed, count = database.execute(
                "SELECT coalesce(sum(amount), 0), count(*) FROM grants_disbursement "
                "WHERE grant_id = %s",
                [grant_pk],
            ).fetchone()
    finally:
        if server is not None:
            stop(server)
        if not args.keep_database:
            drop_database(args.database)

    latencies = results["latencies"]
    total = len(latencies)
    server_errors = sum(
        n for status, n in results["statuses"].items() if status >= 500 or not status
    )
    say()
    say(f"{args.clients} sessions for {elapsed:.1f} s on 2 gunicorn workers, PostgreSQL")
    say(f"  pages read:       {', '.join(pages)}")
    say(f"  requests:         {total} ({total / elapsed:.0f}/s)")
    say(
        f"  latency:          median {statistics.median(latencies) * 1000:.0f} ms, "
        f"95th percentile {percentile(latencies, 0.95) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    say(f"  statuses:         {dict(sorted(results['statuses'].items()))}")
    say(f"  disbursements:    {dict(results['outcomes'])}")
    say(
        f"  grant:            Rp {GRANT_AMOUNT:,.0f}; disbursed Rp {disbursed:,.0f} "
        f"in {count} tranches".replace(",", ".")
    )

    failures = []
    if server_errors:
        failures.append(f"{server_errors} server errors (5xx or no answer)")
        for text in results["errors"][:3]:
            say(f"    {text}")
    if disbursed > GRANT_AMOUNT:
        failures.append(f"the disbursements ({disbursed}) exceed the grant ({GRANT_AMOUNT})")
    if results["outcomes"]["saved"] != count:
        failures.append(f"{results['outcomes']['saved']} saves answered, {count} rows written")
    if failures:
        say("FAILED: " + "; ".join(failures))
        return 1
    say("PASSED: no server error; the disbursements never exceeded the grant")
    shutil.rmtree(workdir, ignore_errors=True)  # kept, with gunicorn's log, on a failure
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: generate data at three scales, measure pages in-process and under load,
check them against the targets of issue 14 and write docs/benchmarks.md.

For each scale (demo, one regency, national) a fresh PostgreSQL database is made and
filled; every list, detail and report page and the admin's lists are timed in-process
(queries, median, 95th percentile and maximum); then gunicorn with 2 workers and
persistent connections serves the scale and wrk, on loopback and bounded in time,
measures the requests per second of Django alone (a view without middleware), of the
floor view (one query, a small template, behind the same middleware and login), and of
the dashboard, the JSON summary and every list and detail page. The targets are ratios
measured in one run, so that a busy machine slows both sides of each.

    bench/run.py                          # what `make bench` runs: everything
    bench/run.py --scales demo,national   # some scales only
    bench/run.py --quick                  # short wrk runs, no SQLite, export, import
                                          # or load test: for iterating, not the record
    bench/run.py --reuse                  # keep a scale's database if it exists
"""

import argparse
import json
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCALES = os.environ.get("BENCH_SCALES", "demo,regency,national").split(",")
# Databases are named <prefix>_<scale>: two runs on one server must not drop each other's.
DB_PREFIX = os.environ.get("BENCH_DB_PREFIX", "si_lkks_bench")
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
# Each page under load for this long; the floor before and after them for WRK_SECONDS.
WRK_PAGE_SECONDS = int(os.environ.get("BENCH_WRK_PAGE_SECONDS", "5"))
SQLITE_SCALES = {"demo", "regency"}  # a national data set is no job for SQLite
LOADED_KINDS = ("dashboard", "list", "detail")
# Issue 14's targets.
FLOOR_OVER_DJANGO = 0.2
PAGE_OVER_FLOOR = {"dashboard": 0.6, "list": 0.4, "detail": 0.4}
MAX_SERVER_MS = 1000
DEFAULT_USERS = {
    "official": "bench-official",
    "provincial": "bench-provincial",
    "admin": "bench-admin",
    "body": "bench-000",
}
USERS = {
    "demo": {
        "official": "pejabat-sleman",
        "provincial": "pejabat-provinsi",
        "admin": "admin",
        "body": "sleman",
    },
    "regency": {},
    "national": {},
}


def environment(database, **extra):
    static_root = Path(tempfile.gettempdir()) / "si-lkks-bench-static"
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_SECRET_KEY": "bench-only-" + "x" * 40,
        "DJANGO_DEBUG": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,testserver,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_HSTS_SECONDS": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_LOG_LEVEL": "WARNING",
        **extra,
    }


def manage(env, *args, capture=False):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout


def psql(sql):
    subprocess.run(
        ["psql", f"{PG}/postgres", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        check=True,
        capture_output=True,
    )


def database_exists(database):
    connected = subprocess.run(
        ["psql", f"{PG}/{database}", "-qc", "SELECT 1"], capture_output=True, check=False
    )
    return connected.returncode == 0


def prepare(scale, sqlite=False, reuse=False):
    database = f"{DB_PREFIX}_{scale}"
    if sqlite:
        path = Path(tempfile.gettempdir()) / f"{database}.sqlite3"
        path.unlink(missing_ok=True)
        env = {**environment(database), "DATABASE_URL": f"sqlite:///{path}"}
    else:
        env = environment(database)
        if reuse and database_exists(database):
            print(f"  reusing {database}", flush=True)
            manage(env, "migrate", "--noinput", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            return env
        psql(f'DROP DATABASE IF EXISTS "{database}"')
        psql(f'CREATE DATABASE "{database}"')
    manage(env, "migrate", "--noinput", "-v0")
    if scale == "demo":
        manage({**env, "DJANGO_DEBUG": "true"}, "load_demo")
    else:
        started = time.perf_counter()
        manage(env, "bench_data", "--scale", scale)
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    # Fresh statistics, as autovacuum would gather soon after a bulk load: without them
    # the planner guesses a few rows per table and picks plans for empty tables.
    if sqlite:
        manage(
            env,
            "shell",
            "-c",
            "from django.db import connection; connection.cursor().execute('ANALYZE')",
        )
    else:
        subprocess.run(["psql", f"{PG}/{database}", "-qc", "ANALYZE"], check=True)
    manage(env, "collectstatic", "--noinput", "-v0")
    return env


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def session_cookie(env, username):
    code = (
        "from django.test import Client; from lkks.models import User;"
        f"c = Client(); c.force_login(User.objects.get(username={username!r}));"
        "print(c.cookies['sessionid'].value)"
    )
    return manage(env, "shell", "-c", code, capture=True).strip().splitlines()[-1]


def wrk(url, cookie=None, seconds=WRK_SECONDS):
    """Requests per second and the count of non-2xx/3xx answers of ``url``."""
    headers = ["-H", f"Cookie: sessionid={cookie}"] if cookie else []
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", *headers, url],
        check=True,
        capture_output=True,
        text=True,
        timeout=seconds + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


class Gunicorn:
    """gunicorn with 2 workers on a free port, for the length of a ``with`` block."""

    def __init__(self, env, ready="/bench/floor/"):
        self.env = env
        self.ready = ready
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"

    def __enter__(self):
        self.server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "bench.wsgi",
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=self.env,
        )
        # Ready when a worker answers, not when the socket is bound: on a busy machine the
        # workers take seconds to import Django, and wrk would count refused requests.
        for _attempt in range(300):
            try:
                urllib.request.urlopen(f"{self.base}{self.ready}", timeout=2)  # noqa: S310
            except urllib.error.HTTPError:
                break  # an answer all the same
            except OSError:
                time.sleep(0.2)
            else:
                break
        return self

    def __exit__(self, *exc):
        self.server.terminate()
        self.server.wait(timeout=30)


def load(env, users, rows, page_seconds):
    """Requests per second of Django alone, of the floor (before and after the pages:
    their mean is the floor) and of every dashboard, list and detail page in ``rows``."""
    with Gunicorn({**env, "DJANGO_SETTINGS_MODULE": "bench.bare"}, "/bench/bare/") as bare:
        django_alone = wrk(f"{bare.base}/bench/bare/")[0]
    cookies = {}
    results = []
    with Gunicorn(env) as server:
        cookies[users["official"]] = session_cookie(env, users["official"])
        floor_before, floor_errors = wrk(f"{server.base}/bench/floor/", cookies[users["official"]])
        for row in rows:
            if row["kind"] not in LOADED_KINDS or row["status"] != 200:
                continue
            if row["user"] not in cookies:
                cookies[row["user"]] = session_cookie(env, row["user"])
            rate, errors = wrk(f"{server.base}{row['url']}", cookies[row["user"]], page_seconds)
            results.append(
                {"page": row["page"], "kind": row["kind"], "rps": rate, "non_2xx": errors}
            )
            print(f"  {row['page']:<32} {rate:>7.0f} req/s", flush=True)
        floor_after, errors_after = wrk(f"{server.base}/bench/floor/", cookies[users["official"]])
    floor = (floor_before + floor_after) / 2
    for result in results:
        result["ratio"] = result["rps"] / floor if floor else 0
    summary = {
        "django_rps": django_alone,
        "floor_rps": floor,
        "floor_before": floor_before,
        "floor_after": floor_after,
        "floor_ratio": floor / django_alone if django_alone else 0,
        "floor_non_2xx": floor_errors + errors_after,
        "pages": results,
    }
    print(
        f"  Django alone {django_alone:.0f} req/s, floor {floor_before:.0f} then "
        f"{floor_after:.0f} req/s",
        flush=True,
    )
    return summary


def import_10k(env):
    """Seconds to preview and commit a 10,000-row CSV through import_members."""
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
        f.write("Nama LKS;Jenis;Kecamatan;Ketua\n")
        for number in range(10_000):
            f.write(f"LKS Impor {number:05d};LKSA;Sukamaju {number % 8 + 1};Ketua {number}\n")
    started = time.perf_counter()
    manage(env, "import_members", f.name, "--body", "bench-000", capture=True)
    seconds = time.perf_counter() - started
    Path(f.name).unlink()
    return seconds


def load_test(scale):
    """The province shape (scripts/loadtest.py): two app instances, one task worker, 64
    sessions for 15 s reading pages and racing disbursements and expenditures."""
    result = subprocess.run(
        [PYTHON, "scripts/loadtest.py", "--database", f"{PG}/si_lkks_bench_loadtest"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        # Creating the database and loading the demo come first; on a busy machine the
        # whole run took ten minutes.
        timeout=900,
        env=environment("si_lkks_bench_loadtest"),
    )
    return result.returncode, result.stdout.strip()


def machine():
    cpu = platform.processor()
    info = Path("/proc/cpuinfo")
    if info.exists():
        found = re.search(r"model name\s*:\s*(.+)", info.read_text())
        cpu = found.group(1) if found else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    return f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}"


def pages(env, users):
    """The in-process timings of bench_pages for one prepared database."""
    output = manage(
        env,
        "bench_pages",
        "--official",
        users["official"],
        "--provincial",
        users["provincial"],
        "--admin",
        users["admin"],
        "--body",
        users["body"],
        capture=True,
    )
    rows = json.loads(output.strip().splitlines()[-1])
    for row in rows:
        print(
            f"  {row['page']:<32} {row['status']} {row['queries']:>3} q "
            f"{row['median_ms']:>7} ms {row['p95_ms']:>7} ms max {row['max_ms']:>7} ms",
            flush=True,
        )
    return rows


def arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default=",".join(SCALES), help="e.g. demo,national")
    parser.add_argument("--quick", action="store_true", help="for iterating, not the record")
    parser.add_argument("--reuse", action="store_true", help="keep existing databases")
    parser.add_argument(
        "--output", default=str(ROOT / "docs" / "benchmarks.md"), help="the report written"
    )
    return parser.parse_args()


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench does it when it can).")
    options = arguments()
    scales = [scale for scale in options.scales.split(",") if scale]
    page_seconds = 2 if options.quick else WRK_PAGE_SECONDS
    rows, loads, extra = {}, {}, {}
    extra["load_averages"] = [os.getloadavg()[0]]
    for scale in scales:
        print(f"== {scale}", flush=True)
        env = prepare(scale, reuse=options.reuse)
        users = DEFAULT_USERS | USERS[scale]
        rows[scale] = pages(env, users)
        loads[scale] = load(env, users, rows[scale], page_seconds)
        extra["load_averages"].append(os.getloadavg()[0])
        if options.quick:
            continue
        if scale == "regency":
            extra["import_seconds"] = import_10k(env)
            print(f"  import of 10,000 rows: {extra['import_seconds']:.1f} s", flush=True)
        if scale == "national":
            try:
                extra["exports"] = json.loads(
                    manage(env, "bench_export", capture=True).strip().splitlines()[-1]
                )
            except (subprocess.CalledProcessError, ValueError) as error:
                print(f"  exports not measured: {error}", flush=True)
            else:
                print(f"  exports: {extra['exports']}", flush=True)
    if not options.quick:
        # SQLite, the embedded database of `make run`: in-process timings where practical.
        for scale in [s for s in scales if s in SQLITE_SCALES]:
            print(f"== {scale} (SQLite)", flush=True)
            env = prepare(scale, sqlite=True)
            users = DEFAULT_USERS | USERS[scale]
            rows[f"{scale} (SQLite)"] = pages(env, users)
        extra["load_test"] = load_test("demo")
        print(extra["load_test"][1], flush=True)
    write_report(rows, loads, extra, Path(options.output))


def server_time_table(rows):
    scales = list(rows)
    lines = [
        "| page | kind | "
        + " | ".join(f"{s} queries | {s} median ms | {s} p95 ms | {s} max ms" for s in scales)
        + " |",
        "| --- | --- |" + " --- | --- | --- | --- |" * len(scales),
    ]
    by_scale = {scale: {row["page"]: row for row in rows[scale]} for scale in scales}
    for row in rows[scales[0]]:
        cells = []
        for scale in scales:
            other = by_scale[scale].get(row["page"])
            if other is None:
                cells += ["n/a", "", "", ""]
            elif other["status"] != 200:  # e.g. no comparison with a single body
                cells += [f"n/a ({other['status']})", "", "", ""]
            else:
                cells += [
                    str(other["queries"]),
                    str(other["median_ms"]),
                    str(other["p95_ms"]),
                    str(other["max_ms"]),
                ]
        lines.append(f"| {row['page']} | {row['kind']} | " + " | ".join(cells) + " |")
    return lines


def throughput_table(loads):
    scales = list(loads)
    lines = [
        "| page | " + " | ".join(f"{s} req/s | {s} ÷ floor" for s in scales) + " |",
        "| --- |" + " --- | --- |" * len(scales),
        "| Django alone (no middleware) | "
        + " | ".join(f"{loads[s]['django_rps']:.0f} | " for s in scales)
        + " |",
        "| floor (mean of before and after the pages) | "
        + " | ".join(f"{loads[s]['floor_rps']:.0f} | 1" for s in scales)
        + " |",
    ]
    pages_by_scale = {s: {p["page"]: p for p in loads[s]["pages"]} for s in scales}
    names = list(dict.fromkeys(p["page"] for s in scales for p in loads[s]["pages"]))
    for name in names:
        cells = []
        for scale in scales:
            page = pages_by_scale[scale].get(name)
            if page is None:
                cells.append("n/a | ")
            else:
                errors = f" ({page['non_2xx']} non-2xx)" if page["non_2xx"] else ""
                cells.append(f"{page['rps']:.0f}{errors} | {page['ratio']:.2f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def write_report(rows, loads, extra, report):
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today():%d %B %Y} on {machine()}, by `make bench`",
        "(bench/run.py), on PostgreSQL 15 unless a column says SQLite. Server time is",
        "in-process (Django test client, DEBUG off): median and 95th percentile of 20",
        "requests after 2 warm-ups (3 requests for a page over 300 ms), the maximum over",
        "those and the first, cold request; queries from one counted run.",
        "",
        # Other work on the machine slows every figure; the ratios less so.
        "Load average (1 minute) at the start and after each scale's load test: "
        + ", ".join(f"{value:.1f}" for value in extra.get("load_averages", []))
        + f" on {os.cpu_count()} cores.",
        "",
        *server_time_table(rows),
    ]
    if loads:
        lines += [
            "",
            (
                "Throughput under gunicorn (2 workers, persistent connections), wrk -t2 -c8 "
                f"on loopback, as an official: the floor and Django alone for {WRK_SECONDS} s "
                "each, every page for "
                f"{WRK_PAGE_SECONDS} s; ratios to the floor measured in the same run:"
            ),
            "",
            *throughput_table(loads),
        ]
    if "exports" in extra:
        lines += [
            "",
            "LKS export, streamed (peak Python memory by tracemalloc while the download is read;",
            "tracemalloc slows Python several times, so the seconds are an upper bound):",
            "",
            "| rows | format | seconds | size | peak memory |",
            "| --- | --- | --- | --- | --- |",
        ]
        for export in extra["exports"]:
            if export.get("job"):
                lines.append(f"| {export['rows']:,} | {export['format']} | a background job | | |")
                continue
            lines.append(
                f"| {export['rows']:,} | {export['format']} | {export['seconds']} | "
                f"{export['bytes'] / 1024 / 1024:.1f} MiB | {export['peak_mib']} MiB |"
            )
    if "import_seconds" in extra:
        lines += [
            "",
            (
                f"Import of a 10,000-row CSV (check and commit, `import_members`): "
                f"{extra['import_seconds']:.1f} s."
            ),
        ]
    if "load_test" in extra:
        status, output = extra["load_test"]
        lines += [
            "",
            f"64 sessions for 15 s, two app instances, one worker (loadtest.py, exit {status}):",
            "",
            "```",
            output,
            "```",
        ]
    checks = targets(rows, loads, extra)
    lines += [
        "",
        "## Targets (issue 14)",
        "",
        "| target | scale | measured | |",
        "| --- | --- | --- | --- |",
        *checks,
    ]
    previous = report.read_text(encoding="utf-8") if report.exists() else ""
    before = previous.split("\n## Before\n", 1)[1] if "\n## Before\n" in previous else ""
    if before:
        lines += ["", "## Before", before.rstrip("\n")]
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines[: len(lines) - (2 if before else 0)]))
    print(f"\nwritten to {report}")


def verdict(met):
    return "met" if met else "**NOT met**"


def targets(rows, loads, extra):
    """The lines of the target table: one per target and scale (and per page where a
    page misses it), each met or NOT met."""
    checks = []
    for scale, result in loads.items():
        ratio = result["floor_ratio"]
        checks.append(
            f"| floor ÷ Django alone ≥ {FLOOR_OVER_DJANGO} | {scale} | "
            f"{ratio:.2f} ({result['floor_rps']:.0f} ÷ {result['django_rps']:.0f} req/s) | "
            f"{verdict(ratio >= FLOOR_OVER_DJANGO)} |"
        )
    for scale, result in loads.items():
        for kind in LOADED_KINDS:
            wanted = PAGE_OVER_FLOOR[kind]
            measured = [page for page in result["pages"] if page["kind"] == kind]
            if not measured:
                continue
            missed = [p for p in measured if p["ratio"] < wanted or p["non_2xx"]]
            worst = min(measured, key=lambda page: page["ratio"])
            what = f"{kind} pages ≥ {wanted} of the floor"
            checks.append(
                f"| {what} | {scale} | {len(measured) - len(missed)} of {len(measured)}; "
                f"lowest {worst['page']} {worst['ratio']:.2f} | {verdict(not missed)} |"
            )
            for page in missed:
                checks.append(
                    f"| {what}: {page['page']} | {scale} | {page['ratio']:.2f}"
                    + (f", {page['non_2xx']} non-2xx" if page["non_2xx"] else "")
                    + f" | {verdict(False)} |"
                )
    postgres = [scale for scale in rows if "SQLite" not in scale]
    if len(postgres) > 1:
        counts = {}
        for scale in postgres:
            for row in rows[scale]:
                if row["status"] == 200:
                    counts.setdefault(row["page"], {})[scale] = row["queries"]
        growing = {
            page: found
            for page, found in counts.items()
            if len(found) > 1 and len(set(found.values())) > 1
        }
        checks.append(
            f"| query counts the same at every scale | {', '.join(postgres)} | "
            f"{len(counts) - len(growing)} of {len(counts)} pages | {verdict(not growing)} |"
        )
        for page, found in growing.items():
            shown = ", ".join(f"{scale} {count}" for scale, count in found.items())
            checks.append(f"| query count: {page} | | {shown} | {verdict(False)} |")
    if "national" in rows:
        measured = [row for row in rows["national"] if row["status"] in (200, 302)]
        slowest = max(measured, key=lambda row: row["max_ms"])
        checks.append(
            f"| every page ≤ {MAX_SERVER_MS} ms of server time | national | "
            f"max {slowest['max_ms']} ms ({slowest['page']}) over {len(measured)} pages | "
            f"{verdict(slowest['max_ms'] <= MAX_SERVER_MS)} |"
        )
        for row in measured:
            if row["max_ms"] > MAX_SERVER_MS and row is not slowest:
                checks.append(
                    f"| ≤ {MAX_SERVER_MS} ms: {row['page']} | national | {row['max_ms']} ms | "
                    f"{verdict(False)} |"
                )
        failed = [row for row in rows["national"] if row["status"] >= 500]
        if failed:
            checks.append(
                f"| no server error | national | {', '.join(r['page'] for r in failed)} | "
                f"{verdict(False)} |"
            )
    if "import_seconds" in extra:
        seconds = extra["import_seconds"]
        checks.append(
            f"| 10,000-row import < 30 s | regency | {seconds:.1f} s | {verdict(seconds < 30)} |"
        )
    exports = {
        (e["rows"], e["format"]): e["peak_mib"] for e in extra.get("exports", []) if "peak_mib" in e
    }
    for file_format in ("csv", "xlsx"):
        if (10_000, file_format) in exports and (100_000, file_format) in exports:
            small, large = exports[10_000, file_format], exports[100_000, file_format]
            flat = large <= max(2 * small, small + 20)
            checks.append(
                f"| 100,000-row {file_format} export memory flat | national | {large} MiB "
                f"against {small} MiB for 10,000 | {verdict(flat)} |"
            )
    if "load_test" in extra:
        checks.append(
            "| 64 sessions on two instances: no 5xx, money rules held | demo | "
            f"exit {extra['load_test'][0]} | {verdict(extra['load_test'][0] == 0)} |"
        )
    return checks


if __name__ == "__main__":
    main()

"""`make bench`: generate data at three scales, measure pages in-process and under load,
and write docs/benchmarks.md.

For each scale (demo, one regency, national) a fresh PostgreSQL database is made and
filled; pages are timed in-process (queries, median and 95th percentile); then gunicorn
with 2 workers and persistent connections serves the scale and wrk, on loopback and
bounded in time, measures requests per second of the dashboard and of the floor view
(one query, a small template, behind the same middleware and login).
"""

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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
SCALES = os.environ.get("BENCH_SCALES", "demo,regency,national").split(",")
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
SQLITE_SCALES = {"demo", "regency"}  # a national data set is no job for SQLite
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


def prepare(scale, sqlite=False):
    database = f"si_lkks_bench_{scale}"
    if sqlite:
        path = Path(tempfile.gettempdir()) / f"{database}.sqlite3"
        path.unlink(missing_ok=True)
        env = {**environment(database), "DATABASE_URL": f"sqlite:///{path}"}
    else:
        psql(f'DROP DATABASE IF EXISTS "{database}"')
        psql(f'CREATE DATABASE "{database}"')
        env = environment(database)
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


def wrk(url, cookie):
    output = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{WRK_SECONDS}s", "-H", f"Cookie: sessionid={cookie}", url],
        check=True,
        capture_output=True,
        text=True,
        timeout=WRK_SECONDS + 30,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rate, int(errors.group(1)) if errors else 0


def load(env, scale, users):
    port = free_port()
    server = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "bench.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _attempt in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.2)
        cookie = session_cookie(env, users["official"])
        base = f"http://127.0.0.1:{port}"
        floor = wrk(f"{base}/bench/floor/", cookie)
        dashboard = wrk(f"{base}/?year=2024&body={users['body']}", cookie)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "floor_rps": floor[0],
        "dashboard_rps": dashboard[0],
        "non_2xx": floor[1] + dashboard[1],
        "ratio": dashboard[0] / floor[0],
    }


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
    """16 sessions for 10 s reading pages and racing disbursements (scripts/loadtest.py)."""
    result = subprocess.run(
        [PYTHON, "scripts/loadtest.py", "--database", f"{PG}/si_lkks_bench_loadtest"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
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
            f"  {row['page']:<24} {row['status']} {row['queries']:>3} q "
            f"{row['median_ms']:>7} ms {row['p95_ms']:>7} ms",
            flush=True,
        )
    return rows


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk (make bench does it when it can).")
    rows, loads, extra = {}, {}, {}
    for scale in SCALES:
        print(f"== {scale}", flush=True)
        env = prepare(scale)
        users = DEFAULT_USERS | USERS[scale]
        rows[scale] = pages(env, users)
        loads[scale] = load(env, scale, users)
        print(f"  load: {loads[scale]}", flush=True)
        if scale == "regency":
            extra["import_seconds"] = import_10k(env)
            print(f"  import of 10,000 rows: {extra['import_seconds']:.1f} s", flush=True)
        if scale == "national":
            extra["exports"] = json.loads(
                manage(env, "bench_export", capture=True).strip().splitlines()[-1]
            )
            print(f"  exports: {extra['exports']}", flush=True)
    # SQLite, the embedded database of `make run`: in-process timings where practical.
    for scale in [s for s in SCALES if s in SQLITE_SCALES]:
        print(f"== {scale} (SQLite)", flush=True)
        env = prepare(scale, sqlite=True)
        users = DEFAULT_USERS | USERS[scale]
        rows[f"{scale} (SQLite)"] = pages(env, users)
    extra["load_test"] = load_test("demo")
    print(extra["load_test"][1], flush=True)
    write_report(rows, loads, extra)


def write_report(rows, loads, extra):
    scales = list(rows)
    lines = [
        "# Benchmarks",
        "",
        f"Measured {date.today():%d %B %Y} on {machine()}, by `make bench`",
        "(bench/run.py), on PostgreSQL 15 unless a column says SQLite. Server time is",
        "in-process (Django test client, DEBUG off): median",
        "and 95th percentile of 20 requests after 2 warm-ups; queries from one counted run.",
        "",
        "| page | "
        + " | ".join(f"{s} queries | {s} median ms | {s} p95 ms" for s in scales)
        + " |",
        "| --- |" + " --- | --- | --- |" * len(scales),
    ]
    for index, row in enumerate(rows[scales[0]]):
        cells = []
        for scale in scales:
            other = rows[scale][index]
            if other["status"] != 200:  # e.g. no comparison with a single body
                cells += [f"n/a ({other['status']})", "", ""]
                continue
            cells += [str(other["queries"]), str(other["median_ms"]), str(other["p95_ms"])]
        lines.append(f"| {row['page']} | " + " | ".join(cells) + " |")
    lines += [
        "",
        (
            "Throughput under gunicorn (2 workers, persistent connections), wrk -t2 -c8 for "
            f"{WRK_SECONDS} s on loopback, as an official:"
        ),
        "",
        "| scale | floor view req/s | dashboard req/s | dashboard ÷ floor | non-2xx |",
        "| --- | --- | --- | --- | --- |",
    ]
    for scale, result in loads.items():
        lines.append(
            f"| {scale} | {result['floor_rps']:.0f} | {result['dashboard_rps']:.0f} | "
            f"{result['ratio']:.2f} | {result['non_2xx']} |"
        )
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
            f"16 concurrent sessions for 10 s (`scripts/loadtest.py`, exit {status}):",
            "",
            "```",
            output,
            "```",
        ]
    lines += ["", "## Targets", ""]
    lines += targets(rows, loads, extra)
    report = ROOT / "docs" / "benchmarks.md"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"\nwritten to {report}")


def targets(rows, loads, extra):
    checks = []
    if "import_seconds" in extra:
        seconds = extra["import_seconds"]
        checks.append(
            f"- 10,000-row import {seconds:.1f} s — {'met' if seconds < 30 else 'NOT met'} (< 30 s)"
        )
    exports = {(e["rows"], e["format"]): e["peak_mib"] for e in extra.get("exports", [])}
    for file_format in ("csv", "xlsx"):
        if (10_000, file_format) in exports and (100_000, file_format) in exports:
            small, large = exports[10_000, file_format], exports[100_000, file_format]
            flat = large <= max(2 * small, small + 20)
            checks.append(
                f"- 100,000-row {file_format} export peak {large} MiB against {small} MiB "
                f"for 10,000 — {'flat' if flat else 'NOT flat'}"
            )
    if "load_test" in extra:
        checks.append(
            "- 16 concurrent connections: "
            + ("no 5xx, disbursements within the grant" if extra["load_test"][0] == 0 else "FAILED")
        )
    for scale, result in loads.items():
        checks.append(
            f"- dashboard throughput ≥ ½ of the floor view ({scale}): "
            f"{result['ratio']:.2f} — {'met' if result['ratio'] >= 0.5 else 'NOT met'}"
        )
    if "regency" in rows and "national" in rows:
        for regency, national in zip(rows["regency"], rows["national"], strict=True):
            if regency["page"].startswith("admin") or regency["page"] == "comparison":
                continue
            ratio = national["median_ms"] / regency["median_ms"]
            checks.append(
                f"- {regency['page']}: national ÷ regency median {ratio:.2f} — "
                f"{'met' if ratio <= 1.5 else 'NOT met'} (≤ 1.5)"
            )
    if "national" in rows:
        for row in rows["national"]:
            if row["page"].startswith("admin") or "list" in row["page"]:
                checks.append(
                    f"- {row['page']} p95 at national scale {row['p95_ms']} ms — "
                    f"{'met' if row['p95_ms'] < 300 else 'NOT met'} (< 300 ms)"
                )
    return checks


if __name__ == "__main__":
    main()

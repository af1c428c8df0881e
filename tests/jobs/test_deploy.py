"""The worker where the site runs: `make run` starts it beside the server, systemd keeps
it running in production, and the daily reminders are handed to it."""

import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
from django.core.management import get_commands

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def test_the_systemd_unit_keeps_the_worker_running():
    unit = (PROJECT_ROOT / "deploy" / "si-lkks-worker.service").read_text(encoding="utf-8")

    assert "ExecStart=/srv/si-lkks/app/.venv/bin/python manage.py jobs_worker --no-reload" in unit
    assert "EnvironmentFile=/etc/si-lkks/env" in unit
    assert "User=si-lkks" in unit
    assert "Restart=always" in unit
    assert "ReadWritePaths=/srv/si-lkks/media" in unit
    assert "WantedBy=multi-user.target" in unit
    assert get_commands()["jobs_worker"] == "jobs"


def test_the_daily_reminders_are_handed_to_the_worker():
    unit = (PROJECT_ROOT / "deploy" / "si-lkks-reminders.service").read_text(encoding="utf-8")

    assert "manage.py send_reminders --enqueue" in unit


def test_make_run_starts_the_worker_and_stops_it_with_the_server():
    recipe = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8").split("\nrun:", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]

    assert re.search(r"jobs_worker --no-reload & worker=\$\$!", recipe)
    assert "trap 'kill $$worker" in recipe
    assert recipe.rstrip().endswith("$(MANAGE) runserver $(HOST):$(PORT)")


FAKE_MANAGE = """#!/bin/bash
# manage.py as make run calls it, each command a process named after it.
case "$1" in
  jobs_worker|runserver) exec -a "fake-$1" sleep 300 ;;
  *) exit 0 ;;
esac
"""


@pytest.fixture
def make_run(tmp_path):
    """``make run`` with a stand-in for manage.py: its worker and server are sleeps."""
    manage = tmp_path / "manage"
    manage.write_text(FAKE_MANAGE)
    manage.chmod(0o755)
    process = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"MANAGE={manage}"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
    )
    wait_until(lambda: processes(process.pid) == {"fake-jobs_worker", "fake-runserver"})
    yield process
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def processes(session):
    """The names of the fake commands running in make's session."""
    result = subprocess.run(
        ["ps", "-o", "args=", "-s", str(session)],
        capture_output=True,
        text=True,
        check=False,
    )
    return {line.split()[0] for line in result.stdout.splitlines() if line.startswith("fake-")}


def wait_until(check, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    pytest.fail("make run did not get there")


def test_ctrl_c_stops_the_server_and_the_worker(make_run):
    os.killpg(make_run.pid, signal.SIGINT)

    make_run.wait(timeout=30)
    wait_until(lambda: processes(make_run.pid) == set())


def test_the_worker_stops_when_the_server_ends(make_run):
    os.kill(pid_of("fake-runserver", make_run.pid), signal.SIGTERM)

    make_run.wait(timeout=30)
    wait_until(lambda: processes(make_run.pid) == set())


def pid_of(name, session):
    result = subprocess.run(
        ["ps", "-o", "pid=,args=", "-s", str(session)],
        capture_output=True,
        text=True,
        check=True,
    )
    [pid] = [int(line.split()[0]) for line in result.stdout.splitlines() if name in line]
    return pid

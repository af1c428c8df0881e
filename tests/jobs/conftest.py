import pytest
from django.core.management import call_command


@pytest.fixture
def worker_in_test_transaction(monkeypatch):
    """The worker closes "old" connections between tasks, as requests do; inside a test's
    transaction that would close the test's own connection (on PostgreSQL), so it is
    left open, as Django's test client leaves it for requests."""
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


@pytest.fixture
def run_worker(worker_in_test_transaction):
    """``run_worker()``: the real worker (``manage.py jobs_worker --batch``) runs every
    task waiting, in this process, then returns. Start jobs inside
    ``django_capture_on_commit_callbacks(execute=True)`` so that they are enqueued."""

    def run(**options):
        call_command(
            "jobs_worker", batch=True, startup_delay=False, reload=False, verbosity=0, **options
        )

    return run

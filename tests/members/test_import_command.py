"""``manage.py import_members``: the import page's work from the command line."""

import csv
import io

import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.utils import translation

from members import imports
from members.models import Organisation, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def write_csv(path, rows, header=imports.HEADERS[:3]):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def good_file(tmp_path):
    return write_csv(
        tmp_path / "lks.csv",
        [["Panti A", "LKSA", "Bangkinang Kota"], ["Panti B", "LKS Lanjut Usia", "Kampar"]],
    )


@pytest.fixture
def bad_file(tmp_path):
    return write_csv(
        tmp_path / "rusak.csv",
        [["Panti A", "LKSA", "Atlantis"], ["Panti B", "LKS Lanjut Usia", "Kampar"]],
    )


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_members", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_dry_run_shows_each_row_and_writes_nothing(kampar, good_file):
    out, err = run(good_file, "--body", "kampar", "--dry-run")
    assert out.splitlines() == [
        "Row 2: new Panti A (New LKS)",
        "Row 3: new Panti B (New LKS)",
        "Dry run: 2 new, 0 updated, 0 unchanged; nothing was written.",
    ]
    assert err == ""
    assert Organisation.objects.count() == 0
    assert Organisation.history.count() == 0


def test_the_command_imports_into_the_body(kampar, sleman, good_file):
    out, _err = run(good_file, "--body", "kampar")
    assert out.splitlines()[-1] == "Imported into kampar: 2 new, 0 updated, 0 unchanged."
    assert list(Organisation.objects.values_list("body__slug", "name")) == [
        ("kampar", "Panti A"),
        ("kampar", "Panti B"),
    ]
    out, _err = run(good_file, "--body", "kampar", "--verbosity", "0")
    assert out.splitlines() == ["Imported into kampar: 0 new, 0 updated, 2 unchanged."]


def test_errors_are_printed_and_nothing_is_written(kampar, bad_file):
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command(
            "import_members", str(bad_file), "--body", "kampar", stderr=err, stdout=io.StringIO()
        )
    assert err.getvalue().splitlines() == [
        "Row 2, Kecamatan: “Atlantis” is not a kecamatan of KAB. KAMPAR."
    ]
    assert Organisation.objects.count() == 0


def test_errors_exit_with_a_non_zero_status(kampar, bad_file, capsys, monkeypatch):
    # run_from_argv closes the database connections when it ends; the test still needs
    # its own.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exited:
        ManagementUtility(
            ["manage.py", "import_members", str(bad_file), "--body", "kampar"]
        ).execute()
    assert exited.value.code == 1
    assert "nothing was imported" in capsys.readouterr().err
    assert Organisation.objects.count() == 0


def test_dry_run_of_a_file_with_errors_fails_too(kampar, bad_file):
    with pytest.raises(CommandError):
        run(bad_file, "--body", "kampar", "--dry-run")


def test_a_file_that_is_not_a_spreadsheet_is_refused(kampar, tmp_path):
    path = tmp_path / "foto.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(CommandError, match="not a spreadsheet"):
        run(path, "--body", "kampar")


def test_an_unknown_body_or_file_is_refused(kampar, good_file, tmp_path):
    with pytest.raises(CommandError, match="No body has the short name 'bantul'"):
        run(good_file, "--body", "bantul")
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "missing.csv", "--body", "kampar")


def test_a_file_over_the_size_limit_is_refused(kampar, good_file, settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(CommandError, match="at most"):
        run(good_file, "--body", "kampar")
    assert Registration.objects.count() == 0

"""The restore drill of docs/deploy.md, on PostgreSQL: back up with deploy/backup.sh,
restore with deploy/restore.sh into an empty database and media directory, and find
the same rows, the same sums and the same files."""

import hashlib
import os
import secrets
import subprocess
from decimal import Decimal
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection
from psycopg import sql
from psycopg.conninfo import make_conninfo

from tests.factories import (
    AllocationFactory,
    DisbursementFactory,
    ExpenditureFactory,
    GrantFactory,
    OrganisationFactory,
    RegistrationFactory,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def conninfo(dbname):
    """libpq connection string of the test database's server, for another database."""
    params = connection.settings_dict
    return make_conninfo(
        dbname=dbname,
        host=params["HOST"] or "",
        port=str(params["PORT"] or ""),
        user=params["USER"] or "",
        password=params["PASSWORD"] or "",
    )


def script(name, *args, database, media):
    result = subprocess.run(
        [str(PROJECT_ROOT / "deploy" / name), *map(str, args)],
        env=os.environ | {"DATABASE_URL": database, "DJANGO_MEDIA_ROOT": str(media)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.split()


@pytest.fixture
def empty_database():
    name = f"test_restore_{secrets.token_hex(4)}"
    with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(conninfo("postgres"), autocommit=True) as server:
            server.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def snapshot(cursor, tables):
    """Row counts of every table, a checksum of the money, and where the sequences are."""
    counts = {
        table: cursor.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }
    money = cursor.execute(
        "SELECT sum(amount), md5(string_agg(id || ':' || amount, ',' ORDER BY id)) "
        "FROM grants_grant"
    ).fetchone()
    disbursed = cursor.execute("SELECT sum(amount) FROM grants_disbursement").fetchone()
    sequences = dict(cursor.execute("SELECT sequencename, last_value FROM pg_sequences").fetchall())
    return {"counts": counts, "money": money, "disbursed": disbursed, "sequences": sequences}


def files_under(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def test_a_backup_restores_into_an_empty_database_with_the_same_rows_and_files(
    tmp_path, empty_database
):
    for amount in [Decimal(1_000_000_000), Decimal(85_000_000), Decimal(128_000_000)]:
        grant = GrantFactory(amount=amount)
        allocation = AllocationFactory(grant=grant, amount=amount / 2)
        DisbursementFactory(grant=grant, amount=amount / 4)
        ExpenditureFactory(grant=grant, activity=allocation.activity, amount=amount / 8)
    for _ in range(3):
        registration = RegistrationFactory()
        registration.document.save("tanda-daftar.pdf", ContentFile(PDF))
    OrganisationFactory.create_batch(5)
    source_files = files_under(settings.MEDIA_ROOT)
    assert len(source_files) >= 3

    dump, archive = script(
        "backup.sh",
        tmp_path / "backups",
        database=conninfo(connection.settings_dict["NAME"]),
        media=settings.MEDIA_ROOT,
    )
    restored_media = tmp_path / "restored-media"
    script("restore.sh", dump, archive, database=conninfo(empty_database), media=restored_media)

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        before = snapshot(cursor, tables)
    with psycopg.connect(conninfo(empty_database)) as restored:
        after = snapshot(restored.cursor(), tables)
    assert before["counts"]["grants_grant"] >= 3
    assert before["counts"]["lkks_region"] > 0
    assert after == before
    assert files_under(restored_media) == source_files


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path, empty_database):
    GrantFactory()
    dump, archive = script(
        "backup.sh",
        tmp_path,
        database=conninfo(connection.settings_dict["NAME"]),
        media=settings.MEDIA_ROOT,
    )
    script("restore.sh", dump, archive, database=conninfo(empty_database), media=tmp_path / "a")

    result = subprocess.run(
        [PROJECT_ROOT / "deploy" / "restore.sh", dump, archive],
        env=os.environ
        | {"DATABASE_URL": conninfo(empty_database), "DJANGO_MEDIA_ROOT": str(tmp_path / "b")},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )

    assert result.returncode == 1
    assert "refusing" in result.stderr

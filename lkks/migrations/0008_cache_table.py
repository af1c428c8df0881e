"""The table of the database cache (CACHE_URL=db, the default in production): made by
migrate, so that no deployment can forget Django's ``createcachetable``."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# settings.CACHE_TABLE, written out: a migration must not change with the settings.
CACHE_TABLE = "lkks_cache"


def create_cache_table(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [
        ("lkks", "0007_body_application_wait_days"),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table, elidable=False),
    ]

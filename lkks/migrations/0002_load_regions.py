"""Load the Kemendagri regions of Kampar and Sleman shipped in lkks/data/."""

import csv
from pathlib import Path

from django.db import migrations

REGIONS_CSV = Path(__file__).resolve().parent.parent / "data" / "regions-kampar-sleman.csv"


def load_regions(apps, schema_editor):
    Region = apps.get_model("lkks", "Region")
    with REGIONS_CSV.open(encoding="utf-8") as rows:
        for code, name in csv.reader(rows):
            code = code.strip()
            parts = code.split(".")
            Region.objects.update_or_create(
                code=code,
                defaults={
                    "name": name.strip(),
                    "level": len(parts),
                    "parent_id": ".".join(parts[:-1]) or None,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("lkks", "0001_initial")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]

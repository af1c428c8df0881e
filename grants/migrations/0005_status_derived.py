"""The grant's stored status, LPJ date and agreement fields go: 0004 moved them into
records, from which the stage is derived. Every expenditure now has its allocation."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0004_status_into_records"),
    ]

    operations = [
        migrations.RemoveField(
            model_name='grant',
            name='agreement_date',
        ),
        migrations.RemoveField(
            model_name='grant',
            name='agreement_kind',
        ),
        migrations.RemoveField(
            model_name='grant',
            name='agreement_number',
        ),
        migrations.RemoveField(
            model_name='grant',
            name='lpj_submitted_on',
        ),
        migrations.RemoveField(
            model_name='grant',
            name='status',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='agreement_date',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='agreement_kind',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='agreement_number',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='lpj_submitted_on',
        ),
        migrations.RemoveField(
            model_name='historicalgrant',
            name='status',
        ),
        migrations.AlterField(
            model_name="expenditure",
            name="allocation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="expenditures",
                to="grants.allocation",
                verbose_name="allocation",
            ),
        ),
    ]

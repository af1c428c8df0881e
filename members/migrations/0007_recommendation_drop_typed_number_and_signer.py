"""The recommendation's own number fields and typed signer go, now that the letter
register numbers it and the officers sign it (in a migration of its own: PostgreSQL
alters no table with the previous migration's rows still to check)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0006_recommendation_number_from_letter_register"),
    ]

    operations = [
        migrations.AlterField(
            model_name="recommendation",
            name="letter",
            field=models.OneToOneField(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lkks.letter",
                verbose_name="letter",
            ),
        ),
        migrations.AlterModelOptions(
            name="recommendation",
            options={
                "ordering": ["-date", "-pk"],
                "verbose_name": "recommendation letter",
                "verbose_name_plural": "recommendation letters",
            },
        ),
        migrations.RemoveConstraint(
            model_name="recommendation",
            name="recommendation_sequence_unique_per_body_year",
        ),
        migrations.RemoveConstraint(
            model_name="recommendation",
            name="recommendation_sequence_positive",
        ),
        migrations.RemoveConstraint(
            model_name="recommendation",
            name="recommendation_year_range",
        ),
        migrations.RemoveField(model_name="historicalrecommendation", name="number"),
        migrations.RemoveField(model_name="historicalrecommendation", name="sequence"),
        migrations.RemoveField(model_name="historicalrecommendation", name="signer_name"),
        migrations.RemoveField(model_name="historicalrecommendation", name="signer_title"),
        migrations.RemoveField(model_name="historicalrecommendation", name="year"),
        migrations.RemoveField(model_name="recommendation", name="number"),
        migrations.RemoveField(model_name="recommendation", name="sequence"),
        migrations.RemoveField(model_name="recommendation", name="signer_name"),
        migrations.RemoveField(model_name="recommendation", name="signer_title"),
        migrations.RemoveField(model_name="recommendation", name="year"),
    ]

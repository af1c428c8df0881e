import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """ReminderSent moves here from lkks: its table is kept as it is (state only), then
    renamed to this app's name."""

    initial = True

    dependencies = [
        ("lkks", "0005_move_remindersent_to_overview"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReminderSent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[("registration", "registration expires"), ("accreditation", "accreditation expires"), ("lpj_due", "LPJ due"), ("lpj_overdue", "LPJ overdue")], max_length=15, verbose_name="kind")),
                        ("item", models.CharField(max_length=100, verbose_name="item")),
                        ("due_on", models.DateField(verbose_name="due on")),
                        ("threshold", models.CharField(max_length=20, verbose_name="threshold")),
                        ("sent_on", models.DateField(verbose_name="sent on")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created at")),
                        ("body", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="reminders_sent", to="lkks.body", verbose_name="body")),
                    ],
                    options={
                        "verbose_name": "reminder sent",
                        "verbose_name_plural": "reminders sent",
                        "ordering": ["-sent_on", "body", "kind"],
                        "db_table": "lkks_remindersent",
                        "constraints": [models.UniqueConstraint(fields=("body", "kind", "item", "due_on", "threshold"), name="reminder_sent_once_per_threshold")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.AlterModelTable(name="remindersent", table=None),
    ]

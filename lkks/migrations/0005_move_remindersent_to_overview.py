from django.db import migrations


class Migration(migrations.Migration):
    """ReminderSent belongs to the reminders, in the overview app: it leaves this app's
    state only; its table and rows stay (overview.0001 takes them over)."""

    dependencies = [
        ("lkks", "0004_securityevent"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ReminderSent")],
            database_operations=[],
        ),
    ]

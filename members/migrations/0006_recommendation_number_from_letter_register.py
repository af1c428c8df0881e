"""Recommendation letters take their numbers from the body's letter register, and their
signer from the officers: each letter issued so far becomes an entry of the register
with the number it was given, and the year's counter continues after it."""

import django.db.models.deletion
from django.db import migrations, models


def letters_for_recommendations(apps, schema_editor):
    Recommendation = apps.get_model("members", "Recommendation")
    Letter = apps.get_model("lkks", "Letter")
    LetterCounter = apps.get_model("lkks", "LetterCounter")
    last = {}
    for recommendation in Recommendation.objects.select_related("organisation").order_by("pk"):
        letter = Letter.objects.create(
            body_id=recommendation.body_id,
            year=recommendation.year,
            sequence=recommendation.sequence,
            number=recommendation.number,
            kind="REK",
            date=recommendation.date,
            subject=f"Rekomendasi pendaftaran {recommendation.organisation.name}",
        )
        recommendation.letter = letter
        recommendation.save(update_fields=["letter"])
        key = (recommendation.body_id, recommendation.year)
        last[key] = max(last.get(key, 0), recommendation.sequence)
    for (body_id, year), sequence in last.items():
        counter, _created = LetterCounter.objects.get_or_create(body_id=body_id, year=year)
        counter.last_sequence = max(counter.last_sequence, sequence)
        counter.save()


class Migration(migrations.Migration):
    dependencies = [
        ("lkks", "0006_officers_letters_and_body_profile"),
        ("members", "0005_importmapping_legaldocument_nib"),
    ]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="letter",
            field=models.OneToOneField(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="lkks.letter",
                verbose_name="letter",
            ),
        ),
        migrations.AddField(
            model_name="historicalrecommendation",
            name="letter",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="lkks.letter",
                verbose_name="letter",
            ),
        ),
        migrations.AddField(
            model_name="recommendation",
            name="signer_position",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (10, "General chair (Ketua Umum)"),
                    (20, "Executive chair (Ketua Harian)"),
                    (30, "Vice chair (Wakil Ketua)"),
                    (40, "Secretary (Sekretaris)"),
                    (50, "Treasurer (Bendahara)"),
                    (60, "Division head (Ketua Bidang)"),
                    (70, "Member (Anggota)"),
                ],
                default=10,
                help_text="The officer holding this position on the letter's date signs it.",
                verbose_name="signed by",
            ),
        ),
        migrations.AddField(
            model_name="historicalrecommendation",
            name="signer_position",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (10, "General chair (Ketua Umum)"),
                    (20, "Executive chair (Ketua Harian)"),
                    (30, "Vice chair (Wakil Ketua)"),
                    (40, "Secretary (Sekretaris)"),
                    (50, "Treasurer (Bendahara)"),
                    (60, "Division head (Ketua Bidang)"),
                    (70, "Member (Anggota)"),
                ],
                default=10,
                help_text="The officer holding this position on the letter's date signs it.",
                verbose_name="signed by",
            ),
        ),
        # Forward only: the letters' numbers move into the register, which has no way
        # back to the fields the next migration removes.
        migrations.RunPython(letters_for_recommendations, elidable=False),
    ]

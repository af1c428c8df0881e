"""The 26 PPKS categories of Permensos 8/2012 as the starting list of target groups."""

from django.db import migrations

PPKS = [
    ("anak-balita-terlantar", "Anak balita terlantar"),
    ("anak-terlantar", "Anak terlantar"),
    ("anak-berhadapan-hukum", "Anak yang berhadapan dengan hukum"),
    ("anak-jalanan", "Anak jalanan"),
    ("anak-disabilitas", "Anak dengan kedisabilitasan"),
    ("anak-korban-kekerasan", "Anak yang menjadi korban tindak kekerasan"),
    ("anak-perlindungan-khusus", "Anak yang memerlukan perlindungan khusus"),
    ("lanjut-usia-terlantar", "Lanjut usia terlantar"),
    ("penyandang-disabilitas", "Penyandang disabilitas"),
    ("tuna-susila", "Tuna susila"),
    ("gelandangan", "Gelandangan"),
    ("pengemis", "Pengemis"),
    ("pemulung", "Pemulung"),
    ("kelompok-minoritas", "Kelompok minoritas"),
    ("bekas-warga-binaan", "Bekas warga binaan lembaga pemasyarakatan"),
    ("odha", "Orang dengan HIV/AIDS (ODHA)"),
    ("korban-napza", "Korban penyalahgunaan NAPZA"),
    ("korban-trafficking", "Korban trafficking"),
    ("korban-kekerasan", "Korban tindak kekerasan"),
    ("pekerja-migran-bermasalah", "Pekerja migran bermasalah sosial"),
    ("korban-bencana-alam", "Korban bencana alam"),
    ("korban-bencana-sosial", "Korban bencana sosial"),
    ("perempuan-rawan-sosial-ekonomi", "Perempuan rawan sosial ekonomi"),
    ("fakir-miskin", "Fakir miskin"),
    ("keluarga-bermasalah-sosial", "Keluarga bermasalah sosial psikologis"),
    ("komunitas-adat-terpencil", "Komunitas adat terpencil"),
]


def load_target_groups(apps, schema_editor):
    TargetGroup = apps.get_model("members", "TargetGroup")
    for code, name in PPKS:
        TargetGroup.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("members", "0001_initial")]

    operations = [migrations.RunPython(load_target_groups, migrations.RunPython.noop)]

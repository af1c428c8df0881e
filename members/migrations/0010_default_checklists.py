"""The default checklists: the documents an application for a registration (tanda
daftar) or a recommendation needs, as common regional SOPs list them, and the items of
the accreditation self-assessment by the areas of the accreditation instrument
(docs/decisions.md, "The LKS portal and the review model"). Admins change them
afterwards; this runs once."""

from django.db import migrations

# (name, document kind, required)
APPLICATION_ITEMS = [
    ("Akta pendirian", "deed", True),
    ("SK Kemenkumham (pengesahan badan hukum)", "kemenkumham", True),
    ("NPWP lembaga", "npwp", True),
    ("Surat keterangan domisili", "domicile", True),
    ("Susunan pengurus", "board", True),
    ("Program kerja", "work_program", True),
    ("Laporan kegiatan", "activity_report", True),
]

# (area, name, what counts as evidence)
READINESS_ITEMS = [
    (
        "institution",
        "Akta pendirian dan pengesahan badan hukum",
        "Akta notaris dan SK Kemenkumham yang masih berlaku.",
    ),
    (
        "institution",
        "Tanda daftar LKS yang masih berlaku",
        "Salinan tanda daftar dari Dinas Sosial.",
    ),
    (
        "institution",
        "Visi, misi dan struktur organisasi",
        "Dokumen visi-misi dan bagan struktur organisasi dengan nama pengurus.",
    ),
    ("institution", "Anggaran dasar dan anggaran rumah tangga", "AD/ART yang disahkan."),
    ("management", "Rencana kerja tahunan", "Program kerja tahun berjalan."),
    ("management", "Laporan kegiatan tahunan", "Laporan kegiatan tahun lalu."),
    (
        "management",
        "Laporan keuangan tahunan",
        "Laporan keuangan tahun lalu, diaudit bila ada.",
    ),
    (
        "management",
        "Administrasi penerima manfaat",
        "Buku induk atau basis data penerima manfaat.",
    ),
    (
        "staff",
        "Pekerja sosial atau pendamping",
        "Daftar pekerja sosial/pendamping dengan kualifikasi dan sertifikatnya.",
    ),
    (
        "staff",
        "Pelatihan pengurus dan pendamping",
        "Sertifikat pelatihan dalam dua tahun terakhir.",
    ),
    (
        "facilities",
        "Bukti penguasaan gedung atau tempat pelayanan",
        "Sertifikat, akta hibah, atau perjanjian sewa.",
    ),
    ("facilities", "Daftar sarana dan prasarana pelayanan", "Inventaris dengan foto."),
    (
        "services",
        "Standar operasional prosedur pelayanan",
        "SOP asesmen, rencana intervensi, pelaksanaan dan terminasi.",
    ),
    (
        "services",
        "Dokumen asesmen dan rencana intervensi",
        "Contoh berkas asesmen dan rencana intervensi penerima manfaat.",
    ),
    (
        "outcomes",
        "Data jumlah penerima manfaat",
        "Rekap penerima manfaat per tahun, tiga tahun terakhir.",
    ),
    (
        "outcomes",
        "Laporan evaluasi hasil pelayanan",
        "Evaluasi atau survei kepuasan penerima manfaat.",
    ),
]


def load_checklists(apps, schema_editor):
    ChecklistItem = apps.get_model("members", "ChecklistItem")
    ReadinessItem = apps.get_model("members", "ReadinessItem")
    if not ChecklistItem.objects.exists():
        ChecklistItem.objects.bulk_create(
            ChecklistItem(
                kind=kind, name=name, document_kind=document_kind, required=required, position=i
            )
            for kind in ("registration", "recommendation")
            for i, (name, document_kind, required) in enumerate(APPLICATION_ITEMS, start=1)
        )
    if not ReadinessItem.objects.exists():
        ReadinessItem.objects.bulk_create(
            ReadinessItem(area=area, name=name, guidance=guidance, position=i)
            for i, (area, name, guidance) in enumerate(READINESS_ITEMS, start=1)
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0009_lks_portal_accounts_applications_reviews")]

    operations = [migrations.RunPython(load_checklists, migrations.RunPython.noop)]

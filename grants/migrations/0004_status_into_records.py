"""Carry each grant's stored status, agreement fields and LPJ date into the records its
stage is now derived from, and tie every expenditure to the allocation of its grant
and activity.

Nothing is lost: where the records cannot say what the old status said (a grant
"received" with no disbursement recorded, "closed" with cash still held, an LPJ date
missing), the grant's notes say what it was.
"""

from decimal import Decimal

from django.db import migrations
from django.db.models import Sum

AGREEMENT_KIND = {"nphd": "nphd", "mou": "mou", "other": "cooperation"}
# The stage each old status becomes when the records bear it out.
EXPECTED_STAGE = {
    "proposed": "proposed",
    "approved": "approved",
    "received": "disbursed",
    "accounted": "lpj_submitted",
    "closed": "closed",
}
STATUS_LABEL = {
    "proposed": "diusulkan",
    "approved": "disetujui",
    "received": "diterima",
    "accounted": "sudah di-LPJ-kan",
    "closed": "ditutup",
}
NOT_RECORDED = "(tidak tercatat)"


def _sum(queryset):
    return queryset.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def _derived_stage(grant, apps):
    Disbursement = apps.get_model("grants", "Disbursement")
    Expenditure = apps.get_model("grants", "Expenditure")
    LpjSubmission = apps.get_model("grants", "LpjSubmission")
    Agreement = apps.get_model("grants", "Agreement")
    disbursed = _sum(Disbursement.objects.filter(grant=grant))
    spent = _sum(Expenditure.objects.filter(grant=grant))
    outcomes = set(LpjSubmission.objects.filter(grant=grant).values_list("outcome", flat=True))
    if "accepted" in outcomes:
        return "closed" if disbursed - spent <= 0 else "lpj_accepted"
    if "pending" in outcomes:
        return "lpj_submitted"
    if disbursed > 0:
        return "disbursed"
    if Agreement.objects.filter(grant=grant).exists():
        return "approved"
    return "proposed"


def _link_expenditures(grant, apps, notes):
    Allocation = apps.get_model("grants", "Allocation")
    Expenditure = apps.get_model("grants", "Expenditure")
    pairs = (
        Expenditure.objects.filter(grant=grant, allocation__isnull=True)
        .values("activity")
        .annotate(total=Sum("amount"))
        .order_by("activity")
    )
    for pair in pairs:
        allocation = Allocation.objects.filter(grant=grant, activity=pair["activity"]).first()
        if allocation is None:
            allocation = Allocation.objects.create(
                grant=grant, activity_id=pair["activity"], amount=pair["total"]
            )
            notes.append(
                f"Alokasi Rp {pair['total']:,.0f} untuk kegiatan #{pair['activity']} dibuat "
                "oleh migrasi: belanja kegiatan itu tercatat tanpa alokasi.".replace(",", ".")
            )
        Expenditure.objects.filter(
            grant=grant, activity=pair["activity"], allocation__isnull=True
        ).update(allocation=allocation)


def forward(apps, schema_editor):
    Grant = apps.get_model("grants", "Grant")
    Agreement = apps.get_model("grants", "Agreement")
    LpjSubmission = apps.get_model("grants", "LpjSubmission")
    for grant in Grant.objects.order_by("pk"):
        notes = []
        if grant.status != "proposed":
            Agreement.objects.create(
                grant=grant,
                kind=AGREEMENT_KIND.get(grant.agreement_kind, "cooperation"),
                number=grant.agreement_number or NOT_RECORDED,
                signed_on=grant.agreement_date,
            )
        elif grant.agreement_number or grant.agreement_date:
            notes.append(
                "Perjanjian tercatat pada usulan sebelum migrasi: nomor "
                f"{grant.agreement_number or '-'}, tanggal {grant.agreement_date or '-'}."
            )
        submitted_on = grant.lpj_submitted_on
        if grant.status in ("accounted", "closed") or submitted_on:
            if submitted_on is None:
                submitted_on = grant.updated_at.date()
                notes.append(
                    "Tanggal penyampaian LPJ tidak tercatat sebelum migrasi; diisi tanggal "
                    "perubahan terakhir hibah."
                )
            closed = grant.status == "closed"
            LpjSubmission.objects.create(
                grant=grant,
                submitted_on=submitted_on,
                received_by=NOT_RECORDED,
                outcome="accepted" if closed else "pending",
                decided_on=submitted_on if closed else None,
            )
        _link_expenditures(grant, apps, notes)
        stage = _derived_stage(grant, apps)
        if stage != EXPECTED_STAGE[grant.status]:
            notes.append(f"Status sebelum migrasi: {STATUS_LABEL[grant.status]}.")
        if notes:
            grant.notes = "\n".join(filter(None, [grant.notes, "[Migrasi 0004]", *notes]))
            grant.save(update_fields=["notes"])


def backward(apps, schema_editor):
    """Write the status back from the records (the records themselves stay until 0003
    is reversed)."""
    Grant = apps.get_model("grants", "Grant")
    Agreement = apps.get_model("grants", "Agreement")
    LpjSubmission = apps.get_model("grants", "LpjSubmission")
    status_of = {
        "proposed": "proposed",
        "approved": "approved",
        "disbursed": "received",
        "lpj_submitted": "accounted",
        "lpj_accepted": "accounted",
        "closed": "closed",
    }
    kind_of = {new: old for old, new in AGREEMENT_KIND.items()}
    for grant in Grant.objects.order_by("pk"):
        agreement = Agreement.objects.filter(grant=grant).first()
        if agreement is not None:
            grant.agreement_kind = kind_of.get(agreement.kind, "other")
            grant.agreement_number = "" if agreement.number == NOT_RECORDED else agreement.number
            grant.agreement_date = agreement.signed_on
        lpj = (
            LpjSubmission.objects.filter(grant=grant, outcome__in=["pending", "accepted"])
            .order_by("-submitted_on")
            .first()
        )
        grant.lpj_submitted_on = lpj.submitted_on if lpj else None
        grant.status = status_of[_derived_stage(grant, apps)]
        grant.save()


class Migration(migrations.Migration):
    dependencies = [
        ("grants", "0003_cycle_records"),
    ]

    operations = [migrations.RunPython(forward, backward)]

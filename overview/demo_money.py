"""The demo's money, as an auditor would read it: each grant proposed by letter, agreed
(an NPHD with its budget per activity for a regional hibah, an MoU for CSR), paid out
by SP2D or bank transfer, spent only from cash received by then, and — for the 2024
hibah — accounted for in an LPJ submitted in January 2025, accepted, and what was left
returned by STS.

Every record goes through grants.services, so the demo keeps every rule a user is held
to. The figures of the story stay: Kampar's Rp 1.000.000.000 hibah and Rp 128.000.000
CSR (Rp 1.128.000.000 held at Dinas Sosial Kabupaten Kampar), Sleman's Rp 85.000.000.
Letter numbers, bank accounts, company officers and the dates of the cycle are invented
(README, "Demo data").
"""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from grants.models import (
    Agreement,
    Allocation,
    BudgetLine,
    Disbursement,
    Expenditure,
    Funder,
    Grant,
    LpjSubmission,
    RemainderReturn,
)
from grants.services import (
    agreement_save,
    allocation_save,
    budget_line_save,
    disbursement_save,
    expenditure_save,
    funder_save,
    grant_save,
    lpj_review,
    lpj_submit,
    return_save,
)
from programs.models import Activity, Program
from programs.services import activity_save, program_save

YEAR = 2024
JUTA = Decimal(1_000_000)


@dataclass(frozen=True)
class Tranche:
    date: datetime.date
    share: Decimal  # of the grant
    reference: str  # the SP2D number, or the transfer's reference


@dataclass(frozen=True)
class Accounting:
    """The LPJ of a grant and the return of what was left."""

    submitted_on: datetime.date
    received_by: str
    accepted_on: datetime.date
    returned_on: datetime.date | None = None  # None: nothing returned (yet)
    return_reference: str = ""


@dataclass(frozen=True)
class GrantSpec:
    funder: str
    kind: str  # a Funder.Kind
    name: str
    amount: int  # juta
    requested: int  # juta
    held_at: str
    proposal: tuple  # (letter number, date)
    agreement: dict  # Agreement fields; "kind" follows the funder
    shares: dict  # program code → "all" or {activity name: juta}
    tranches: list
    budget_per_activity: bool = False  # the NPHD's budget (RAB): one line per activity
    accounting: Accounting | None = None


KAMPAR_ACCOUNT = {
    "bank_name": "Bank Riau Kepri Syariah",
    "bank_account_number": "101.02.34567",
    "bank_account_holder": "LKKS Kabupaten Kampar",
    "recipient_signatory_name": "Ricana Djayanti Hambali, B.Dsg",
    "recipient_signatory_title": "Ketua Umum LKKS Kabupaten Kampar",
}

KAMPAR_GRANTS = [
    GrantSpec(
        funder="Pemerintah Kabupaten Kampar",
        kind=Funder.Kind.HIBAH_APBD,
        name="Hibah APBD untuk LKKS Kampar",
        amount=1000,
        requested=1200,
        held_at="Dinas Sosial Kabupaten Kampar",
        proposal=("045/LKKS-KPR/VIII/2023", datetime.date(2023, 8, 21)),
        agreement={
            "number": "900/BPKAD-KPR/NPHD/014/2024",
            "signed_on": datetime.date(YEAR, 1, 15),
            "purpose": (
                "Penguatan kelembagaan LKKS Kabupaten Kampar, peningkatan kapasitas LKS "
                "dan pelayanan kesejahteraan sosial anak, lanjut usia dan penyandang "
                "disabilitas Tahun Anggaran 2024."
            ),
            "grantor_signatory_name": "Zamzami Hasan",
            "grantor_signatory_title": (
                "Kepala Dinas Sosial Kabupaten Kampar, selaku kuasa Pj Bupati Kampar"
            ),
            **KAMPAR_ACCOUNT,
        },
        shares={
            "P01": "all",
            "P02": "all",
            "P03": "all",
            "P04": {"Pelatihan keterampilan penyandang disabilitas": 45},
            "P05": {"Bakti sosial dan tanggap bencana": 15},
        },
        # 60% at the start of the year, 30% in July; the last 10% was never paid out.
        tranches=[
            Tranche(datetime.date(YEAR, 1, 31), Decimal("0.6"), "SP2D 00412/LS/BPKAD/2024"),
            Tranche(datetime.date(YEAR, 7, 15), Decimal("0.3"), "SP2D 03187/LS/BPKAD/2024"),
        ],
        budget_per_activity=True,
        accounting=Accounting(
            submitted_on=datetime.date(2025, 1, 8),
            received_by="Sekretariat Dinas Sosial Kabupaten Kampar",
            accepted_on=datetime.date(2025, 1, 20),
            returned_on=datetime.date(2025, 1, 24),
            return_reference="STS 0031/BPKAD-KPR/2025",
        ),
    ),
    GrantSpec(
        funder="PT Sawit Kampar Lestari (CSR)",
        kind=Funder.Kind.CSR,
        name="CSR alat bantu penyandang disabilitas",
        amount=85,
        requested=100,
        held_at="Dinas Sosial Kabupaten Kampar",
        proposal=("051/LKKS-KPR/XI/2023", datetime.date(2023, 11, 6)),
        agreement={
            "number": "MoU/SKL-CSR/LKKS-KPR/02/2024",
            "signed_on": datetime.date(YEAR, 2, 12),
            "purpose": "Bantuan alat bantu bagi penyandang disabilitas di Kabupaten Kampar.",
            "grantor_signatory_name": "Hendra Saputra",
            "grantor_signatory_title": "Direktur PT Sawit Kampar Lestari",
            **KAMPAR_ACCOUNT,
        },
        shares={"P04": {"Bantuan alat bantu penyandang disabilitas": 85}},
        tranches=[Tranche(datetime.date(YEAR, 3, 1), Decimal(1), "TRF/SKL/240301/0087")],
    ),
    GrantSpec(
        funder="Bank Perkreditan Rakyat Kampar Sejahtera (CSR)",
        kind=Funder.Kind.CSR,
        name="CSR bakti sosial",
        amount=43,
        requested=50,
        held_at="Dinas Sosial Kabupaten Kampar",
        proposal=("052/LKKS-KPR/XI/2023", datetime.date(2023, 11, 6)),
        agreement={
            "number": "PKS/BPR-KS/LKKS-KPR/03/2024",
            "signed_on": datetime.date(YEAR, 3, 4),
            "purpose": "Bakti sosial dan tanggap bencana bagi warga Kabupaten Kampar.",
            "grantor_signatory_name": "Yulia Fitri",
            "grantor_signatory_title": "Direktur Utama BPR Kampar Sejahtera",
            **KAMPAR_ACCOUNT,
        },
        shares={"P05": {"Bakti sosial dan tanggap bencana": 43}},
        tranches=[Tranche(datetime.date(YEAR, 4, 1), Decimal(1), "TRF/BPRKS/240401/0012")],
    ),
]

SLEMAN_GRANTS = [
    GrantSpec(
        funder="Dinas Sosial Kabupaten Sleman",
        kind=Funder.Kind.HIBAH_APBD,
        name="Dukungan peningkatan kapasitas LKKS",
        amount=85,
        requested=100,
        held_at="Dinas Sosial Kabupaten Sleman",
        proposal=("017/LKKS-SLM/IX/2023", datetime.date(2023, 9, 12)),
        agreement={
            "number": "460/NPHD/DINSOS-SLM/007/2024",
            "signed_on": datetime.date(YEAR, 1, 22),
            "purpose": "Peningkatan kapasitas LKKS Kabupaten Sleman dan pendampingan LKS.",
            "grantor_signatory_name": "Mustadi, S.Sos, MM",
            "grantor_signatory_title": "Kepala Dinas Sosial Kabupaten Sleman",
            "bank_name": "Bank BPD DIY",
            "bank_account_number": "002.211.004512",
            "bank_account_holder": "LKKS Kabupaten Sleman",
            "recipient_signatory_name": "Aly Manshur",
            "recipient_signatory_title": "Ketua LKKS Kabupaten Sleman",
        },
        shares={"P01": "all"},
        tranches=[
            Tranche(datetime.date(YEAR, 1, 31), Decimal("0.6"), "SP2D 00388/LS/BKAD/2024"),
            Tranche(datetime.date(YEAR, 7, 15), Decimal("0.3"), "SP2D 02950/LS/BKAD/2024"),
        ],
        budget_per_activity=True,
        accounting=Accounting(
            submitted_on=datetime.date(2025, 1, 6),
            received_by="Sekretariat Dinas Sosial Kabupaten Sleman",
            accepted_on=datetime.date(2025, 1, 16),
        ),
    ),
]

# What an activity's spending is made of: a finished activity spends 95% of its
# allocation, an ongoing one half.
SPENDING_SHARE = {Activity.Status.DONE: Decimal("0.95"), Activity.Status.ONGOING: Decimal("0.5")}
SPENDING_PARTS = [
    ("Konsumsi, akomodasi dan sewa tempat", Decimal("0.6")),
    ("Honorarium narasumber dan transport peserta", Decimal("0.4")),
]


def build_programs(body, programs, *, day_of_year):
    """Programs with their activities; returns {(program code, activity name): activity}."""
    organisations = list(body.organisations.all()[:6])
    activities = {}
    sequence = itertools.count()
    for code, name, category, rows in programs:
        program = program_save(
            program=Program(
                body=body,
                fiscal_year=YEAR,
                code=code,
                name=name,
                category=category,
                budget_ceiling=sum(budget for *_rest, budget in rows) * JUTA,
            )
        )
        for activity_name, kind, budget in rows:
            index = next(sequence)
            start = day_of_year(index, start=datetime.date(YEAR, 2, 5), span=290)
            status = (
                Activity.Status.DONE
                if index % 7 not in (5, 6)
                else [Activity.Status.ONGOING, Activity.Status.PLANNED][index % 7 - 5]
            )
            done = status == Activity.Status.DONE
            if "study tiru" in activity_name.lower():
                start, status, done = datetime.date(YEAR, 10, 16), Activity.Status.DONE, True
            activities[code, activity_name] = activity_save(
                activity=Activity(
                    program=program,
                    name=activity_name,
                    kind=kind,
                    planned_start=start,
                    planned_end=start + datetime.timedelta(days=2),
                    actual_start=start if status != Activity.Status.PLANNED else None,
                    actual_end=start + datetime.timedelta(days=2) if done else None,
                    budget=budget * JUTA,
                    status=status,
                    target_participants=40,
                    actual_participants=36 + index % 5 if done else 0,
                    district=organisations[index % len(organisations)].district,
                    outcome="Kegiatan terlaksana sesuai rencana." if done else "",
                ),
                participants=organisations[index % 3 : index % 3 + 3],
            )
    return activities


def _allocated(spec, activities):
    """(activity, amount) for each activity the grant pays for."""
    for code, share in spec.shares.items():
        for (program_code, activity_name), activity in activities.items():
            if program_code != code or (share != "all" and activity_name not in share):
                continue
            yield activity, activity.budget if share == "all" else share[activity_name] * JUTA


def build_grant(body, spec, activities):
    """One grant from proposal to the last spending of the year."""
    funder = Funder.objects.filter(body=body, name=spec.funder).first() or funder_save(
        funder=Funder(body=body, name=spec.funder, kind=spec.kind)
    )
    grant = grant_save(
        grant=Grant(
            funder=funder,
            fiscal_year=YEAR,
            name=spec.name,
            proposal_number=spec.proposal[0],
            proposal_date=spec.proposal[1],
            requested_amount=spec.requested * JUTA,
            amount=spec.amount * JUTA,
            held_at=spec.held_at,
        )
    )
    agreement_save(
        agreement=Agreement(
            grant=grant,
            kind=Agreement.Kind.NPHD if spec.kind == Funder.Kind.HIBAH_APBD else Agreement.Kind.MOU,
            **spec.agreement,
        )
    )
    lines = {}
    allocations = []
    for activity, amount in _allocated(spec, activities):
        allocations.append(
            allocation_save(allocation=Allocation(grant=grant, activity=activity, amount=amount))
        )
        if spec.budget_per_activity:
            lines[activity.pk] = budget_line_save(
                budget_line=BudgetLine(
                    grant=grant, item=f"{activity.program.code} {activity.name}", amount=amount
                )
            )
    for tranche in spec.tranches:
        disbursement_save(
            disbursement=Disbursement(
                grant=grant,
                date=tranche.date,
                amount=(grant.amount * tranche.share).quantize(Decimal(1)),
                reference=tranche.reference,
            )
        )
    _spend(grant, spec, allocations, lines)
    return grant


def _spend(grant, spec, allocations, lines):
    """Each activity is paid for on its first day (or when the first money comes, if
    that is later) as far as the cash received by then lasts; what is left of its bill
    is paid when the next tranche arrives."""
    tranches = [
        (tranche.date, (grant.amount * tranche.share).quantize(Decimal(1)))
        for tranche in spec.tranches
    ]
    bills = sorted(
        (
            max(allocation.activity.actual_start, tranches[0][0]),
            allocation.pk,
            allocation,
            (allocation.amount * SPENDING_SHARE[allocation.activity.status]).quantize(
                Decimal(1000)
            ),
        )
        for allocation in allocations
        if allocation.activity.status in SPENDING_SHARE
    )
    cash = Decimal(0)
    unpaid = []  # [allocation, amount], oldest first
    receipts = itertools.count(1)

    def pay(day, allocation, amount):
        nonlocal cash
        paid = min(amount, cash)
        if paid > 0:
            cash -= paid
            for part, (label, portion) in enumerate(SPENDING_PARTS):
                expenditure_save(
                    expenditure=Expenditure(
                        allocation=allocation,
                        budget_line=lines.get(allocation.activity_id),
                        date=day + datetime.timedelta(days=part),
                        amount=(paid * portion).quantize(Decimal(1)),
                        description=f"{label}: {allocation.activity.name}",
                        receipt_number=f"KW-{grant.pk:02d}-{next(receipts):03d}",
                    )
                )
        if amount > paid:
            unpaid.append((allocation, amount - paid))

    def receive_until(day):
        nonlocal cash
        while tranches and tranches[0][0] <= day:
            cash_day, amount = tranches.pop(0)
            cash += amount
            waiting = list(unpaid)
            unpaid.clear()
            for allocation, rest in waiting:
                pay(cash_day, allocation, rest)

    for day, _pk, allocation, amount in bills:
        receive_until(day)
        pay(day, allocation, amount)
    receive_until(datetime.date.max)


def build_money(body, *, programs, grants, day_of_year):
    """Programs with their activities, then the grants that pay for them."""
    activities = build_programs(body, programs, day_of_year=day_of_year)
    for spec in grants:
        build_grant(body, spec, activities)


def account_for_the_year(body, grants):
    """The LPJ of each grant that has one in ``grants``: submitted with a cover letter
    from the body's register, accepted, and what was left returned."""
    for spec in grants:
        if spec.accounting is None:
            continue
        accounting = spec.accounting
        grant = Grant.objects.for_body(body).get(name=spec.name, fiscal_year=YEAR)
        submission = lpj_submit(
            submission=LpjSubmission(
                grant=grant,
                submitted_on=accounting.submitted_on,
                received_by=accounting.received_by,
            ),
            by=None,
        )
        lpj_review(
            submission=submission,
            outcome=LpjSubmission.Outcome.ACCEPTED,
            decided_on=accounting.accepted_on,
        )
        if accounting.returned_on is None:
            continue
        cash_held = Grant.objects.with_totals().get(pk=grant.pk).cash_held
        if cash_held > 0:
            return_save(
                remainder_return=RemainderReturn(
                    grant=grant,
                    date=accounting.returned_on,
                    amount=cash_held,
                    reference=accounting.return_reference,
                    notes="Pengembalian sisa dana hibah TA 2024 ke Kas Daerah.",
                )
            )

"""The demo's people, paper and visit: the officers of LKKS Kampar and LKKS Sleman, the
Dinas Sosial each works with, where their letters are signed, and the study visit of
16 October 2024 that the seed story tells (``../shared/seed/``).

The names the story gives are used as it gives them; the other officers, the decree
numbers, the follow-ups and the visit's hour are invented (README, "Demo data").
Each part is added once: a body that has a decree keeps its officers, and the visit is
not recorded twice.
"""

import datetime

from lkks.letters import issue_letter
from lkks.models import Decree, Letter, Officer
from lkks.officers import decree_record, officer_save
from visits.models import Delegate, FollowUp, StudyVisit
from visits.services import (
    delegate_save,
    follow_up_save,
    report_reference,
    visit_save,
)

VISIT_DAY = datetime.date(2024, 10, 16)

POSITION = Officer.Position

# slug → the profile fields set with its first board.
PROFILES = {
    "kampar": {
        "signing_place": "Bangkinang",
        "letter_number_pattern": "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}",
        "social_office_name": "Dinas Sosial Kabupaten Kampar",
        "social_head_name": "Zamzami Hasan",
    },
    "sleman": {
        "signing_place": "Sleman",
        "letter_number_pattern": "{seq:03d}/LKKS-SLM/{kind}/{month_roman}/{year}",
        "social_office_name": "Dinas Sosial Kabupaten Sleman",
        "social_head_name": "Mustadi, S.Sos, MM",
        "social_secretary_name": "Sigit Indarto, SE, M.Si",
    },
}

# slug → (decree number, issued by, date, term start, term end), [(position, division,
# name, ex officio)].
BOARDS = {
    "kampar": (
        ("100.3.3.2/DINSOS/2024/215", "Pj Bupati Kampar", datetime.date(2024, 6, 3)),
        datetime.date(2024, 6, 3),
        datetime.date(2029, 6, 2),
        [
            (
                POSITION.CHAIR,
                "",
                "Ricana Djayanti Hambali, B.Dsg",
                "Pj Ketua TP-PKK Kabupaten Kampar",
            ),
            (POSITION.EXECUTIVE_CHAIR, "", "Drs. H. Syafrizal Anwar, M.Si", ""),
            (POSITION.SECRETARY, "", "Nurhayati, S.Sos", ""),
            (POSITION.TREASURER, "", "Hj. Rosmaini, SE", ""),
            (POSITION.DIVISION_HEAD, "Pembinaan LKS", "Yusrizal, S.Pd", ""),
        ],
    ),
    "sleman": (
        ("188.4/Kep.KDH/A/2022/118", "Bupati Sleman", datetime.date(2022, 3, 14)),
        datetime.date(2022, 3, 14),
        datetime.date(2027, 3, 13),
        [
            (POSITION.CHAIR, "", "Aly Manshur", ""),
            (POSITION.SECRETARY, "", "Dra. Sri Rahayu Widayati", ""),
            (POSITION.TREASURER, "", "Suparmi, SE", ""),
            (POSITION.DIVISION_HEAD, "Pendampingan LKS", "Drs. Bambang Hermawan", ""),
        ],
    ),
}

PURPOSE = (
    "Berbagi informasi (sharing) tentang tugas pokok, fungsi serta program kerja LKKS "
    "Kabupaten Kampar dengan LKKS Kabupaten Sleman, untuk pengembangan program dan "
    "kemajuan organisasi."
)
BASIS = "Program Kerja LKKS Kabupaten Kampar Tahun 2024"
AGENDA = """1. Sambutan Sekretaris Dinas Sosial Kabupaten Sleman, mewakili Kepala Dinas Sosial.
2. Paparan Ketua Umum LKKS Kabupaten Kampar: 5 program dan 15 kegiatan LKKS Kampar, \
dengan hibah Pemerintah Kabupaten Kampar dan CSR lebih kurang Rp 1,128 miliar.
3. Paparan Ketua LKKS Kabupaten Sleman tentang koordinasi dan pendampingan LKS.
4. Diskusi."""
LESSONS = """LKKS Sleman adalah mitra Dinas Sosial Kabupaten Sleman. Ia mendampingi LKS \
dalam manajemen administrasi, serta dalam konflik sosial maupun hukum bila terjadi \
permasalahan, sehingga banyak LKS sadar akan pentingnya manajemen.

Dari 125 LKS di Kabupaten Sleman, 97 sudah memiliki tanda daftar dan 57 sudah \
terakreditasi; 4 LKS dalam proses tanda daftar (Al Ghifari Turi, Quen Latifa, Permata \
Nusantara, Pdhi Hj Sarwa).

Dinas Sosial Kabupaten Sleman, dengan anggaran lebih kurang Rp 38 miliar, mendukung \
peningkatan kapasitas LKKS lebih kurang Rp 85 juta.

Program Dinas Sosial Kabupaten Sleman yang dipaparkan: Sleman Pintar dan Dinsos PEDAS, \
serta upaya Dinas Sosial Sleman mendapatkan anggaran yang besar."""

DELEGATES = [
    (
        Delegate.Side.VISITING,
        "Ricana Djayanti Hambali, B.Dsg",
        "Ketua Umum LKKS Kabupaten Kampar",
        "LKKS Kabupaten Kampar",
        "Pj Ketua TP-PKK Kabupaten Kampar; memimpin rombongan",
    ),
    (
        Delegate.Side.VISITING,
        "Zamzami Hasan",
        "Kepala Dinas Sosial Kabupaten Kampar",
        "Dinas Sosial Kabupaten Kampar",
        "",
    ),
    (
        Delegate.Side.HOST,
        "Sigit Indarto, SE, M.Si",
        "Sekretaris Dinas Sosial Kabupaten Sleman",
        "Dinas Sosial Kabupaten Sleman",
        "mewakili Kepala Dinas Sosial, Mustadi, S.Sos, MM",
    ),
    (
        Delegate.Side.HOST,
        "Aly Manshur",
        "Ketua LKKS Kabupaten Sleman",
        "LKKS Kabupaten Sleman",
        "",
    ),
]

# What Kampar decided to do after the visit: two done, one still open.
FOLLOW_UPS = [
    (
        (
            "Menyusun pedoman pendampingan LKS (manajemen administrasi, konflik sosial dan "
            "hukum) mengikuti cara LKKS Sleman."
        ),
        "Ketua Bidang Pembinaan LKS",
        datetime.date(2024, 12, 31),
        FollowUp.Status.DONE,
        "Pedoman pendampingan disahkan dalam rapat pengurus 12 Desember 2024.",
    ),
    (
        (
            "Mendata LKS di Kabupaten Kampar yang belum bertanda daftar dan mendampingi "
            "pengajuannya ke Dinas Sosial."
        ),
        "Sekretaris LKKS",
        datetime.date(2025, 3, 31),
        FollowUp.Status.DONE,
        "5 LKS didampingi mengajukan tanda daftar.",
    ),
    (
        (
            "Mengusulkan kepada Dinas Sosial Kabupaten Kampar dukungan anggaran peningkatan "
            "kapasitas LKKS, seperti dukungan Dinas Sosial Sleman kepada LKKS Sleman."
        ),
        "Ketua Harian LKKS",
        datetime.date(2025, 6, 30),
        FollowUp.Status.IN_PROGRESS,
        "",
    ),
]
REPORT_DAY = datetime.date(2024, 10, 21)


def load_people_and_visits(bodies, *, say):
    """Officers and profiles of ``bodies`` (slug → Body), then the visit."""
    for slug, body in bodies.items():
        if Decree.objects.for_body(body).exists():
            continue
        _profile_and_board(body, PROFILES[slug], BOARDS[slug])
        say(f"Recorded the officers of {slug}.")
    kampar, sleman = bodies["kampar"], bodies["sleman"]
    if StudyVisit.objects.filter(visiting_body=kampar, host_body=sleman, date=VISIT_DAY).exists():
        return
    _visit(kampar, sleman)
    say("Recorded the study visit of Kampar to Sleman.")


def _profile_and_board(body, profile, board):
    for name, value in profile.items():
        setattr(body, name, value)
    body.full_clean()
    body.save()
    (number, issued_by, issued_on), term_start, term_end, officers = board
    decree = decree_record(
        decree=Decree(
            body=body,
            number=number,
            issued_on=issued_on,
            issued_by=issued_by,
            subject=f"Susunan Pengurus {body.name} Masa Bakti {term_start.year}–{term_end.year}",
            term_start=term_start,
            term_end=term_end,
        ),
        replaces_board=True,
    )
    for position, portfolio, name, ex_officio in officers:
        officer_save(
            officer=Officer(
                decree=decree,
                position=position,
                portfolio=portfolio,
                name=name,
                ex_officio=ex_officio,
                term_start=term_start,
                term_end=term_end,
            )
        )


def _visit(kampar, sleman):
    visit = visit_save(
        visit=StudyVisit(
            visiting_body=kampar,
            host_body=sleman,
            date=VISIT_DAY,
            start_time=datetime.time(14, 0),
            place="Dinas Sosial Kabupaten Sleman",
            purpose=PURPOSE,
            basis=BASIS,
            agenda=AGENDA,
            lessons=LESSONS,
        ),
        by=None,
    )
    for side, name, position, institution, note in DELEGATES:
        delegate_save(
            delegate=Delegate(
                visit=visit,
                side=side,
                name=name,
                position=position,
                institution=institution,
                note=note,
            ),
            by=None,
        )
    for action, responsible, due_on, status, outcome in FOLLOW_UPS:
        follow_up_save(
            follow_up=FollowUp(
                visit=visit,
                body=kampar,
                action=action,
                responsible=responsible,
                due_on=due_on,
                status=status,
                outcome=outcome,
            ),
            by=None,
        )
    issue_letter(
        body=kampar,
        kind=Letter.Kind.REPORT,
        on=REPORT_DAY,
        subject=f"Laporan hasil studi tiru ke {sleman.name}",
        by=None,
        reference=report_reference(visit),
    )

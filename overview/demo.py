"""The demo data: LKKS Kampar and LKKS Sleman as the seed story tells them (2024).

Every date is fixed in or around fiscal year 2024, so the figures as of 31 December
2024 never change with the day the demo is loaded; see README, "Demo data".
The LKS names other than the four the story names, and the CSR companies, are
invented for the demo.
"""

import datetime
import itertools

from django.db import transaction

from lkks.dates import add_years
from lkks.models import Body, Membership, Region, User
from members.models import Accreditation, Mentoring, Organisation, Registration, TargetGroup
from members.services import (
    accreditation_save,
    mentoring_save,
    organisation_save,
    registration_save,
)
from overview.demo_money import KAMPAR_GRANTS, SLEMAN_GRANTS, account_for_the_year, build_money
from overview.demo_portal import load_portal_demo
from overview.demo_visits import load_people_and_visits
from programs.models import Activity, Program

YEAR = 2024
PASSWORD = "demo"  # published demo logins; load_demo refuses to run without debug
GRANTS = {"kampar": KAMPAR_GRANTS, "sleman": SLEMAN_GRANTS}

# username, first name, last name, {body slug: role}; admin is the superuser.
USERS = [
    ("staf-kampar", "Staf", "LKKS Kampar", {"kampar": Membership.Role.STAFF}),
    ("staf-sleman", "Staf", "LKKS Sleman", {"sleman": Membership.Role.STAFF}),
    ("pejabat-kampar", "Pejabat", "Dinsos Kampar", {"kampar": Membership.Role.OFFICIAL}),
    ("pejabat-sleman", "Pejabat", "Dinsos Sleman", {"sleman": Membership.Role.OFFICIAL}),
    (
        "pejabat-provinsi",
        "Pejabat",
        "Provinsi",
        {"kampar": Membership.Role.OFFICIAL, "sleman": Membership.Role.OFFICIAL},
    ),
]

# The four LKS that the story names as in the registration process, with a kecamatan.
SLEMAN_IN_PROCESS = [
    ("Al Ghifari Turi", "34.04.15"),
    ("Quen Latifa", "34.04.07"),
    ("Permata Nusantara", "34.04.06"),
    ("Pdhi Hj Sarwa", "34.04.12"),
]
SLEMAN_TOTAL, SLEMAN_REGISTERED, SLEMAN_ACCREDITED = 125, 97, 57
# Grades of the 57 accredited LKS, in order.
SLEMAN_GRADES = ["A"] * 12 + ["B"] * 30 + ["C"] * 15

NAME_WORDS = [
    "Al-Ikhlas",
    "Nurul Huda",
    "Darul Ulum",
    "Budi Mulia",
    "Kasih Ibu",
    "Sayap Ibu",
    "Bina Insani",
    "Mardi Wuto",
    "Hafara",
    "Al-Falah",
    "Bhakti Luhur",
    "Tunas Harapan",
    "Sejahtera",
    "Cahaya Bunda",
    "Pelita Hati",
    "Mutiara Hati",
    "Baitul Izzah",
    "Wiyata Dharma",
    "Ar-Rahman",
    "Sinar Kasih",
    "Karya Mandiri",
    "Griya Asih",
    "Harapan Bangsa",
    "Rumah Belajar",
    "Insan Mulia",
]
KIND_PREFIX = {
    Organisation.Kind.LKSA: "Panti Asuhan",
    Organisation.Kind.ELDERLY: "Panti Wredha",
    Organisation.Kind.DISABILITY: "Yayasan Difabel",
    Organisation.Kind.NAPZA: "Rumah Rehabilitasi",
    Organisation.Kind.OTHER: "Yayasan Sosial",
}
KIND_CYCLE = (
    [Organisation.Kind.LKSA] * 6
    + [Organisation.Kind.ELDERLY] * 2
    + [Organisation.Kind.DISABILITY]
    + [Organisation.Kind.LKSA, Organisation.Kind.NAPZA, Organisation.Kind.OTHER]
)
KIND_TARGET_GROUPS = {
    Organisation.Kind.LKSA: ["anak-terlantar", "anak-balita-terlantar"],
    Organisation.Kind.ELDERLY: ["lanjut-usia-terlantar"],
    Organisation.Kind.DISABILITY: ["penyandang-disabilitas", "anak-disabilitas"],
    Organisation.Kind.NAPZA: ["korban-napza"],
    Organisation.Kind.OTHER: ["fakir-miskin", "perempuan-rawan-sosial-ekonomi"],
}
MENTORING_KINDS = [
    Mentoring.Kind.ADMINISTRATIVE,
    Mentoring.Kind.ADMINISTRATIVE,
    Mentoring.Kind.SOCIAL_CONFLICT,
    Mentoring.Kind.LEGAL_CONFLICT,
    Mentoring.Kind.ADMINISTRATIVE,
    Mentoring.Kind.OTHER,
]


def day_of_year(index, *, start=datetime.date(YEAR, 1, 8), span=340):
    """A date spread over the year by a running index, the same on every load."""
    return start + datetime.timedelta(days=(index * 37) % span)


@transaction.atomic
def load_demo(*, stdout=None):
    """Create the demo bodies, users and records; a body that exists is left alone."""
    say = stdout.write if stdout else lambda _line: None
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
        say("Created the superuser admin.")
    built = []
    for slug, builder in (("kampar", build_kampar), ("sleman", build_sleman)):
        if Body.objects.filter(slug=slug).exists():
            say(f"Body {slug} exists already; left as it is.")
        else:
            builder()
            built.append(slug)
            say(f"Created body {slug} with its demo records.")
    bodies = {body.slug: body for body in Body.objects.filter(slug__in=["kampar", "sleman"])}
    for username, first_name, last_name, roles in USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            # An example address (example.org never receives mail), so that the daily
            # reminders of a fresh demo reach its staff (printed by the console mailer).
            user = User.objects.create_user(
                username,
                email=f"{username}@example.org",
                password=PASSWORD,
                first_name=first_name,
                last_name=last_name,
            )
            say(f"Created user {username}.")
        for slug, role in roles.items():
            Membership.objects.get_or_create(user=user, body=bodies[slug], defaults={"role": role})
    load_people_and_visits(bodies, say=say)
    load_portal_demo(bodies, say=say)
    for slug in built:
        # After the officers: the LPJ's cover letter takes its number from the body's
        # register, in the pattern its profile sets.
        account_for_the_year(bodies[slug], GRANTS[slug])
        say(f"Accounted for the 2024 grants of {slug}.")


def _target_groups(kind):
    return TargetGroup.objects.filter(code__in=KIND_TARGET_GROUPS[kind])


def _organisation(body, *, name, district, kind, index):
    villages = list(district.children.all()[:5])
    return organisation_save(
        organisation=Organisation(
            body=body,
            name=name,
            kind=kind,
            legal_form=(
                Organisation.LegalForm.ASSOCIATION
                if index % 7 == 3
                else Organisation.LegalForm.FOUNDATION
            ),
            district=district,
            village=villages[index % len(villages)] if villages else None,
            address=f"Jl. {NAME_WORDS[index % len(NAME_WORDS)]} No. {index % 90 + 1}",
            phone=f"0812-{2000 + index:04d}-{3000 + index * 7 % 1000:04d}",
            chairperson=["Siti Aminah", "Budi Santoso", "Sri Wahyuni", "Ahmad Fauzi"][index % 4],
            founded_on=datetime.date(1985 + index % 35, index % 12 + 1, 1),
            client_count=15 + index * 7 % 60,
        ),
        target_groups=_target_groups(kind),
    )


def _register(organisation, *, number, issued_on):
    registration_save(
        registration=Registration(
            organisation=organisation,
            status=Registration.Status.REGISTERED,
            number=number,
            issuer="Dinas Sosial",
            submitted_on=issued_on - datetime.timedelta(days=21),
            issued_on=issued_on,
            valid_until=add_years(issued_on, 5),
        )
    )


def _accredit(organisation, *, grade, accredited_on, number):
    accreditation_save(
        accreditation=Accreditation(
            organisation=organisation,
            status=Accreditation.Status.ACCREDITED,
            grade=grade,
            certificate_number=number,
            submitted_on=accredited_on - datetime.timedelta(days=60),
            accredited_on=accredited_on,
        )
    )


def build_sleman():
    body = Body.objects.create(
        name="LKKS Kabupaten Sleman",
        slug="sleman",
        regency=Region.objects.get(code="34.04"),
        address="Jl. Parasamya, Beran, Tridadi, Sleman, Daerah Istimewa Yogyakarta",
        letterhead_title="LEMBAGA KOORDINASI KESEJAHTERAAN SOSIAL KABUPATEN SLEMAN",
        letterhead_subtitle="Mitra Dinas Sosial Kabupaten Sleman",
        chairperson="Aly Manshur",
    )
    districts = list(Region.objects.filter(parent__code="34.04").order_by("code"))
    by_code = {district.code: district for district in districts}
    in_process_names = {name for name, _code in SLEMAN_IN_PROCESS}
    names = (
        f"{KIND_PREFIX[kind]} {word}"
        for kind, word in zip(
            itertools.cycle(KIND_CYCLE), itertools.cycle(NAME_WORDS), strict=False
        )
    )
    generated = []
    for index in range(SLEMAN_TOTAL - len(SLEMAN_IN_PROCESS)):
        kind = KIND_CYCLE[index % len(KIND_CYCLE)]
        district = districts[index % len(districts)]
        name = f"{next(names)} {district.name}"
        assert name not in in_process_names
        generated.append(_organisation(body, name=name, district=district, kind=kind, index=index))

    for index, organisation in enumerate(generated[:SLEMAN_REGISTERED]):
        # Issued from mid-2022 to December 2024: valid five years, so every one of
        # them is still valid on 31 December 2024 (and until mid-2027).
        issued_on = datetime.date(2022, 7, 1) + datetime.timedelta(days=index * 9)
        _register(
            organisation,
            number=f"460/{index + 1:03d}/TD/DINSOS/{issued_on.year}",
            issued_on=issued_on,
        )
        if index < SLEMAN_ACCREDITED:
            _accredit(
                organisation,
                grade=SLEMAN_GRADES[index],
                accredited_on=datetime.date(2024, 1, 15) + datetime.timedelta(days=index * 5),
                number=f"BALKS/{index + 1:03d}/2024",
            )

    for index, (name, code) in enumerate(SLEMAN_IN_PROCESS):
        organisation = _organisation(
            body, name=name, district=by_code[code], kind=Organisation.Kind.LKSA, index=index
        )
        registration_save(
            registration=Registration(
                organisation=organisation,
                status=Registration.Status.SUBMITTED,
                issuer="Dinas Sosial",
                submitted_on=datetime.date(YEAR, 9, 2) + datetime.timedelta(days=index * 14),
            )
        )

    # Of the unregistered LKS, a few applied and were rejected; the rest never applied.
    for index, organisation in enumerate(generated[SLEMAN_REGISTERED:][:5]):
        registration_save(
            registration=Registration(
                organisation=organisation,
                status=Registration.Status.REJECTED,
                issuer="Dinas Sosial",
                submitted_on=datetime.date(2023, 3, 1) + datetime.timedelta(days=index * 30),
                notes="Berkas belum lengkap (akta dan izin operasional).",
            )
        )

    for index in range(40):
        organisation = generated[(index * 13) % len(generated)]
        visit = day_of_year(index)
        mentoring_save(
            mentoring=Mentoring(
                organisation=organisation,
                date=visit,
                kind=MENTORING_KINDS[index % len(MENTORING_KINDS)],
                activities="Pendampingan pengurus LKS: tata kelola administrasi dan laporan.",
                follow_up_on=visit + datetime.timedelta(days=30) if index % 3 == 0 else None,
                officer=["Aly Manshur", "Tim Pendamping LKKS"][index % 2],
            )
        )

    build_money(
        body,
        programs=[
            (
                "P01",
                "Penguatan Kapasitas LKKS dan LKS",
                Program.Category.INSTITUTIONAL,
                [
                    ("Bimtek manajemen administrasi LKS", Activity.Kind.CAPACITY_BUILDING, 45),
                    ("Pendampingan konflik sosial dan hukum LKS", Activity.Kind.MENTORING, 25),
                    ("Penerimaan study tiru LKKS Kabupaten Kampar", Activity.Kind.COORDINATION, 15),
                ],
            ),
        ],
        grants=SLEMAN_GRANTS,
        day_of_year=day_of_year,
    )


def build_kampar():
    body = Body.objects.create(
        name="LKKS Kabupaten Kampar",
        slug="kampar",
        regency=Region.objects.get(code="14.01"),
        address="Jl. Prof. M. Yamin, SH, Bangkinang Kota, Kabupaten Kampar, Riau",
        letterhead_title="LEMBAGA KOORDINASI KESEJAHTERAAN SOSIAL KABUPATEN KAMPAR",
        letterhead_subtitle="Sekretariat: Dinas Sosial Kabupaten Kampar",
        chairperson="Ricana Djayanti",
    )
    districts = list(Region.objects.filter(parent__code="14.01").order_by("code")[:8])
    for index in range(12):
        kind = KIND_CYCLE[index % len(KIND_CYCLE)]
        district = districts[index % len(districts)]
        organisation = _organisation(
            body,
            name=f"{KIND_PREFIX[kind]} {NAME_WORDS[-1 - index]} {district.name}",
            district=district,
            kind=kind,
            index=index,
        )
        if index < 7:
            issued_on = datetime.date(2023, 2, 1) + datetime.timedelta(days=index * 40)
            _register(
                organisation,
                number=f"400.9/{index + 1:03d}/DINSOS-KPR/{issued_on.year}",
                issued_on=issued_on,
            )
        if index < 3:
            _accredit(
                organisation,
                grade="B",
                accredited_on=datetime.date(2024, 5, 20),
                number=f"BALKS/KPR/{index + 1:03d}/2024",
            )
        if index in (7, 8):
            registration_save(
                registration=Registration(
                    organisation=organisation,
                    status=Registration.Status.SUBMITTED,
                    issuer="Dinas Sosial",
                    submitted_on=datetime.date(YEAR, 11, 4 + index),
                )
            )

    # 5 programs, 15 activities: two institutional programs hold 10 activities, three
    # social-community programs hold 5; budgets in juta, together Rp 1.128.000.000.
    build_money(
        body,
        programs=[
            (
                "P01",
                "Penguatan Kelembagaan LKKS",
                Program.Category.INSTITUTIONAL,
                [
                    (
                        "Rapat koordinasi LKKS dan LKS se-Kabupaten Kampar",
                        Activity.Kind.COORDINATION,
                        80,
                    ),
                    ("Rapat kerja tahunan LKKS", Activity.Kind.COORDINATION, 60),
                    ("Operasional sekretariat LKKS", Activity.Kind.OTHER, 120),
                    ("Penyusunan profil dan basis data LKS", Activity.Kind.OTHER, 50),
                    ("Monitoring dan evaluasi LKS", Activity.Kind.MONITORING, 70),
                ],
            ),
            (
                "P02",
                "Peningkatan Kapasitas SDM dan Tata Kelola",
                Program.Category.INSTITUTIONAL,
                [
                    ("Bimtek pengurus LKS", Activity.Kind.CAPACITY_BUILDING, 90),
                    ("Pendampingan pendaftaran dan akreditasi LKS", Activity.Kind.MENTORING, 60),
                    ("Study tiru ke LKKS Kabupaten Sleman", Activity.Kind.CAPACITY_BUILDING, 110),
                    (
                        "Pelatihan administrasi dan keuangan LKS",
                        Activity.Kind.CAPACITY_BUILDING,
                        35,
                    ),
                    ("Sosialisasi kebijakan kesejahteraan sosial", Activity.Kind.ADVOCACY, 25),
                ],
            ),
            (
                "P03",
                "Pelayanan Sosial Anak dan Lanjut Usia",
                Program.Category.SOCIAL,
                [
                    ("Santunan anak yatim dan LKSA", Activity.Kind.SOCIAL_SERVICE, 150),
                    ("Pelayanan lanjut usia terlantar", Activity.Kind.SOCIAL_SERVICE, 90),
                ],
            ),
            (
                "P04",
                "Pemberdayaan Penyandang Disabilitas",
                Program.Category.SOCIAL,
                [
                    ("Bantuan alat bantu penyandang disabilitas", Activity.Kind.SOCIAL_SERVICE, 85),
                    (
                        "Pelatihan keterampilan penyandang disabilitas",
                        Activity.Kind.CAPACITY_BUILDING,
                        45,
                    ),
                ],
            ),
            (
                "P05",
                "Bakti Sosial dan Tanggap Bencana",
                Program.Category.SOCIAL,
                [
                    ("Bakti sosial dan tanggap bencana", Activity.Kind.SOCIAL_SERVICE, 58),
                ],
            ),
        ],
        grants=KAMPAR_GRANTS,
        day_of_year=day_of_year,
    )

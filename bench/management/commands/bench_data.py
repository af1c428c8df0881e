"""Generate benchmark data at a scale: one regency or the whole country.

Rows are written with bulk_create, not through the services: the figures are built to
respect the money rules, and a national data set through the services would take
hours. Regions are synthetic (codes starting with "B") so that they never clash with
the Kemendagri codes the project ships.
"""

import datetime
import random
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from grants.models import Agreement, Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.dates import add_years
from lkks.models import Body, Membership, Region, User
from members.models import Accreditation, Mentoring, Organisation, Registration
from programs.models import Activity, Program

PASSWORD = "bench"  # a throw-away database made for measuring
LAST_YEAR = 2024
SCALES = {
    # bodies, LKS per body, fiscal years, activities per year, expenditures per activity
    "regency": {"bodies": 1, "lks": 500, "years": 5, "activities": 24, "expenditures": 10},
    "national": {"bodies": 514, "lks": 58, "years": 5, "activities": 16, "expenditures": 10},
}
BODIES_PER_PROVINCE = 14
DISTRICTS_PER_REGENCY = 8
BATCH = 5000


class Command(BaseCommand):
    help = "Fill an empty database with benchmark data (regency or national scale)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), required=True)
        parser.add_argument("--seed", type=int, default=2024)

    def handle(self, *args, scale, seed, **options):
        if Body.objects.exists():
            raise CommandError("The database has bodies already; bench data needs an empty one.")
        spec = SCALES[scale]
        self.random = random.Random(seed)
        with transaction.atomic():
            bodies = [self.make_body(index, spec) for index in range(spec["bodies"])]
            self.make_users(bodies)
        self.stdout.write(
            f"{scale}: {Body.objects.count()} bodies, {Organisation.objects.count()} LKS, "
            f"{Activity.objects.count()} activities, {Expenditure.objects.count()} expenditures"
        )

    def regency(self, index):
        province_code = f"B{index // BODIES_PER_PROVINCE:02d}"
        province, _created = Region.objects.get_or_create(
            code=province_code,
            defaults={"name": f"PROVINSI UJI {province_code}", "level": Region.Level.PROVINCE},
        )
        code = f"{province_code}.{index % BODIES_PER_PROVINCE + 1:02d}"
        regency = Region.objects.create(
            code=code, name=f"KAB. UJI {code}", level=Region.Level.REGENCY, parent=province
        )
        districts = Region.objects.bulk_create(
            Region(
                code=f"{code}.{number:02d}",
                name=f"Sukamaju {number}",
                level=Region.Level.DISTRICT,
                parent=regency,
            )
            for number in range(1, DISTRICTS_PER_REGENCY + 1)
        )
        return regency, districts

    def make_body(self, index, spec):
        rnd = self.random
        regency, districts = self.regency(index)
        body = Body.objects.create(
            name=f"LKKS {regency.name.title()}", slug=f"bench-{index:03d}", regency=regency
        )
        kinds = [choice for choice, _label in Organisation.Kind.choices]
        organisations = Organisation.objects.bulk_create(
            (
                Organisation(
                    body=body,
                    name=f"LKS Uji {index:03d}-{number:04d}",
                    kind=rnd.choice(kinds),
                    district=districts[number % len(districts)],
                    chairperson="Ketua Uji",
                    client_count=rnd.randint(5, 120),
                )
                for number in range(spec["lks"])
            ),
            batch_size=BATCH,
        )
        registrations, accreditations, mentorings = [], [], []
        for number, organisation in enumerate(organisations):
            roll = rnd.random()
            issued = datetime.date(2021, 1, 1) + datetime.timedelta(days=rnd.randint(0, 1400))
            if roll < 0.78:
                registrations.append(
                    Registration(
                        organisation=organisation,
                        body=body,
                        status=Registration.Status.REGISTERED,
                        number=f"{index:03d}/{number:05d}/TD",
                        issued_on=issued,
                        valid_until=add_years(issued, 5 if roll < 0.74 else 2),
                    )
                )
                if roll < 0.45:
                    grade = rnd.choice("AABBBC")
                    accredited = issued + datetime.timedelta(days=90)
                    accreditations.append(
                        Accreditation(
                            organisation=organisation,
                            status=Accreditation.Status.ACCREDITED,
                            grade=grade,
                            accredited_on=accredited,
                            valid_until=add_years(
                                accredited, Accreditation.DEFAULT_VALIDITY_YEARS[grade]
                            ),
                        )
                    )
            elif roll < 0.81:
                registrations.append(
                    Registration(
                        organisation=organisation,
                        body=body,
                        status=Registration.Status.SUBMITTED,
                        submitted_on=datetime.date(LAST_YEAR, 9, 1),
                    )
                )
            if number % 4 == 0:
                mentorings.append(
                    Mentoring(
                        organisation=organisation,
                        date=datetime.date(LAST_YEAR, 1 + number % 12, 10),
                        kind=rnd.choice([choice for choice, _label in Mentoring.Kind.choices]),
                        activities="Pendampingan administrasi.",
                        officer="Petugas Uji",
                    )
                )
        Registration.objects.bulk_create(registrations, batch_size=BATCH)
        Accreditation.objects.bulk_create(accreditations, batch_size=BATCH)
        Mentoring.objects.bulk_create(mentorings, batch_size=BATCH)
        self.make_money(body, organisations, districts, spec)
        return body

    def make_money(self, body, organisations, districts, spec):
        rnd = self.random
        hibah, csr = Funder.objects.bulk_create(
            [
                Funder(body=body, name="Pemerintah Kabupaten Uji", kind=Funder.Kind.HIBAH_APBD),
                Funder(body=body, name="CSR Perusahaan Uji", kind=Funder.Kind.CSR),
            ]
        )
        statuses = [choice for choice, _label in Activity.Status.choices]
        for year in range(LAST_YEAR - spec["years"] + 1, LAST_YEAR + 1):
            programs = Program.objects.bulk_create(
                Program(
                    body=body,
                    fiscal_year=year,
                    code=f"P0{number}",
                    name=f"Program uji {number}",
                    category=(
                        Program.Category.INSTITUTIONAL if number < 3 else Program.Category.SOCIAL
                    ),
                )
                for number in range(1, 5)
            )
            activities = Activity.objects.bulk_create(
                Activity(
                    program=programs[number % len(programs)],
                    name=f"Kegiatan uji {year}-{number}",
                    kind=Activity.Kind.CAPACITY_BUILDING,
                    planned_start=datetime.date(year, 1 + number % 12, 5),
                    planned_end=datetime.date(year, 1 + number % 12, 7),
                    district=districts[number % len(districts)],
                    budget=Decimal(rnd.randint(10, 90) * 1_000_000),
                    status=statuses[number % len(statuses)],
                    target_participants=40,
                    actual_participants=35,
                )
                for number in range(spec["activities"])
            )
            Activity.participants.through.objects.bulk_create(
                Activity.participants.through(
                    activity_id=activity.pk,
                    organisation_id=organisations[i % len(organisations)].pk,
                )
                for i, activity in enumerate(activities)
            )
            for program in programs:
                program.budget_ceiling = sum(
                    (a.budget for a in activities if a.program_id == program.pk), Decimal(0)
                )
            Program.objects.bulk_update(programs, ["budget_ceiling"])
            total = sum((activity.budget for activity in activities), Decimal(0))
            grant, csr_grant = Grant.objects.bulk_create(
                [
                    Grant(
                        funder=hibah,
                        fiscal_year=year,
                        name=f"Hibah {year}",
                        amount=total,
                        lpj_due_on=datetime.date(year + 1, 1, 10),
                    ),
                    Grant(
                        funder=csr,
                        fiscal_year=year,
                        name=f"CSR {year}",
                        amount=Decimal(50_000_000),
                    ),
                ]
            )
            Agreement.objects.bulk_create(
                Agreement(
                    grant=agreed,
                    kind=kind,
                    number=f"{kind.upper()}/{agreed.pk}/{year}",
                    signed_on=datetime.date(year, 1, 15),
                )
                for agreed, kind in ((grant, Agreement.Kind.NPHD), (csr_grant, Agreement.Kind.MOU))
            )
            allocations = {
                allocation.activity_id: allocation
                for allocation in Allocation.objects.bulk_create(
                    Allocation(grant=grant, activity=activity, amount=activity.budget)
                    for activity in activities
                )
            }
            Disbursement.objects.bulk_create(
                [
                    Disbursement(
                        grant=grant, date=datetime.date(year, 3, 1), amount=total * 6 / 10
                    ),
                    Disbursement(
                        grant=grant, date=datetime.date(year, 7, 1), amount=total * 4 / 10
                    ),
                    Disbursement(
                        grant=csr_grant, date=datetime.date(year, 4, 1), amount=Decimal(50_000_000)
                    ),
                ]
            )
            per_activity = spec["expenditures"]
            Expenditure.objects.bulk_create(
                (
                    Expenditure(
                        allocation=allocations[activity.pk],
                        grant=grant,
                        activity=activity,
                        date=activity.planned_start,
                        amount=(activity.budget * 9 / 10 / per_activity).quantize(Decimal(1)),
                        description=f"Belanja uji {number}",
                        receipt_number=f"KW-{activity.pk}-{number}",
                    )
                    for activity in activities
                    for number in range(per_activity)
                ),
                batch_size=BATCH,
            )

    def make_users(self, bodies):
        User.objects.create_superuser("bench-admin", "admin@example.org", PASSWORD)
        roles = [
            ("bench-staff", Membership.Role.STAFF, bodies[:1]),
            ("bench-official", Membership.Role.OFFICIAL, bodies[:1]),
            ("bench-provincial", Membership.Role.OFFICIAL, bodies[:BODIES_PER_PROVINCE]),
        ]
        for username, role, members_of in roles:
            user = User.objects.create_user(username, password=PASSWORD)
            Membership.objects.bulk_create(
                Membership(user=user, body=body, role=role) for body in members_of
            )

"""What the annual report of a body shows: its LKS by status and grade, mentoring,
programs with their activities and money, photos, and grants by funder kind.

The selector gathers it in a fixed number of queries whatever the number of LKS,
activities or grants, into plain dataclasses, so that the template (rendered twice: as
HTML and as PDF) never runs a query of its own. The caller finds the body through the
user's bodies first.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Prefetch
from django.urls import reverse
from django.utils import timezone

from grants.models import Funder, Grant
from lkks.documents import Letterhead, place_name
from lkks.models import Letter, Officer
from lkks.money import percent
from lkks.signatures import SignatureBlock, signature_block
from members.models import Mentoring, Organisation, RegistrationStatus
from overview.dashboard import GRADES, as_of_date
from programs.models import Activity, ActivityPhoto, Program

# Photos shown in the annual report: enough to show the year, few enough for two pages.
PHOTO_LIMIT = 6


@dataclass
class LksFigures:
    total: int = 0
    by_status: dict = field(default_factory=lambda: dict.fromkeys(RegistrationStatus.values, 0))
    by_grade: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    in_process: list = field(default_factory=list)  # the names of those in process

    @property
    def accredited(self):
        return sum(self.by_grade.values())

    @property
    def shares(self):
        """Each status's share of all LKS, in percent (None when there are none)."""
        return {status: percent(count, self.total) for status, count in self.by_status.items()}

    @property
    def grades(self):
        return [(grade, self.by_grade[grade]) for grade in GRADES]


@dataclass
class MoneyRow:
    label: str
    grant_count: int = 0
    amount: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)

    @property
    def absorption_pct(self):
        """Spent ÷ grant total (realisasi ÷ hibah)."""
        return percent(self.spent, self.amount)

    def add(self, grant):
        self.grant_count += 1
        self.amount += grant.amount
        self.disbursed += grant.disbursed
        self.spent += grant.spent


@dataclass(frozen=True)
class Photo:
    url: str  # the download URL; the PDF gets the same file from disk
    caption: str
    activity: str
    stored: object  # the FieldFile


@dataclass
class AnnualReport:
    body: object
    year: int
    as_of: datetime.date
    today: datetime.date
    place: str
    letterhead: Letterhead
    lks: LksFigures
    mentoring: list  # (kind label, visits)
    programs: list  # Program with its activities, progress and money
    photos: list
    money: list  # MoneyRow per funder kind with grants
    money_total: MoneyRow
    letter: Letter | None = None  # its number in the body's letter register, once issued
    signatures: SignatureBlock | None = None

    @property
    def mentoring_total(self):
        return sum(visits for _label, visits in self.mentoring)

    @property
    def program_budget(self):
        return sum((program.budget_ceiling for program in self.programs), Decimal(0))

    @property
    def program_spent(self):
        return sum((program.spent for program in self.programs), Decimal(0))

    @property
    def program_absorption_pct(self):
        return percent(self.program_spent, self.program_budget)

    @property
    def activity_count(self):
        return sum(program.activity_count for program in self.programs)

    @property
    def activities_done(self):
        return sum(program.done_count for program in self.programs)


def lks_figures(body, on):
    """The body's LKS by registration status and accreditation grade as of ``on``."""
    figures = LksFigures()
    rows = (
        Organisation.objects.for_body(body)
        .with_status(on=on)
        .order_by("name", "pk")
        .values_list("name", "registration_status", "accreditation_grade")
    )
    for name, status, grade in rows:
        figures.total += 1
        figures.by_status[status] += 1
        if grade in figures.by_grade:
            figures.by_grade[grade] += 1
        if status == RegistrationStatus.IN_PROCESS:
            figures.in_process.append(name)
    return figures


def mentoring_by_kind(body, year):
    visits = dict(
        Mentoring.objects.for_body(body)
        .filter(date__year=year)
        .order_by()
        .values_list("kind")
        .annotate(visits=Count("pk"))
    )
    return [(kind.label, visits.get(kind.value, 0)) for kind in Mentoring.Kind]


def programs_of_year(body, year):
    """The year's programs with their progress and money, each with its activities."""
    activities = (
        Activity.objects.with_money()
        .select_related("district")
        .order_by("planned_start", "actual_start", "pk")
    )
    return list(
        Program.objects.for_body(body)
        .for_year(year)
        .with_progress()
        .order_by("code", "pk")
        .prefetch_related(Prefetch("activities", queryset=activities))
    )


def photos_of_year(body, year, limit=PHOTO_LIMIT):
    photos = (
        ActivityPhoto.objects.for_body(body)
        .filter(activity__program__fiscal_year=year)
        .select_related("activity")
        .order_by("taken_on", "pk")[:limit]
    )
    return [photo_of(photo) for photo in photos]


def photo_of(photo):
    """The thumbnail (or, for a photo stored without one, the photo itself)."""
    field_name = "thumbnail" if photo.thumbnail else "image"
    return Photo(
        url=reverse("file", args=[f"activityphoto-{field_name}", photo.pk]),
        caption=photo.caption,
        activity=photo.activity.name,
        stored=getattr(photo, field_name),
    )


def money_by_source(body, year):
    """The year's grants (proposals left out) by funder kind, and their total."""
    grants = (
        Grant.objects.for_body(body).for_year(year).agreed().with_totals().select_related("funder")
    )
    rows = {kind: MoneyRow(label=kind.label) for kind in Funder.Kind}
    total = MoneyRow(label="")
    for grant in grants:
        rows[grant.funder.kind].add(grant)
        total.add(grant)
    return [row for row in rows.values() if row.grant_count], total


def latest_year(body, today):
    """The latest fiscal year, not after this one, in which the body has programs or
    grants; this year when it has none (two queries)."""
    years = [
        queryset.for_body(body)
        .filter(fiscal_year__lte=today.year)
        .aggregate(latest=Max("fiscal_year"))["latest"]
        for queryset in (Program.objects.all(), Grant.objects.all())
    ]
    return max((year for year in years if year), default=today.year)


def annual_report_reference(year) -> str:
    """What the annual report of a year is in the body's letter register."""
    return f"annual-report:{year}"


def annual_report(*, body, year, today=None) -> AnnualReport:
    """Everything the annual report of ``body`` for ``year`` shows (eight queries). It is
    signed by the Sekretaris and the Ketua Umum in office on the day it was numbered
    (today, for a report not numbered yet)."""
    today = today or timezone.localdate()
    as_of = as_of_date(year, today)
    money, money_total = money_by_source(body, year)
    letter = Letter.objects.for_body(body).for_reference(annual_report_reference(year)).first()
    signed_on = letter.date if letter else today
    return AnnualReport(
        body=body,
        year=year,
        as_of=as_of,
        today=today,
        place=place_name(body),
        letterhead=Letterhead.of(body),
        lks=lks_figures(body, as_of),
        mentoring=mentoring_by_kind(body, year),
        programs=programs_of_year(body, year),
        photos=photos_of_year(body, year),
        money=money,
        money_total=money_total,
        letter=letter,
        signatures=signature_block(
            body, on=signed_on, positions=[Officer.Position.SECRETARY, Officer.Position.CHAIR]
        ),
    )

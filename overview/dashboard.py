"""The figures of the dashboard, the comparison and the JSON summary.

Every figure is an aggregate computed by the database, in a fixed number of queries
whatever the number of LKS, programs or bodies: ``body_figures`` answers for several
bodies at once (one query per kind of figure, grouped by body) and ``dashboard`` adds
the lists one body's page shows. Both return plain dataclasses, lists and dicts, so
that templates, the CSV and the JSON never run a query of their own.

The caller decides which bodies a user may read (``lkks.access``); these selectors
only narrow each model to those bodies through the model's own ``body_path``.
"""

import datetime
import functools
import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from heapq import nlargest
from operator import attrgetter

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from grants.models import Allocation, Disbursement, Expenditure, Funder, Grant
from lkks.exports import Strong
from lkks.models import Body
from lkks.money import percent
from members.applications import Application, waiting_too_long
from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Registration,
    RegistrationStatus,
)
from overview.policy import EXPIRY_WINDOW_DAYS, FOLLOW_UP_DUE_WINDOW_DAYS, LPJ_DUE_WINDOW_DAYS
from programs.models import Activity, Program
from visits.models import FollowUp

# Longer lists are cut on the page (which says so); the figures count them all.
LIST_LIMIT = 50
RECENT_CHANGES = 10

GRADES = [grade.value for grade in Accreditation.Grade]


def as_of_date(year, today=None):
    """The day LKS statuses are counted on: today for the current (or a future) year,
    31 December for a past one."""
    today = today or timezone.localdate()
    if year >= today.year:
        return today
    return datetime.date(year, 12, 31)


def of_bodies(queryset, bodies):
    """The rows of ``queryset`` that belong to ``bodies``, through its ``body_path``."""
    return queryset.filter(**{f"{queryset.body_path}__in": bodies})


def fiscal_years(bodies):
    """The fiscal years that have programs or grants in any of ``bodies``, newest first
    (one query)."""
    programs = of_bodies(Program.objects.order_by(), bodies).values_list("fiscal_year")
    grants = of_bodies(Grant.objects.order_by(), bodies).values_list("fiscal_year")
    # A union takes the first model's default ordering unless told otherwise.
    years = programs.union(grants).order_by("-fiscal_year")
    return [year for (year,) in years]


def default_year(years, today=None):
    """The latest fiscal year with data, else the current year."""
    return years[0] if years else (today or timezone.localdate()).year


# What the comparison and the JSON need, for several bodies at once


@dataclass
class OrganisationFigures:
    total: int = 0
    registered: int = 0
    in_process: int = 0
    unregistered: int = 0
    expired: int = 0
    accredited_by_grade: dict = field(default_factory=lambda: dict.fromkeys(GRADES, 0))
    expiring_90_days: int = 0
    mentoring_by_kind: dict = field(default_factory=lambda: dict.fromkeys(Mentoring.Kind.values, 0))

    @property
    def accredited(self):
        return sum(self.accredited_by_grade.values())

    @property
    def mentoring(self):
        return sum(self.mentoring_by_kind.values())

    @property
    def registered_pct(self):
        return percent(self.registered, self.total)

    @property
    def in_process_pct(self):
        return percent(self.in_process, self.total)

    @property
    def unregistered_pct(self):
        return percent(self.unregistered, self.total)

    @property
    def expired_pct(self):
        return percent(self.expired, self.total)

    @property
    def accredited_pct(self):
        """Accredited LKS among all LKS of the body (not only the registered ones)."""
        return percent(self.accredited, self.total)


def _by_category_and_status():
    return {
        category: dict.fromkeys(Activity.Status.values, 0) for category in Program.Category.values
    }


@dataclass
class ProgramFigures:
    total: int = 0
    by_category: dict = field(default_factory=lambda: dict.fromkeys(Program.Category.values, 0))
    activities_by_category: dict = field(default_factory=_by_category_and_status)
    participants: int = 0
    organisations_reached: int = 0

    @property
    def activities_by_status(self):
        totals = dict.fromkeys(Activity.Status.values, 0)
        for counts in self.activities_by_category.values():
            for status, count in counts.items():
                totals[status] += count
        return totals

    @property
    def activities(self):
        return sum(self.activities_by_status.values())

    @property
    def activities_done(self):
        return self.activities_by_status[Activity.Status.DONE]

    @property
    def activities_planned(self):
        """The activities that are to happen: all but the cancelled."""
        return self.activities - self.activities_by_status[Activity.Status.CANCELLED]

    @property
    def activities_done_pct(self):
        return percent(self.activities_done, self.activities_planned)

    @property
    def category_rows(self):
        """Per category: its label, programs, activities by status (in the order of
        ``Activity.Status``) and activities in all."""
        return [
            {
                "label": capfirst(label),
                "programs": self.by_category[category],
                "statuses": list(self.activities_by_category[category].values()),
                "activities": sum(self.activities_by_category[category].values()),
            }
            for category, label in Program.Category.choices
        ]


@dataclass
class Money:
    total: Decimal = Decimal(0)
    allocated: Decimal = Decimal(0)
    disbursed: Decimal = Decimal(0)
    spent: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)

    @property
    def cash_held(self):
        """What was received and neither spent nor returned (never below zero: the
        money rules keep spending and returns within the cash)."""
        return self.disbursed - self.spent - self.returned

    @property
    def absorption_pct(self):
        """Spent ÷ grant total (realisasi ÷ pagu hibah)."""
        return percent(self.spent, self.total)

    def add(self, other):
        self.total += other.total
        self.allocated += other.allocated
        self.disbursed += other.disbursed
        self.spent += other.spent
        self.returned += other.returned


@dataclass
class MoneyFigures:
    by_funder_kind: dict = field(default_factory=lambda: {kind: Money() for kind in Funder.Kind})
    lpj_overdue: int = 0
    # The year's agreed grants by their stage in the cycle (disbursed, LPJ submitted, …).
    by_stage: dict = field(default_factory=lambda: dict.fromkeys(Grant.Stage, 0))

    @property
    def kind_rows(self):
        """(label, Money) for every kind of funder, in the order of ``Funder.Kind``."""
        return [(capfirst(label), self.by_funder_kind[kind]) for kind, label in Funder.Kind.choices]

    @property
    def totals(self):
        totals = Money()
        for money in self.by_funder_kind.values():
            totals.add(money)
        return totals


@dataclass
class BodyFigures:
    organisations: OrganisationFigures = field(default_factory=OrganisationFigures)
    programs: ProgramFigures = field(default_factory=ProgramFigures)
    money: MoneyFigures = field(default_factory=MoneyFigures)


def expiring_registrations(on):
    """Registrations that keep an LKS registered on ``on`` and end within the window
    (``on`` to ``on`` + 90 days, both included)."""
    return Registration.objects.current_expiring(
        on, on + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    )


def expiring_accreditations(on):
    """Accreditations in force on ``on`` that end within the window."""
    return Accreditation.objects.current_expiring(
        on, on + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    )


def _grouped(queryset, *keys, **aggregates):
    return queryset.order_by().values(*keys).annotate(**aggregates)


def body_figures(bodies, year, *, as_of=None, today=None):
    """The figures of each body for a fiscal year, by body pk, in eight queries.

    ``as_of`` is the day LKS are counted on (see ``as_of_date``); LPJ are overdue as of
    ``today``. Every body of ``bodies`` has an entry, zeros when it has no data.
    """
    today = today or timezone.localdate()
    as_of = as_of or as_of_date(year, today)
    bodies = list(bodies)
    figures = {body.pk: BodyFigures() for body in bodies}

    organisations = of_bodies(Organisation.objects.all(), bodies)
    for row in _grouped(
        organisations.with_status(on=as_of),
        "body",
        "registration_status",
        "accreditation_grade",
        lks_count=Count("pk"),
    ):
        counted = figures[row["body"]].organisations
        counted.total += row["lks_count"]
        status = row["registration_status"]
        if status in RegistrationStatus.values:
            setattr(counted, status, getattr(counted, status) + row["lks_count"])
        if row["accreditation_grade"] in counted.accredited_by_grade:
            counted.accredited_by_grade[row["accreditation_grade"]] += row["lks_count"]

    expiring = organisations.filter(
        Exists(expiring_registrations(as_of).filter(organisation=OuterRef("pk")))
        | Exists(expiring_accreditations(as_of).filter(organisation=OuterRef("pk")))
    )
    for row in _grouped(expiring, "body", lks_count=Count("pk")):
        figures[row["body"]].organisations.expiring_90_days = row["lks_count"]

    mentoring = of_bodies(Mentoring.objects.all(), bodies).filter(date__year=year)
    for row in _grouped(mentoring, "organisation__body", "kind", visits=Count("pk")):
        figures[row["organisation__body"]].organisations.mentoring_by_kind[row["kind"]] = row[
            "visits"
        ]

    programs = of_bodies(Program.objects.all(), bodies).for_year(year)
    for row in _grouped(programs, "body", "category", program_count=Count("pk")):
        counted = figures[row["body"]].programs
        counted.by_category[row["category"]] = row["program_count"]
        counted.total += row["program_count"]

    activities = of_bodies(Activity.objects.all(), bodies).for_year(year)
    for row in _grouped(
        activities,
        "program__body",
        "program__category",
        "status",
        activity_count=Count("pk"),
        people=Sum("actual_participants"),
    ):
        counted = figures[row["program__body"]].programs
        counted.activities_by_category[row["program__category"]][row["status"]] = row[
            "activity_count"
        ]
        if row["status"] == Activity.Status.DONE:
            counted.participants += row["people"] or 0

    # The LKS that took part in a done activity, each counted once per body.
    participations = Activity.participants.through.objects.filter(
        activity__in=activities.filter(status=Activity.Status.DONE)
    )
    for row in _grouped(
        participations,
        "activity__program__body",
        lks_count=Count("organisation", distinct=True),
    ):
        figures[row["activity__program__body"]].programs.organisations_reached = row["lks_count"]

    grants = of_bodies(Grant.objects.all(), bodies).for_year(year).agreed().with_stage()
    # Aggregates are named apart from the annotations they sum: an aggregate named like
    # an annotation replaces it (and sums to 0 on SQLite). Grouped by stage too, so that
    # the same query counts the grants at each stage.
    for row in _grouped(
        grants,
        "funder__body",
        "funder__kind",
        "stage",
        grant_count=Count("pk"),
        grant_total=Sum("amount"),
        allocated_total=Sum("allocated"),
        disbursed_total=Sum("disbursed"),
        spent_total=Sum("spent"),
        returned_total=Sum("returned"),
    ):
        money = figures[row["funder__body"]].money
        money.by_funder_kind[row["funder__kind"]].add(
            Money(
                total=row["grant_total"] or Decimal(0),
                allocated=row["allocated_total"] or Decimal(0),
                disbursed=row["disbursed_total"] or Decimal(0),
                spent=row["spent_total"] or Decimal(0),
                returned=row["returned_total"] or Decimal(0),
            )
        )
        money.by_stage[row["stage"]] += row["grant_count"]

    overdue = of_bodies(Grant.objects.all(), bodies).lpj_overdue(on=today)
    for row in _grouped(overdue, "funder__body", grant_count=Count("pk")):
        figures[row["funder__body"]].money.lpj_overdue = row["grant_count"]

    return figures


# What one body's dashboard shows besides the figures


@dataclass(frozen=True)
class Link:
    label: str
    url: str


@dataclass(frozen=True)
class Expiring:
    organisation: Link
    number: str
    grade: str
    valid_until: datetime.date
    days_left: int


@dataclass(frozen=True)
class ExpiringDocument:
    organisation: Link
    kind: str  # a LegalDocument.Kind
    number: str
    valid_until: datetime.date
    days_left: int

    @property
    def kind_label(self):
        return LegalDocument.Kind(self.kind).label


# The rows below keep codes rather than translated labels, which they look up when
# shown: cached boards then serve every language, and unpickle fast.


@dataclass(frozen=True)
class ProgramRow:
    code: str
    name: str
    url: str
    category: str
    budget_ceiling: Decimal
    spent: Decimal
    absorption_pct: float | None
    activity_count: int
    done_count: int

    @property
    def category_label(self):
        return Program.Category(self.category).label


@dataclass(frozen=True)
class LpjRow:
    grant: Link
    funder: str
    fiscal_year: int
    amount: Decimal
    due_on: datetime.date
    days: int  # left until the due date; negative when overdue


@dataclass(frozen=True)
class FollowUpRow:
    action: Link  # to its visit
    visit: str
    responsible: str
    due_on: datetime.date
    days: int  # left until the due date; negative when overdue


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    who: str
    history_type: str  # "+", "~" or "-"
    model: str  # the changed record's model, "app_label.ModelName"
    label: str
    url: str | None
    order: tuple = field(compare=False, repr=False)

    @property
    def action(self):
        return HISTORY_ACTIONS.get(self.history_type, self.history_type)

    @property
    def kind(self):
        return apps.get_model(self.model)._meta.verbose_name


@dataclass
class Dashboard:
    body: object
    year: int
    as_of: datetime.date
    today: datetime.date
    years: list
    figures: BodyFigures
    in_process: list
    expiring_registrations: list
    expiring_accreditations: list
    programs: list
    lpj_overdue: list
    lpj_due: list
    recent_changes: list
    follow_ups: list = field(default_factory=list)  # of study visits, due or overdue
    # Verified legal documents of its LKS expiring (one not verified never counts).
    expiring_documents: list = field(default_factory=list)
    # Applications (the register's and the portal's) waiting longer than the body allows.
    waiting_too_long: list = field(default_factory=list)
    # Set when the board is cached: what its rendered sections are cached under too.
    cache_key: str | None = None
    # The days its lists look ahead (overview.policy), for the page to say so.
    expiry_window_days = EXPIRY_WINDOW_DAYS
    lpj_due_window_days = LPJ_DUE_WINDOW_DAYS
    follow_up_window_days = FOLLOW_UP_DUE_WINDOW_DAYS

    @property
    def expiring_cut(self):
        """Whether a list of expiring records stops at LIST_LIMIT rows."""
        return LIST_LIMIT in (len(self.expiring_registrations), len(self.expiring_accreditations))

    @property
    def activity_statuses(self):
        return [capfirst(label) for label in Activity.Status.labels]

    @property
    def in_process_left_out(self):
        return self.figures.organisations.in_process - len(self.in_process)


def _organisation_link(organisation_id, name):
    return Link(name, reverse("members:organisation-detail", args=[organisation_id]))


def _in_process(body, as_of):
    rows = (
        Organisation.objects.for_body(body)
        .with_registration_status(RegistrationStatus.IN_PROCESS, on=as_of)
        .order_by("name", "pk")
        .values_list("pk", "name")[:LIST_LIMIT]
    )
    return [_organisation_link(pk, name) for pk, name in rows]


def _expiring(queryset, body, as_of, *, number, grade=None):
    rows = (
        queryset.for_body(body)
        .order_by("valid_until", "organisation__name", "pk")
        .values("organisation", "organisation__name", "valid_until", number, *filter(None, [grade]))
    )
    return [
        Expiring(
            organisation=_organisation_link(row["organisation"], row["organisation__name"]),
            number=row[number],
            grade=row[grade] if grade else "",
            valid_until=row["valid_until"],
            days_left=(row["valid_until"] - as_of).days,
        )
        for row in rows[:LIST_LIMIT]
    ]


def _expiring_documents(body, as_of):
    rows = (
        LegalDocument.objects.for_body(body)
        .current_expiring(as_of, as_of + datetime.timedelta(days=EXPIRY_WINDOW_DAYS))
        .order_by("valid_until", "organisation__name", "pk")
        .values("organisation", "organisation__name", "kind", "number", "valid_until")
    )
    return [
        ExpiringDocument(
            organisation=_organisation_link(row["organisation"], row["organisation__name"]),
            kind=row["kind"],
            number=row["number"],
            valid_until=row["valid_until"],
            days_left=(row["valid_until"] - as_of).days,
        )
        for row in rows[:LIST_LIMIT]
    ]


def _programs(body, year):
    return [
        ProgramRow(
            code=program.code,
            name=program.name,
            url=reverse("programs:program-detail", args=[program.pk]),
            category=program.category,
            budget_ceiling=program.budget_ceiling,
            spent=program.spent,
            absorption_pct=(
                round(program.absorption_pct, 1) if program.absorption_pct is not None else None
            ),
            activity_count=program.activity_count,
            done_count=program.done_count,
        )
        for program in Program.objects.for_body(body).for_year(year).with_progress()
    ]


def _lpj(body, today):
    """Grants whose LPJ is still to come: overdue (``Grant.objects.lpj_overdue``) and due
    within the LPJ window of the reminders (``LPJ_DUE_WINDOW_DAYS``), in one query."""
    grants = (
        Grant.objects.for_body(body)
        .lpj_open(on=today)
        .filter(lpj_due_on__lte=today + datetime.timedelta(days=LPJ_DUE_WINDOW_DAYS))
        .with_lpj_overdue(on=today)
        .select_related("funder")
        .order_by("lpj_due_on", "pk")
    )
    overdue, due = [], []
    for grant in grants:
        row = LpjRow(
            grant=Link(grant.name, grant.get_absolute_url()),
            funder=grant.funder.name,
            fiscal_year=grant.fiscal_year,
            amount=grant.amount,
            due_on=grant.lpj_due_on,
            days=(grant.lpj_due_on - today).days,
        )
        (overdue if grant.lpj_is_overdue else due).append(row)
    return overdue, due


def _follow_ups(body, today):
    """The body's open follow-ups of study visits, overdue or due within the window of
    the reminders (``FollowUp.objects.due_by``), in one query."""
    follow_ups = (
        FollowUp.objects.for_body(body)
        .due_by(today + datetime.timedelta(days=FOLLOW_UP_DUE_WINDOW_DAYS))
        .select_related("visit__visiting_body", "visit__host_body")
        .order_by("due_on", "pk")[:LIST_LIMIT]
    )
    return [
        FollowUpRow(
            action=Link(str(follow_up), follow_up.get_absolute_url()),
            visit=str(follow_up.visit),
            responsible=follow_up.responsible,
            due_on=follow_up.due_on,
            days=(follow_up.due_on - today).days,
        )
        for follow_up in follow_ups
    ]


def _to_organisation(entry):
    return reverse("members:organisation-detail", args=[entry.organisation_id])


def _to_grant(entry):
    return reverse("grants:grant-detail", args=[entry.grant_id])


# Each historical model: what to join, how to name a row, and where it links to.
HISTORY_SOURCES = [
    (
        Organisation,
        (),
        attrgetter("name"),
        lambda e: reverse("members:organisation-detail", args=[e.id]),
    ),
    (Registration, ("organisation",), attrgetter("organisation.name"), _to_organisation),
    (Accreditation, ("organisation",), attrgetter("organisation.name"), _to_organisation),
    (LegalDocument, ("organisation",), attrgetter("organisation.name"), _to_organisation),
    (Mentoring, ("organisation",), attrgetter("organisation.name"), _to_organisation),
    (
        Program,
        (),
        lambda e: f"{e.code} {e.name}",
        lambda e: reverse("programs:program-detail", args=[e.id]),
    ),
    (
        Activity,
        (),
        attrgetter("name"),
        lambda e: reverse("programs:activity-detail", args=[e.id]),
    ),
    (Funder, (), attrgetter("name"), lambda e: reverse("grants:funder-list")),
    (Grant, (), attrgetter("name"), lambda e: reverse("grants:grant-detail", args=[e.id])),
    (Allocation, ("grant",), attrgetter("grant.name"), _to_grant),
    (Disbursement, ("grant",), attrgetter("grant.name"), _to_grant),
    (Expenditure, ("grant",), attrgetter("grant.name"), _to_grant),
]
HISTORY_ACTIONS = {"+": _("added"), "~": _("changed"), "-": _("deleted")}


@functools.cache
def _historical(model):
    # ``Model.history`` makes a new manager class on every access: look it up once.
    return model.history.model


def recent_changes(body, limit=RECENT_CHANGES):
    """The latest changes to the body's records: the newest ``limit`` of each historical
    model (one query each), merged."""
    changes = []
    for model, joins, label, url in HISTORY_SOURCES:
        body_path = model.objects.all().body_path
        entries = (
            _historical(model)
            .objects.filter(**{body_path: body})
            .select_related("history_user", *joins)
            .order_by("-history_date", "-history_id")[:limit]
        )
        for entry in entries:
            user = entry.history_user
            changes.append(
                Change(
                    when=entry.history_date,
                    who=(user.get_full_name() or user.username) if user else "",
                    history_type=entry.history_type,
                    model=model._meta.label,
                    label=label(entry),
                    # A deleted record has no page left to link to.
                    url=None if entry.history_type == "-" else url(entry),
                    order=(entry.history_date, model._meta.label, entry.history_id),
                )
            )
    return nlargest(limit, changes, key=attrgetter("order"))


def dashboard(body, year, *, years, today=None):
    """Everything one body's dashboard shows for a fiscal year (29 queries)."""
    today = today or timezone.localdate()
    as_of = as_of_date(year, today)
    lpj_overdue, lpj_due = _lpj(body, today)
    return Dashboard(
        body=body,
        year=year,
        as_of=as_of,
        today=today,
        years=years,
        figures=body_figures([body], year, as_of=as_of, today=today)[body.pk],
        in_process=_in_process(body, as_of),
        expiring_registrations=_expiring(
            expiring_registrations(as_of), body, as_of, number="number"
        ),
        expiring_accreditations=_expiring(
            expiring_accreditations(as_of), body, as_of, number="certificate_number", grade="grade"
        ),
        programs=_programs(body, year),
        lpj_overdue=lpj_overdue,
        lpj_due=lpj_due,
        recent_changes=recent_changes(body),
        follow_ups=_follow_ups(body, today),
        expiring_documents=_expiring_documents(body, as_of),
        # Waiting is about now, whatever the year shown.
        waiting_too_long=waiting_too_long(body, today)[:LIST_LIMIT],
    )


# The comparison of several bodies and the JSON summary

HIGHER, LOWER = "higher", "lower"  # which value of a row is the best


@dataclass(frozen=True)
class Cell:
    value: object
    is_best: bool = False


@dataclass(frozen=True)
class ComparisonRow:
    key: str  # names the figure whatever the language
    section: str
    label: str
    kind: str  # "count", "percent" or "money": how the value is written
    cells: list
    best: str | None = None  # HIGHER, LOWER, or None when neither is better


def _figure_rows():
    """(key, section, label, kind, best, value of a BodyFigures) for each row of the
    comparison, in order."""
    lks, programs, money = _("LKS"), _("Programs"), _("Money")
    rows = [
        ("total", lks, _("LKS total"), "count", HIGHER, lambda f: f.organisations.total),
        (
            "registered",
            lks,
            _("Registered"),
            "count",
            HIGHER,
            lambda f: f.organisations.registered,
        ),
        (
            "registered_pct",
            lks,
            _("Registered %"),
            "percent",
            HIGHER,
            lambda f: f.organisations.registered_pct,
        ),
        ("in_process", lks, _("In process"), "count", None, lambda f: f.organisations.in_process),
        (
            "unregistered",
            lks,
            _("Unregistered"),
            "count",
            LOWER,
            lambda f: f.organisations.unregistered,
        ),
        ("expired", lks, _("Expired"), "count", LOWER, lambda f: f.organisations.expired),
        (
            "accredited",
            lks,
            _("Accredited"),
            "count",
            HIGHER,
            lambda f: f.organisations.accredited,
        ),
        (
            "accredited_pct",
            lks,
            _("Accredited %"),
            "percent",
            HIGHER,
            lambda f: f.organisations.accredited_pct,
        ),
    ]
    for grade in GRADES:
        rows.append(
            (
                f"accredited_{grade}",
                lks,
                _("Accredited %(grade)s") % {"grade": grade},
                "count",
                HIGHER,
                lambda f, grade=grade: f.organisations.accredited_by_grade[grade],
            )
        )
    rows += [
        (
            "expiring_90_days",
            lks,
            _("Registration or accreditation expiring within %(days)s days")
            % {"days": EXPIRY_WINDOW_DAYS},
            "count",
            None,
            lambda f: f.organisations.expiring_90_days,
        ),
        (
            "mentoring",
            lks,
            _("Mentoring visits"),
            "count",
            HIGHER,
            lambda f: f.organisations.mentoring,
        ),
        ("programs", programs, _("Programs"), "count", HIGHER, lambda f: f.programs.total),
        (
            "activities",
            programs,
            _("Activities"),
            "count",
            HIGHER,
            lambda f: f.programs.activities,
        ),
        (
            "activities_done",
            programs,
            _("Activities done"),
            "count",
            HIGHER,
            lambda f: f.programs.activities_done,
        ),
        (
            "activities_done_pct",
            programs,
            _("Activities done %"),
            "percent",
            HIGHER,
            lambda f: f.programs.activities_done_pct,
        ),
        (
            "participants",
            programs,
            _("Participants reached"),
            "count",
            HIGHER,
            lambda f: f.programs.participants,
        ),
        (
            "organisations_reached",
            programs,
            _("LKS reached"),
            "count",
            HIGHER,
            lambda f: f.programs.organisations_reached,
        ),
        ("money_total", money, _("Grant total"), "money", HIGHER, lambda f: f.money.totals.total),
    ]
    for kind, label in Funder.Kind.choices:
        rows.append(
            (
                f"money_{kind}",
                money,
                capfirst(label),
                "money",
                HIGHER,
                lambda f, kind=kind: f.money.by_funder_kind[kind].total,
            )
        )
    rows += [
        ("allocated", money, _("Allocated"), "money", HIGHER, lambda f: f.money.totals.allocated),
        ("disbursed", money, _("Disbursed"), "money", HIGHER, lambda f: f.money.totals.disbursed),
        ("spent", money, _("Spent"), "money", HIGHER, lambda f: f.money.totals.spent),
        (
            "absorption_pct",
            money,
            _("Absorption %"),
            "percent",
            HIGHER,
            lambda f: f.money.totals.absorption_pct,
        ),
        ("lpj_overdue", money, _("LPJ overdue"), "count", LOWER, lambda f: f.money.lpj_overdue),
    ]
    return rows


def _cells(values, best):
    """The values of a row, the best marked: the highest or lowest, all of them when
    tied; none when the row has no better side or every body has the same value."""
    known = [value for value in values if value is not None]
    if best is None or len(set(known)) < 2:
        return [Cell(value) for value in values]
    target = max(known) if best == HIGHER else min(known)
    return [Cell(value, is_best=value is not None and value == target) for value in values]


@dataclass
class Comparison:
    year: int
    as_of: datetime.date
    bodies: list
    years: list
    rows: list


def comparison(bodies, year, *, years, today=None):
    """The figures of ``bodies`` side by side for a fiscal year (eight queries)."""
    today = today or timezone.localdate()
    as_of = as_of_date(year, today)
    bodies = list(bodies)
    figures = body_figures(bodies, year, as_of=as_of, today=today)
    rows = []
    for key, section, label, kind, best, value in _figure_rows():
        values = [value(figures[body.pk]) for body in bodies]
        rows.append(ComparisonRow(key, section, label, kind, _cells(values, best), best))
    return Comparison(year=year, as_of=as_of, bodies=bodies, years=years, rows=rows)


def _rupiah(amount):
    return int(amount)


def summary(body, year, figures):
    """The JSON summary of one body: exactly the keys the API documents."""
    lks, programs, money = figures.organisations, figures.programs, figures.money
    totals = money.totals
    return {
        "body": {"slug": body.slug, "name": body.name},
        "year": year,
        "organisations": {
            "total": lks.total,
            "registered": lks.registered,
            "in_process": lks.in_process,
            "unregistered": lks.unregistered,
            "expired": lks.expired,
            "accredited": lks.accredited,
            "accredited_by_grade": dict(lks.accredited_by_grade),
            "expiring_90_days": lks.expiring_90_days,
        },
        "programs": {
            "total": programs.total,
            "activities": programs.activities,
            "activities_by_status": programs.activities_by_status,
        },
        "money": {
            "total": _rupiah(totals.total),
            "by_funder_kind": {
                str(kind): _rupiah(amounts.total) for kind, amounts in money.by_funder_kind.items()
            },
            "allocated": _rupiah(totals.allocated),
            "disbursed": _rupiah(totals.disbursed),
            "spent": _rupiah(totals.spent),
            "absorption_pct": totals.absorption_pct,
        },
    }


def comparison_table(board):
    """The comparison as spreadsheet columns and rows: the section, the figure, one value
    per body (the best ones ``Strong``) and the best bodies' names. Money is whole
    Rupiah."""
    headers = [_("Section"), _("Figure"), *(body.name for body in board.bodies), _("Best")]
    rows = []
    for row in board.rows:
        values = [
            int(cell.value) if row.kind == "money" and cell.value is not None else cell.value
            for cell in row.cells
        ]
        best = ", ".join(
            body.name for body, cell in zip(board.bodies, row.cells, strict=True) if cell.is_best
        )
        rows.append(
            [
                str(row.section),
                str(row.label),
                *(
                    Strong(value) if cell.is_best else value
                    for value, cell in zip(values, row.cells, strict=True)
                ),
                best,
            ]
        )
    return headers, rows


# The dashboard, kept between requests while nothing changed

CACHE_SECONDS = 15 * 60
# The models whose records the dashboard shows: every write to one of them (a service,
# a form, the admin, an import with history) adds a row to its history table.
VERSIONED_MODELS = [Body, *(model for model, *_rest in HISTORY_SOURCES), FollowUp, Application]


@functools.cache
def _version_sql():
    columns = []
    for model in VERSIONED_MODELS:
        table = connection.ops.quote_name(_historical(model)._meta.db_table)
        # Table names from the models, nothing from a request.
        columns.append(f"(SELECT MAX(history_id) FROM {table})")  # noqa: S608
        columns.append(f"(SELECT MAX(history_date) FROM {table})")  # noqa: S608
    return "SELECT " + ", ".join(columns)


def data_version():
    """What the data looks like now, in one cheap query: the newest history row (its id
    and its time) of every model the dashboard shows. Any save or deletion changes it;
    ids never come back, and the times tell apart data that a rolled-back transaction
    gave the same ids."""
    with connection.cursor() as cursor:
        cursor.execute(_version_sql())
        row = cursor.fetchone()
    return hashlib.blake2b(repr(row).encode(), digest_size=16).hexdigest()


def cached_dashboard(body, year=None, *, today=None):
    """``dashboard`` for ``year`` (None: the default year) and the body's fiscal years,
    computed once per state of the data and day: two requests between two writes share
    the work, the first request after a write computes anew."""
    today = today or timezone.localdate()
    key = f"lkks:dashboard:{body.pk}:{year}:{today.isoformat()}:{data_version()}"
    board = cache.get(key)
    if board is None:
        years = fiscal_years([body])
        board = dashboard(body, year or default_year(years, today), years=years, today=today)
        board.cache_key = key
        cache.set(key, board, CACHE_SECONDS)
    return board


def cached_summary(body, year=None, *, today=None):
    """``summary`` for ``year`` (None: the default year), kept as the dashboard is: once
    per state of the data, day and language, so that a client polling /api/summary/
    costs one cheap query between two writes."""
    today = today or timezone.localdate()
    key = f"lkks:summary:{body.pk}:{year}:{get_language()}:{today.isoformat()}:{data_version()}"
    data = cache.get(key)
    if data is None:
        year = year or default_year(fiscal_years([body]), today)
        data = summary(body, year, body_figures([body], year, today=today)[body.pk])
        cache.set(key, data, CACHE_SECONDS)
    return data

from django.db import models
from django.db.models import Case, Count, F, FloatField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.dates import FIRST_YEAR, LAST_YEAR
from lkks.models import Body, BodyScopedQuerySet, FieldCheckConstraint, Region, TimeStampedModel
from lkks.uploads import RandomName, validate_image
from members.models import Organisation

FISCAL_YEAR_RANGE = Q(fiscal_year__gte=FIRST_YEAR, fiscal_year__lte=LAST_YEAR)

MONEY_TOTAL = models.DecimalField(max_digits=17, decimal_places=0)


def _per_row(queryset, outer, total):
    """A subquery of one total per outer row (0 when there is nothing to count), so
    that several totals of different relations never multiply each other's rows."""
    rows = queryset.filter(**{outer: OuterRef("pk")}).order_by().values(outer)
    return Coalesce(
        Subquery(rows.annotate(total=total).values("total")[:1]),
        0,
        output_field=total.output_field,
    )


def _percent_of(part, whole):
    # A share is not money: computed as a float so that SQLite does not divide integers.
    return Case(
        When(
            **{f"{whole}__gt": 0},
            then=Cast(part, FloatField()) * 100 / Cast(F(whole), FloatField()),
        ),
        default=None,
        output_field=FloatField(),
    )


class ProgramQuerySet(BodyScopedQuerySet):
    def for_year(self, year):
        return self.filter(fiscal_year=year)

    def with_progress(self):
        """Annotate the number of activities and of those done, what they plan
        (``planned``: the sum of their budgets), ``spent`` (realisasi: the sum of their
        expenditures) and ``absorption_pct`` (spent / budget ceiling * 100, None
        without a ceiling)."""
        activities = Activity.objects.all()
        return self.annotate(
            activity_count=_per_row(activities, "program", Count("pk")),
            done_count=_per_row(
                activities.filter(status=Activity.Status.DONE), "program", Count("pk")
            ),
            planned=_per_row(activities, "program", Sum("budget", output_field=MONEY_TOTAL)),
            spent=_per_row(
                activities, "program", Sum("expenditures__amount", output_field=MONEY_TOTAL)
            ),
            absorption_pct=_percent_of(F("spent"), "budget_ceiling"),
        )

    def fiscal_years(self):
        """The fiscal years that have programs, newest first."""
        return self.order_by("-fiscal_year").values_list("fiscal_year", flat=True).distinct()


class Program(TimeStampedModel):
    """A program of the body for one fiscal year, with its budget ceiling (pagu)."""

    class Category(models.TextChoices):
        INSTITUTIONAL = "institutional", _("institutional support")
        SOCIAL = "social", _("social and community")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="programs", verbose_name=_("body")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    code = models.CharField(_("code"), max_length=30)
    name = models.CharField(_("name"), max_length=200)
    category = models.CharField(_("category"), max_length=15, choices=Category)
    budget_ceiling = models.DecimalField(
        _("budget ceiling (pagu)"), max_digits=15, decimal_places=0, default=0
    )
    description = models.TextField(_("description"), blank=True)

    objects = ProgramQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "code"]
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "fiscal_year", "code"],
                name="program_code_unique_per_body_year",
                violation_error_message=_("This code is already used in this fiscal year."),
            ),
            FieldCheckConstraint(
                field="budget_ceiling",
                condition=Q(budget_ceiling__gte=0),
                name="program_budget_ceiling_not_negative",
                violation_error_message=_("The budget ceiling cannot be negative."),
            ),
            FieldCheckConstraint(
                field="fiscal_year",
                condition=FISCAL_YEAR_RANGE,
                name="program_fiscal_year_range",
                violation_error_message=format_lazy(
                    _("The fiscal year must be between {first} and {last}."),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name} ({self.fiscal_year})"

    def get_absolute_url(self):
        return reverse("programs:program-detail", args=[self.pk])


class ActivityQuerySet(BodyScopedQuerySet):
    body_path = "program__body"

    def for_year(self, year):
        return self.filter(program__fiscal_year=year)

    def in_program_order(self):
        """In the order of the programs' list (newest year first, then by code), each
        program's activities by their planned start."""
        return self.order_by("-program__fiscal_year", "program__code", "planned_start", "pk")

    def with_money(self):
        """Annotate ``allocated`` (from grants), ``spent`` (realisasi) and
        ``absorption_pct`` (spent / budget * 100, None without a budget)."""
        activities = Activity.objects.all()
        return self.annotate(
            allocated=_per_row(
                activities, "pk", Sum("allocations__amount", output_field=MONEY_TOTAL)
            ),
            spent=_per_row(activities, "pk", Sum("expenditures__amount", output_field=MONEY_TOTAL)),
            absorption_pct=_percent_of(F("spent"), "budget"),
        )


class Activity(TimeStampedModel):
    """An activity (kegiatan) of a program."""

    class Kind(models.TextChoices):
        CAPACITY_BUILDING = "capacity_building", _("capacity building (bimtek)")
        MENTORING = "mentoring", _("mentoring")
        COORDINATION = "coordination", _("coordination meeting")
        ADVOCACY = "advocacy", _("advocacy")
        SOCIAL_SERVICE = "social_service", _("social service")
        MONITORING = "monitoring", _("monitoring and evaluation")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        ONGOING = "ongoing", _("ongoing")
        DONE = "done", _("done")
        CANCELLED = "cancelled", _("cancelled")

    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="activities", verbose_name=_("program")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": Region.Level.DISTRICT},
        related_name="+",
        verbose_name=_("district (kecamatan)"),
    )
    budget = models.DecimalField(_("budget"), max_digits=15, decimal_places=0, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PLANNED)
    target_participants = models.PositiveIntegerField(_("target participants"), default=0)
    actual_participants = models.PositiveIntegerField(_("actual participants"), default=0)
    participants = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="activities",
        verbose_name=_("participating LKS"),
    )
    outcome = models.TextField(_("outcome"), blank=True)

    objects = ActivityQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        # Within one program: ordering by the program too would join it on every query
        # (``in_program_order`` does, where a list mixes programs).
        ordering = ["planned_start", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            FieldCheckConstraint(
                field="budget",
                condition=Q(budget__gte=0),
                name="activity_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            FieldCheckConstraint(
                field="planned_end",
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="activity_planned_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            ),
            FieldCheckConstraint(
                field="actual_end",
                condition=Q(actual_end__isnull=True)
                | Q(actual_start__isnull=True)
                | Q(actual_end__gte=F("actual_start")),
                name="activity_actual_end_after_start",
                violation_error_message=_("The actual end cannot be before the actual start."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:activity-detail", args=[self.pk])


class ActivityPhotoQuerySet(BodyScopedQuerySet):
    body_path = "activity__program__body"


class ActivityPhoto(TimeStampedModel):
    activity = models.ForeignKey(
        Activity, on_delete=models.CASCADE, related_name="photos", verbose_name=_("activity")
    )
    image = models.ImageField(
        _("photo"), upload_to=RandomName("activities/photos"), validators=[validate_image]
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=RandomName("activities/thumbnails"), blank=True, editable=False
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    taken_on = models.DateField(_("taken on"), null=True, blank=True)

    objects = ActivityPhotoQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["taken_on", "pk"]
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")

    def __str__(self):
        return self.caption or self.image.name

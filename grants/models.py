import datetime

from django.db import models
from django.db.models import BooleanField, ExpressionWrapper, F, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import Body, BodyScopedQuerySet, FieldCheckConstraint, TimeStampedModel
from lkks.uploads import RandomName, validate_scan
from programs.models import FISCAL_YEAR_RANGE, Activity

MONEY = {"max_digits": 15, "decimal_places": 0}


def not_negative(field, name):
    return FieldCheckConstraint(
        field=field,
        condition=Q(**{f"{field}__gte": 0}),
        name=name,
        violation_error_message=_("The amount cannot be negative."),
    )


def sum_of(model, **filters):
    """A subquery summing ``amount`` of related rows, 0 when there are none."""
    rows = model.objects.filter(**filters).order_by().values(*filters).annotate(t=Sum("amount"))
    return Coalesce(
        Subquery(rows.values("t")[:1]),
        0,
        output_field=models.DecimalField(**MONEY),
    )


class Funder(TimeStampedModel):
    """Where money comes from: the regency's hibah, a ministry, a company's CSR."""

    class Kind(models.TextChoices):
        HIBAH_APBD = "hibah_apbd", _("regional grant (hibah APBD)")
        APBN = "apbn", _("national budget (APBN/Kemensos)")
        CSR = "csr", _("company CSR")
        DONATION = "donation", _("donation")
        OWN = "own", _("own funds")
        OTHER = "other", _("other")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="funders", verbose_name=_("body")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    objects = BodyScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"],
                name="funder_name_unique_per_body",
                violation_error_message=_("This funder is already recorded."),
            ),
        ]

    def __str__(self):
        return self.name


class GrantQuerySet(BodyScopedQuerySet):
    body_path = "funder__body"

    def with_totals(self):
        """Annotate allocated, disbursed, spent, unallocated and remaining amounts."""
        return self.annotate(
            allocated=sum_of(Allocation, grant=OuterRef("pk")),
            disbursed=sum_of(Disbursement, grant=OuterRef("pk")),
            spent=sum_of(Expenditure, grant=OuterRef("pk")),
            unallocated=F("amount") - F("allocated"),
            remaining=F("amount") - F("spent"),
        )

    def for_year(self, year):
        return self.filter(fiscal_year=year)

    def lpj_overdue(self, on):
        return self.filter(
            lpj_due_on__lt=on,
            lpj_submitted_on__isnull=True,
            status__in=[Grant.Status.APPROVED, Grant.Status.RECEIVED],
        )

    def with_lpj_overdue(self, on):
        """Annotate ``lpj_is_overdue``: whether the grant is among ``lpj_overdue(on)``."""
        return self.annotate(
            lpj_is_overdue=ExpressionWrapper(
                Q(
                    lpj_due_on__lt=on,
                    lpj_submitted_on__isnull=True,
                    status__in=[Grant.Status.APPROVED, Grant.Status.RECEIVED],
                ),
                output_field=BooleanField(),
            )
        )


class Grant(TimeStampedModel):
    """Money from one funder for one fiscal year, under an agreement (NPHD or MoU)."""

    class AgreementKind(models.TextChoices):
        NPHD = "nphd", _("grant agreement (NPHD)")
        MOU = "mou", _("memorandum of understanding (MoU)")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        APPROVED = "approved", _("approved")
        RECEIVED = "received", _("received")
        ACCOUNTED = "accounted", _("accounted for (LPJ submitted)")
        CLOSED = "closed", _("closed")

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="grants", verbose_name=_("funder")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    name = models.CharField(_("name"), max_length=200)
    agreement_kind = models.CharField(
        _("agreement"), max_length=5, choices=AgreementKind, default=AgreementKind.NPHD
    )
    agreement_number = models.CharField(_("agreement number"), max_length=100, blank=True)
    agreement_date = models.DateField(_("agreement date"), null=True, blank=True)
    amount = models.DecimalField(_("amount"), **MONEY)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PROPOSED)
    lpj_due_on = models.DateField(_("LPJ due date"), null=True, blank=True)
    lpj_submitted_on = models.DateField(_("LPJ submitted on"), null=True, blank=True)
    held_at = models.CharField(
        _("held at"), max_length=200, blank=True, help_text=_("e.g. Dinas Sosial Kabupaten")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = GrantQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "funder__name", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            not_negative("amount", "grant_amount_not_negative"),
            FieldCheckConstraint(
                field="fiscal_year",
                condition=FISCAL_YEAR_RANGE,
                name="grant_fiscal_year_range",
                violation_error_message=_("The fiscal year must be between 2000 and 2100."),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.fiscal_year})"

    def get_absolute_url(self):
        return reverse("grants:grant-detail", args=[self.pk])

    @staticmethod
    def default_lpj_due_on(funder_kind, fiscal_year):
        """Hibah APBD is accounted for by 10 January of the following year."""
        if funder_kind == Funder.Kind.HIBAH_APBD and fiscal_year:
            return datetime.date(fiscal_year + 1, 1, 10)
        return None


class GrantRecordQuerySet(BodyScopedQuerySet):
    body_path = "grant__funder__body"


class AllocationQuerySet(GrantRecordQuerySet):
    def with_spent(self):
        """Annotate ``spent``: what was spent on the activity out of the grant."""
        return self.annotate(
            spent=sum_of(Expenditure, grant=OuterRef("grant"), activity=OuterRef("activity"))
        )


class ExpenditureQuerySet(GrantRecordQuerySet):
    def against(self, allocation):
        """The spending that an allocation covers: same grant, same activity."""
        return self.filter(grant=allocation.grant_id, activity=allocation.activity_id)


class Allocation(TimeStampedModel):
    """The share of a grant set aside for one activity."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("grant")
    )
    activity = models.ForeignKey(
        Activity, on_delete=models.PROTECT, related_name="allocations", verbose_name=_("activity")
    )
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = AllocationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "activity"]
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [
            not_negative("amount", "allocation_amount_not_negative"),
            models.UniqueConstraint(
                fields=["grant", "activity"],
                name="allocation_once_per_grant_activity",
                violation_error_message=_(
                    "This activity already has an allocation from this grant."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.grant} → {self.activity}"


class Disbursement(TimeStampedModel):
    """A tranche of a grant paid out (pencairan)."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(_("reference (SP2D/transfer)"), max_length=100, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "date", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [not_negative("amount", "disbursement_amount_not_negative")]

    def __str__(self):
        return f"{self.grant} · {self.date:%Y-%m-%d}"


class Expenditure(TimeStampedModel):
    """Money spent (realisasi) on an activity out of a grant, with its receipt."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="expenditures", verbose_name=_("grant")
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("activity"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    description = models.CharField(_("description"), max_length=300)
    receipt_number = models.CharField(_("receipt number"), max_length=100, blank=True)
    receipt = models.FileField(
        _("receipt scan"),
        upload_to=RandomName("receipts"),
        validators=[validate_scan],
        blank=True,
        help_text=_("PDF or image."),
    )

    objects = ExpenditureQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant", "date", "pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        indexes = [models.Index(fields=["grant", "activity"])]
        constraints = [not_negative("amount", "expenditure_amount_not_negative")]

    def __str__(self):
        return f"{self.description} · {self.date:%Y-%m-%d}"

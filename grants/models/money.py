"""The money of a grant: allocations to activities, disbursements (the cash that comes
in), expenditures (the cash that goes out, each from one allocation) and the return of
what was not spent. The sums that bind them are kept by ``grants.services``."""

from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants.models.agreement import BudgetLine
from grants.models.grant import MONEY, Grant, GrantRecordQuerySet, not_negative, sum_of
from lkks.models import TimeStampedModel
from lkks.uploads import RandomName, validate_scan
from programs.models import Activity


class AllocationQuerySet(GrantRecordQuerySet):
    def with_spent(self):
        """Annotate ``spent``: what was spent from the allocation."""
        return self.annotate(spent=sum_of(Expenditure, allocation=OuterRef("pk")))


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
        ordering = ["grant_id", "pk"]
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
    """A tranche of a grant paid out (pencairan): by SP2D from a state budget, by bank
    transfer otherwise."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="disbursements", verbose_name=_("grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        blank=True,
        help_text=_("The SP2D number of state money, the transfer reference of other money."),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_id", "date", "pk"]
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        constraints = [not_negative("amount", "disbursement_amount_not_negative")]

    def __str__(self):
        return f"{self.grant} · {self.date:%Y-%m-%d}"


class Expenditure(TimeStampedModel):
    """Money spent (realisasi) from one allocation, with its receipt.

    ``grant`` and ``activity`` are those of the allocation, copied by ``clean()``: the
    programs app sums an activity's spending through them, and the lists filter by them
    without a join.
    """

    allocation = models.ForeignKey(
        Allocation,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("allocation"),
    )
    grant = models.ForeignKey(
        Grant,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("grant"),
        editable=False,
    )
    activity = models.ForeignKey(
        Activity,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("activity"),
        editable=False,
    )
    budget_line = models.ForeignKey(
        BudgetLine,
        on_delete=models.PROTECT,
        related_name="expenditures",
        verbose_name=_("budget line"),
        null=True,
        blank=True,
        help_text=_("The line of the agreed budget (RAB) it is spent on."),
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

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_id", "date", "pk"]
        verbose_name = _("expenditure")
        verbose_name_plural = _("expenditures")
        indexes = [models.Index(fields=["grant", "activity"])]
        constraints = [not_negative("amount", "expenditure_amount_not_negative")]

    def __str__(self):
        return f"{self.description} · {self.date:%Y-%m-%d}"

    def clean(self):
        if self.allocation_id is not None:
            self.grant_id = self.allocation.grant_id
            self.activity_id = self.allocation.activity_id


class RemainderReturn(TimeStampedModel):
    """Unspent money returned to the funder (pengembalian sisa dana): to the regional
    treasury by STS for state money, by bank transfer otherwise."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="returns", verbose_name=_("grant")
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), **MONEY)
    reference = models.CharField(
        _("reference"),
        max_length=100,
        help_text=_("The STS number for state money, the transfer reference otherwise."),
    )
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_id", "date", "pk"]
        verbose_name = _("return of remainder")
        verbose_name_plural = _("returns of remainder")
        constraints = [not_negative("amount", "return_amount_not_negative")]

    def __str__(self):
        return f"{self.grant} · {self.reference}"

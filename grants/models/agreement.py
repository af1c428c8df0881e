"""What a grant's agreement says: the NPHD of a regional hibah (Permendagri 32/2011
art. 13: purpose, budget, the recipient's bank account, both signatories) or the
agreement or MoU of CSR and donations, and its budget lines (RAB)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants.models.grant import (
    MONEY,
    Funder,
    Grant,
    GrantRecordQuerySet,
    not_negative,
    sum_of,
)
from lkks.models import TimeStampedModel
from lkks.uploads import RandomName, validate_scan
from lkks.validation import validate_nip

# What an NPHD must state besides its number and date (Permendagri 32/2011 art. 13(2)).
NPHD_FIELDS = [
    "signed_on",
    "purpose",
    "bank_name",
    "bank_account_number",
    "bank_account_holder",
    "grantor_signatory_name",
    "grantor_signatory_title",
    "recipient_signatory_name",
    "recipient_signatory_title",
]


class Agreement(TimeStampedModel):
    """The signed agreement of a grant; its signing makes the proposal approved."""

    class Kind(models.TextChoices):
        NPHD = "nphd", _("grant agreement (NPHD)")
        MOU = "mou", _("memorandum of understanding (MoU)")
        COOPERATION = "cooperation", _("cooperation agreement")

    grant = models.OneToOneField(
        Grant, on_delete=models.PROTECT, related_name="agreement", verbose_name=_("grant")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    number = models.CharField(_("number"), max_length=100)
    # Required on every form; empty only on agreements carried over from before the
    # date was recorded (migration 0004).
    signed_on = models.DateField(_("signed on"), null=True)
    purpose = models.TextField(_("purpose"), blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account_number = models.CharField(_("account number"), max_length=40, blank=True)
    bank_account_holder = models.CharField(_("account holder"), max_length=200, blank=True)
    grantor_signatory_name = models.CharField(_("grantor's signatory"), max_length=150, blank=True)
    grantor_signatory_title = models.CharField(
        _("grantor's signatory title"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Bupati Kampar, or Kepala Dinas Sosial as the Bupati's delegate"),
    )
    grantor_signatory_nip = models.CharField(
        _("grantor's signatory NIP"),
        max_length=21,
        blank=True,
        validators=[validate_nip],
        help_text=_("For a civil servant; a Bupati has none."),
    )
    recipient_signatory_name = models.CharField(
        _("recipient's signatory"), max_length=150, blank=True
    )
    recipient_signatory_title = models.CharField(
        _("recipient's signatory title"), max_length=200, blank=True
    )
    scan = models.FileField(
        _("signed agreement (scan)"),
        upload_to=RandomName("agreements"),
        validators=[validate_scan],
        blank=True,
    )

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-signed_on", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}"

    def clean(self):
        """A regional hibah is agreed by NPHD, stating all it must; other money by an
        agreement or MoU."""
        if self.grant_id is None:
            return
        hibah = self.grant.funder.kind == Funder.Kind.HIBAH_APBD
        if hibah != (self.kind == self.Kind.NPHD):
            raise ValidationError(
                {
                    "kind": ValidationError(
                        _("A regional hibah is agreed by an NPHD, and only a regional hibah.")
                        if hibah
                        else _(
                            "An NPHD is for a regional hibah only; this money is agreed by "
                            "an agreement or MoU."
                        ),
                        code="kind",
                    )
                }
            )
        if self.kind == self.Kind.NPHD:
            missing = {
                name: ValidationError(_("An NPHD states this."), code="required")
                for name in NPHD_FIELDS
                if getattr(self, name) in (None, "")
            }
            if missing:
                raise ValidationError(missing)
        if (
            self.signed_on
            and self.grant.proposal_date
            and self.signed_on < self.grant.proposal_date
        ):
            raise ValidationError(
                {
                    "signed_on": ValidationError(
                        _("The agreement cannot be signed before the proposal letter."),
                        code="before_proposal",
                    )
                }
            )


class BudgetLineQuerySet(GrantRecordQuerySet):
    def with_spent(self):
        """Annotate ``spent``: what was spent on the line."""
        from grants.models.money import Expenditure

        return self.annotate(spent=sum_of(Expenditure, budget_line=OuterRef("pk")))


class BudgetLine(TimeStampedModel):
    """One line of the budget (RAB) agreed with the grant; together the lines make the
    grant's amount exactly."""

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="budget_lines", verbose_name=_("grant")
    )
    item = models.CharField(_("item"), max_length=300)
    amount = models.DecimalField(_("amount"), **MONEY)

    objects = BudgetLineQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_id", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines (RAB)")
        constraints = [
            not_negative("amount", "budget_line_amount_not_negative"),
            models.UniqueConstraint(
                fields=["grant", "item"],
                name="budget_line_item_once_per_grant",
                violation_error_message=_("This item is already in the budget."),
            ),
        ]

    def __str__(self):
        return self.item

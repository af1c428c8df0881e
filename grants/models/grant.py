"""Funders and grants, and the stage of a grant in the hibah cycle.

A grant's stage is derived from its records (agreement, disbursements, LPJ
submissions, returns), never stored; only what no record shows — a proposal rejected,
a grant cancelled — is kept on the grant itself (``outcome``).
"""

import datetime

from django.db import models
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.dates import FIRST_YEAR, LAST_YEAR
from lkks.models import Body, BodyScopedQuerySet, FieldCheckConstraint, TimeStampedModel

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

    @property
    def is_state_money(self):
        """Money of a state budget (APBD, APBN) is paid by SP2D and returned by STS;
        any other money moves by bank transfer."""
        return self.kind in (self.Kind.HIBAH_APBD, self.Kind.APBN)


class Stage(models.TextChoices):
    """Where a grant is in the hibah cycle, derived by ``GrantQuerySet.with_stage``."""

    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved (agreement signed)")
    DISBURSED = "disbursed", _("disbursed")
    LPJ_SUBMITTED = "lpj_submitted", _("LPJ submitted")
    LPJ_RETURNED = "lpj_returned", _("LPJ returned for revision")
    LPJ_ACCEPTED = "lpj_accepted", _("LPJ accepted")
    CLOSED = "closed", _("closed")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", _("cancelled")


class GrantOutcome(models.TextChoices):
    """What ends a grant without an LPJ; stored, since no record shows it."""

    REJECTED = "rejected", _("proposal rejected")
    CANCELLED = "cancelled", _("grant cancelled")


class GrantQuerySet(BodyScopedQuerySet):
    body_path = "funder__body"

    def for_year(self, year):
        return self.filter(fiscal_year=year)

    def with_totals(self):
        """Annotate allocated, disbursed, spent, returned, unallocated, remaining
        (amount - spent) and ``cash_held`` (disbursed - spent - returned)."""
        from grants.models.money import Allocation, Disbursement, Expenditure, RemainderReturn

        return self.annotate(
            allocated=sum_of(Allocation, grant=OuterRef("pk")),
            disbursed=sum_of(Disbursement, grant=OuterRef("pk")),
            spent=sum_of(Expenditure, grant=OuterRef("pk")),
            returned=sum_of(RemainderReturn, grant=OuterRef("pk")),
            unallocated=F("amount") - F("allocated"),
            remaining=F("amount") - F("spent"),
            cash_held=F("disbursed") - F("spent") - F("returned"),
        )

    def with_agreement(self):
        """Annotate the agreement's ``agreement_number`` and ``agreement_signed_on``."""
        return self.annotate(
            agreement_number=F("agreement__number"),
            agreement_signed_on=F("agreement__signed_on"),
        )

    @staticmethod
    def _has_agreement():
        from grants.models.agreement import Agreement

        return Exists(Agreement.objects.filter(grant=OuterRef("pk")))

    @staticmethod
    def _has_lpj(*outcomes, on=None):
        from grants.models.lpj import LpjSubmission

        submissions = LpjSubmission.objects.filter(grant=OuterRef("pk"), outcome__in=outcomes)
        if on is not None:
            submissions = submissions.filter(submitted_on__lte=on)
        return Exists(submissions)

    def with_stage(self):
        """Annotate ``stage`` (a ``Stage``), with the totals it is derived from."""
        from grants.models.lpj import LpjOutcome

        queryset = self if "cash_held" in self.query.annotations else self.with_totals()
        accepted = self._has_lpj(LpjOutcome.ACCEPTED)
        return queryset.annotate(
            stage=Case(
                When(outcome=Grant.Outcome.REJECTED, then=Value(Stage.REJECTED)),
                When(outcome=Grant.Outcome.CANCELLED, then=Value(Stage.CANCELLED)),
                When(accepted & Q(cash_held__lte=0), then=Value(Stage.CLOSED)),
                When(accepted, then=Value(Stage.LPJ_ACCEPTED)),
                When(self._has_lpj(LpjOutcome.PENDING), then=Value(Stage.LPJ_SUBMITTED)),
                When(self._has_lpj(LpjOutcome.RETURNED), then=Value(Stage.LPJ_RETURNED)),
                When(disbursed__gt=0, then=Value(Stage.DISBURSED)),
                When(self._has_agreement(), then=Value(Stage.APPROVED)),
                default=Value(Stage.PROPOSED),
                output_field=models.CharField(),
            )
        )

    def in_stage(self, *stages):
        return self.with_stage().filter(stage__in=stages)

    def agreed(self):
        """Money the body has or was promised: an agreement is signed and the grant was
        not cancelled. A proposal is not (yet)."""
        return self.filter(self._has_agreement(), outcome="")

    def _lpj_open_condition(self, on=None):
        from grants.models.lpj import LpjOutcome

        return (
            self._has_agreement()
            & Q(outcome="")
            & ~self._has_lpj(LpjOutcome.PENDING, LpjOutcome.ACCEPTED, on=on)
        )

    def lpj_open(self, on=None):
        """Grants whose LPJ is still to come: agreed, and no LPJ submitted that stands
        (one awaiting review or accepted; one returned for revision must come again).
        ``on`` a date, an LPJ submitted after it does not count: as the list was then."""
        return self.filter(self._lpj_open_condition(on))

    def lpj_overdue(self, on):
        return self.lpj_open(on).filter(lpj_due_on__lt=on)

    def with_lpj_overdue(self, on):
        """Annotate ``lpj_is_overdue``: whether the grant is among ``lpj_overdue(on)``."""
        return self.annotate(
            lpj_is_overdue=ExpressionWrapper(
                self._lpj_open_condition(on) & Q(lpj_due_on__lt=on),
                output_field=BooleanField(),
            )
        )


class Grant(TimeStampedModel):
    """Money from one funder for one fiscal year: proposed by letter, then agreed (NPHD
    or MoU), disbursed, spent, accounted for (LPJ) and closed."""

    Outcome = GrantOutcome
    Stage = Stage

    funder = models.ForeignKey(
        Funder, on_delete=models.PROTECT, related_name="grants", verbose_name=_("funder")
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    name = models.CharField(_("name"), max_length=200)
    proposal_number = models.CharField(_("proposal letter number"), max_length=100, blank=True)
    proposal_date = models.DateField(_("proposal letter date"), null=True, blank=True)
    requested_amount = models.DecimalField(_("amount requested"), **MONEY, null=True, blank=True)
    amount = models.DecimalField(
        _("amount"),
        **MONEY,
        help_text=_("As approved in the agreement; it may be less than the amount requested."),
    )
    lpj_due_on = models.DateField(_("LPJ due date"), null=True, blank=True)
    held_at = models.CharField(
        _("held at"), max_length=200, blank=True, help_text=_("e.g. Dinas Sosial Kabupaten")
    )
    outcome = models.CharField(
        _("rejected or cancelled"), max_length=10, choices=Outcome, blank=True, default=""
    )
    outcome_on = models.DateField(_("rejected or cancelled on"), null=True, blank=True)
    outcome_note = models.TextField(_("reason"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = GrantQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "name", "pk"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            not_negative("amount", "grant_amount_not_negative"),
            not_negative("requested_amount", "grant_requested_amount_not_negative"),
            FieldCheckConstraint(
                field="amount",
                condition=Q(requested_amount__isnull=True) | Q(amount__lte=F("requested_amount")),
                name="grant_amount_within_request",
                violation_error_message=_(
                    "The amount approved cannot be more than the amount requested."
                ),
            ),
            FieldCheckConstraint(
                field="fiscal_year",
                condition=Q(fiscal_year__gte=FIRST_YEAR, fiscal_year__lte=LAST_YEAR),
                name="grant_fiscal_year_range",
                violation_error_message=format_lazy(
                    _("The fiscal year must be between {first} and {last}."),
                    first=FIRST_YEAR,
                    last=LAST_YEAR,
                ),
            ),
            FieldCheckConstraint(
                field="outcome",
                condition=Q(outcome__in=["", *GrantOutcome.values]),
                name="grant_outcome_known",
                violation_error_message=_("Unknown outcome."),
            ),
            FieldCheckConstraint(
                field="outcome_on",
                condition=Q(outcome="", outcome_on__isnull=True)
                | (~Q(outcome="") & Q(outcome_on__isnull=False)),
                name="grant_outcome_dated",
                violation_error_message=_(
                    "A rejection or cancellation has a date, and only they have one."
                ),
            ),
            FieldCheckConstraint(
                field="outcome_on",
                condition=Q(outcome_on__isnull=True)
                | Q(proposal_date__isnull=True)
                | Q(outcome_on__gte=F("proposal_date")),
                name="grant_outcome_after_proposal",
                violation_error_message=_(
                    "A grant cannot be rejected or cancelled before it was proposed."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.fiscal_year})"

    def get_absolute_url(self):
        return reverse("grants:grant-detail", args=[self.pk])

    def get_stage_display(self):
        """The label of the ``stage`` annotation (``GrantQuerySet.with_stage``)."""
        return str(Stage(self.stage).label)

    @staticmethod
    def default_lpj_due_on(funder_kind, fiscal_year):
        """Hibah APBD is accounted for by 10 January of the following year."""
        if funder_kind == Funder.Kind.HIBAH_APBD and fiscal_year:
            return datetime.date(fiscal_year + 1, 1, 10)
        return None


class GrantRecordQuerySet(BodyScopedQuerySet):
    """The records of a grant: its agreement, budget lines, money and LPJ."""

    body_path = "grant__funder__body"

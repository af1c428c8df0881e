"""The accountability report (LPJ) of a grant as submitted to the funder and reviewed
by it: returned for revision with a note, or accepted."""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from grants.models.grant import Grant, GrantRecordQuerySet
from lkks.models import FieldCheckConstraint, TimeStampedModel


class LpjOutcome(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    RETURNED = "returned", _("returned for revision")
    ACCEPTED = "accepted", _("accepted")


class LpjSubmission(TimeStampedModel):
    """One submission of a grant's LPJ. A returned one stays on record; the next
    submission follows it. At most one awaits review and at most one is accepted."""

    Outcome = LpjOutcome

    grant = models.ForeignKey(
        Grant, on_delete=models.PROTECT, related_name="lpj_submissions", verbose_name=_("grant")
    )
    submitted_on = models.DateField(_("submitted on"))
    letter_number = models.CharField(
        _("cover letter number"),
        max_length=100,
        blank=True,
        help_text=_(
            "Left empty, the next number of the body's letter register is taken (the "
            "register names this submission as the letter's document)."
        ),
    )
    received_by = models.CharField(
        _("received by"),
        max_length=150,
        help_text=_("Who received it at the funder, e.g. the head of the Dinas Sosial's office."),
    )
    outcome = models.CharField(
        _("review"), max_length=10, choices=LpjOutcome, default=LpjOutcome.PENDING
    )
    decided_on = models.DateField(_("reviewed on"), null=True, blank=True)
    review_note = models.TextField(
        _("review note"), blank=True, help_text=_("What the funder asks to revise.")
    )

    objects = GrantRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["grant_id", "submitted_on", "pk"]
        verbose_name = _("LPJ submission")
        verbose_name_plural = _("LPJ submissions")
        constraints = [
            FieldCheckConstraint(
                field="outcome",
                condition=Q(outcome__in=LpjOutcome.values),
                name="lpj_outcome_known",
                violation_error_message=_("Unknown review outcome."),
            ),
            FieldCheckConstraint(
                field="decided_on",
                condition=Q(outcome=LpjOutcome.PENDING, decided_on__isnull=True)
                | (~Q(outcome=LpjOutcome.PENDING) & Q(decided_on__isnull=False)),
                name="lpj_decision_dated",
                violation_error_message=_(
                    "A review has a date; a submission awaiting one has none."
                ),
            ),
            FieldCheckConstraint(
                field="decided_on",
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("submitted_on")),
                name="lpj_decided_after_submission",
                violation_error_message=_("The review cannot come before the submission."),
            ),
            FieldCheckConstraint(
                field="review_note",
                condition=~Q(outcome=LpjOutcome.RETURNED) | ~Q(review_note=""),
                name="lpj_return_has_note",
                violation_error_message=_("Say what is to be revised."),
            ),
            models.UniqueConstraint(
                fields=["grant"],
                condition=Q(outcome=LpjOutcome.PENDING),
                name="lpj_one_pending_per_grant",
                violation_error_message=_("An LPJ of this grant already awaits review."),
            ),
            models.UniqueConstraint(
                fields=["grant"],
                condition=Q(outcome=LpjOutcome.ACCEPTED),
                name="lpj_accepted_once_per_grant",
                violation_error_message=_("The LPJ of this grant was already accepted."),
            ),
        ]

    def __str__(self):
        return f"LPJ {self.grant} · {self.submitted_on:%Y-%m-%d}"

    @property
    def is_pending(self):
        return self.outcome == self.Outcome.PENDING

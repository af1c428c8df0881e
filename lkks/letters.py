"""The body's one register of outgoing letters (agenda surat keluar).

Every letter the app issues (a recommendation, a report, an LPJ) takes its number here,
from one sequence per body and year, formatted by the pattern the body sets. The
counter row of the body's year is locked while a number is taken, so two letters issued
at the same moment get two numbers; a number once taken is never given again, even if
its letter is not sent.
"""

import datetime

from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.dates import FIRST_YEAR, LAST_YEAR
from lkks.models import Body, BodyScopedQuerySet, TimeStampedModel, User
from lkks.numbering import letter_number
from lkks.validation import field_error


class LetterCounter(models.Model):
    """The last sequence number taken in one body's year: the row locked while the
    next is taken."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last_sequence = models.PositiveIntegerField(_("last sequence number"), default=0)

    class Meta:
        verbose_name = _("letter counter")
        verbose_name_plural = _("letter counters")
        constraints = [
            models.UniqueConstraint(fields=["body", "year"], name="letter_counter_once_per_year"),
        ]

    def __str__(self):
        return f"{self.body} · {self.year} · {self.last_sequence}"


class LetterQuerySet(BodyScopedQuerySet):
    def in_year(self, year):
        return self.filter(year=year)

    def for_reference(self, reference):
        return self.filter(reference=reference)


class Letter(TimeStampedModel):
    """One outgoing letter: its number, date, kind and subject."""

    class Kind(models.TextChoices):
        # The value is the code printed in the number.
        RECOMMENDATION = "REK", _("recommendation")
        REPORT = "LAP", _("report")
        LPJ = "LPJ", _("accountability report (LPJ)")
        INVITATION = "UND", _("invitation")
        ASSIGNMENT = "ST", _("assignment letter")
        STATEMENT = "KET", _("statement")
        DECREE = "SK", _("decree")
        OTHER = "UM", _("other letter")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="letters", verbose_name=_("body")
    )
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence number"), editable=False)
    number = models.CharField(_("letter number"), max_length=100, editable=False)
    kind = models.CharField(_("kind"), max_length=5, choices=Kind)
    date = models.DateField(_("date"))
    subject = models.CharField(_("subject"), max_length=300)
    recipient = models.CharField(_("to"), max_length=300, blank=True)
    # What the letter is the number of, for documents that are printed again and again
    # (the annual report of 2024, the report of a visit): it keeps one number.
    reference = models.CharField(_("document"), max_length=100, blank=True, editable=False)
    issued_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("issued by"),
    )

    objects = LetterQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "year", "sequence"],
                name="letter_sequence_unique_per_body_year",
                violation_error_message=_("This letter number is already used."),
            ),
            models.UniqueConstraint(
                fields=["body", "number"],
                name="letter_number_unique_per_body",
                violation_error_message=_("This letter number is already used."),
            ),
            models.UniqueConstraint(
                fields=["body", "reference"],
                condition=~Q(reference=""),
                name="letter_reference_unique_per_body",
                violation_error_message=_("This document already has a letter number."),
            ),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="letter_sequence_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR), name="letter_year_range"
            ),
        ]

    def __str__(self):
        return self.number


def _locked_counter(body_id, year) -> LetterCounter:
    """The counter of the body's year, locked until the transaction ends; created at the
    first letter of a year (a racing creation loses to the unique constraint and then
    waits for the winner's lock)."""
    counters = LetterCounter.objects.select_for_update()
    try:
        return counters.get(body_id=body_id, year=year)
    except LetterCounter.DoesNotExist:
        pass
    try:
        with transaction.atomic():
            LetterCounter.objects.create(body_id=body_id, year=year)
    except IntegrityError:
        pass
    return counters.get(body_id=body_id, year=year)


@transaction.atomic
def issue_letter(
    *,
    body: Body,
    kind: str,
    on: datetime.date,
    subject: str,
    by: User | None,
    recipient: str = "",
    reference: str = "",
) -> Letter:
    """Take the next number of the body's year of ``on`` and record the letter."""
    if on is None:
        raise field_error("date", _("Give the date of the letter."), "required")
    if on > timezone.localdate():
        raise field_error("date", _("The date cannot be in the future."), "future_date")
    if not FIRST_YEAR <= on.year <= LAST_YEAR:
        raise field_error(
            "date",
            _("The date must be between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
            "year_range",
        )
    if reference and Letter.objects.filter(body=body, reference=reference).exists():
        raise field_error(
            "reference", _("This document already has a letter number."), "unique_reference"
        )
    counter = _locked_counter(body.pk, on.year)
    # Read the pattern after the lock: a change saved meanwhile applies to this number.
    pattern = Body.objects.values_list("letter_number_pattern", flat=True).get(pk=body.pk)
    sequence = counter.last_sequence + 1
    letter = Letter(
        body=body,
        year=on.year,
        sequence=sequence,
        number=letter_number(pattern, seq=sequence, kind=kind, on=on),
        kind=kind,
        date=on,
        subject=subject,
        recipient=recipient,
        reference=reference,
        issued_by=by,
    )
    if by is not None:
        letter._history_user = by
    letter.full_clean()
    letter.save()
    counter.last_sequence = sequence
    counter.save(update_fields=["last_sequence"])
    return letter


def letter_update(*, letter: Letter, by: User | None) -> Letter:
    """Save a letter's subject or recipient; its number and date never change."""
    if by is not None:
        letter._history_user = by
    letter.full_clean()
    letter.save()
    return letter

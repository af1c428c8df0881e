"""The body's officers (pengurus): who holds which position, appointed by which decree
(SK), for which term.

Who holds a position on a date is derived from the terms, never stored: a new decree
ends the terms of the board it replaces the day before its own term starts, so the old
board stays on record and still signs the documents dated in its time.
"""

import datetime

from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import Body, BodyScopedQuerySet, FieldCheckConstraint, TimeStampedModel
from lkks.uploads import RandomName, validate_scan
from lkks.validation import field_error


class Decree(TimeStampedModel):
    """A decree (surat keputusan, SK) appointing the body's board or changing it,
    usually issued by the Bupati or the Wali Kota."""

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="decrees", verbose_name=_("body")
    )
    number = models.CharField(_("decree number"), max_length=100)
    issued_on = models.DateField(_("date of the decree"))
    issued_by = models.CharField(_("issued by"), max_length=150, help_text=_("E.g. Bupati Kampar."))
    subject = models.CharField(
        _("subject"),
        max_length=300,
        blank=True,
        help_text=_("E.g. Susunan Pengurus LKKS Kabupaten Kampar Masa Bakti 2021–2026."),
    )
    term_start = models.DateField(
        _("term starts"), help_text=_("The first day of the board's term (masa bakti).")
    )
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    scan = models.FileField(
        _("scan of the decree"),
        upload_to=RandomName("decrees"),
        validators=[validate_scan],
        blank=True,
    )

    objects = BodyScopedQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("decree (SK)")
        verbose_name_plural = _("decrees (SK)")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                name="decree_number_unique_per_body",
                violation_error_message=_("The body already has a decree with this number."),
            ),
            FieldCheckConstraint(
                field="term_end",
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="decree_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"SK {self.number}"


class OfficerQuerySet(BodyScopedQuerySet):
    body_path = "decree__body"

    def holding(self, *, on: datetime.date):
        """The officers whose term includes the day ``on``."""
        return self.filter(Q(term_end__isnull=True) | Q(term_end__gte=on), term_start__lte=on)

    def current(self):
        return self.holding(on=timezone.localdate())

    def board_order(self):
        return self.order_by("position", "portfolio", "name", "pk")


class Officer(TimeStampedModel):
    """One person's place on the board, for the term of one decree."""

    class Position(models.IntegerChoices):
        # The order is the order of the board as a decree lists it.
        CHAIR = 10, _("General chair (Ketua Umum)")
        EXECUTIVE_CHAIR = 20, _("Executive chair (Ketua Harian)")
        VICE_CHAIR = 30, _("Vice chair (Wakil Ketua)")
        SECRETARY = 40, _("Secretary (Sekretaris)")
        TREASURER = 50, _("Treasurer (Bendahara)")
        DIVISION_HEAD = 60, _("Division head (Ketua Bidang)")
        MEMBER = 70, _("Member (Anggota)")

    decree = models.ForeignKey(
        Decree, on_delete=models.PROTECT, related_name="officers", verbose_name=_("decree (SK)")
    )
    position = models.PositiveSmallIntegerField(_("position"), choices=Position)
    portfolio = models.CharField(
        _("division"),
        max_length=150,
        blank=True,
        help_text=_("For a division head: the division, e.g. Pembinaan LKS."),
    )
    name = models.CharField(
        _("name"), max_length=150, help_text=_("With academic titles, as signed.")
    )
    ex_officio = models.CharField(
        _("ex officio"),
        max_length=200,
        blank=True,
        help_text=_("The office that brings the position, e.g. Ketua TP-PKK Kabupaten Kampar."),
    )
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(
        _("term ends"),
        null=True,
        blank=True,
        help_text=_("Empty: until a new decree replaces the board."),
    )

    objects = OfficerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        constraints = [
            FieldCheckConstraint(
                field="term_end",
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="officer_term_ends_after_start",
                violation_error_message=_("The term cannot end before it starts."),
            ),
            FieldCheckConstraint(
                field="portfolio",
                # 60: Position.DIVISION_HEAD (the nested class is out of scope here).
                condition=~Q(position=60) | ~Q(portfolio=""),
                name="officer_division_head_has_division",
                violation_error_message=_("Name the division this officer heads."),
            ),
        ]
        indexes = [models.Index(fields=["position", "term_start"], name="officer_position_term")]

    def __str__(self):
        return f"{self.position_label} · {self.name}"

    def get_absolute_url(self):
        return reverse("officer-list") + f"?body={self.decree.body.slug}"

    @property
    def position_label(self):
        """The position as a document prints it: "Ketua Umum", "Ketua Bidang Pembinaan
        LKS"."""
        label = position_title(self.position)
        return f"{label} {self.portfolio}" if self.portfolio else label

    def clean(self):
        # An officer serves within the term of the decree that appoints them.
        decree = self.decree if self.decree_id else None
        if decree is None or self.term_start is None:
            return
        if self.term_start < decree.term_start:
            raise field_error(
                "term_start",
                _("The term cannot start before the decree's term (%(start)s).")
                % {"start": date_format(decree.term_start)},
                "before_decree_term",
            )
        if decree.term_end and self.term_end and self.term_end > decree.term_end:
            raise field_error(
                "term_end",
                _("The term cannot go past the decree's term (%(end)s).")
                % {"end": date_format(decree.term_end)},
                "after_decree_term",
            )

    def title(self):
        """The officer's title under a signature: "Ketua Umum LKKS Kabupaten Kampar"."""
        return f"{self.position_label} {self.decree.body.name}"


# The Indonesian title of each position, as printed on documents whatever the language
# of the interface (the labels above are for the pages).
POSITION_TITLES = {
    Officer.Position.CHAIR: "Ketua Umum",
    Officer.Position.EXECUTIVE_CHAIR: "Ketua Harian",
    Officer.Position.VICE_CHAIR: "Wakil Ketua",
    Officer.Position.SECRETARY: "Sekretaris",
    Officer.Position.TREASURER: "Bendahara",
    Officer.Position.DIVISION_HEAD: "Ketua Bidang",
    Officer.Position.MEMBER: "Anggota",
}


def position_title(position) -> str:
    return POSITION_TITLES[Officer.Position(position)]


def holders(body, *, on: datetime.date, positions) -> dict:
    """The officer holding each of ``positions`` in ``body`` on the day ``on`` (one
    query); a position nobody holds is absent. Where terms overlap, the one that started
    last holds it."""
    found = {}
    officers = (
        Officer.objects.for_body(body)
        .holding(on=on)
        .filter(position__in=list(positions))
        .select_related("decree__body")
        .order_by("position", "-term_start", "-pk")
    )
    for officer in officers:
        found.setdefault(officer.position, officer)
    return found


@transaction.atomic
def decree_record(*, decree: Decree, replaces_board: bool, by=None) -> Decree:
    """Record a new decree of the body (or a change to one). When it
    ``replaces_board``, every term of the body still open on the day the new term
    starts ends the day before, so the old board stays on record with its term."""
    if by is not None:
        decree._history_user = by
    decree.full_clean()
    decree.save()
    if replaces_board:
        term_start = decree.term_start
        ending = (
            Officer.objects.select_for_update()
            .for_body(decree.body)
            .exclude(decree=decree)
            .filter(term_start__lt=term_start)
            .filter(Q(term_end__isnull=True) | Q(term_end__gte=term_start))
        )
        for officer in ending:
            officer.term_end = term_start - datetime.timedelta(days=1)
            if by is not None:
                officer._history_user = by
            officer.save(update_fields=["term_end", "updated_at"])
    return decree


def officer_save(*, officer: Officer, by=None) -> Officer:
    if by is not None:
        officer._history_user = by
    officer.full_clean()
    officer.save()
    return officer

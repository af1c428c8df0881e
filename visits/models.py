"""Study visits (studi tiru, kunjungan kerja): one body visits another, or an outside
host, to learn how it works.

A visit between two bodies of the deployment is one record that both bodies' users
see; staff of either side edit it, and each side owns its own follow-up actions. A
third body never sees it.
"""

import datetime

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import Body, BodyScopedQuerySet, FieldCheckConstraint, Membership, TimeStampedModel
from lkks.uploads import RandomName, validate_image
from lkks.validation import field_error


def _bodies_of(user, role=None):
    memberships = Membership.objects.filter(user=user)
    if role is not None:
        memberships = memberships.filter(role=role)
    return memberships.values("body")


class VisitQuerySet(models.QuerySet):
    """A visit has two sides, so where other records ask "is it of one of my bodies?"
    a visit asks "is either side one of my bodies?". ``visit_path`` names the lookup
    from the model to its visit ("" for the visit itself)."""

    visit_path = ""

    def _side(self, name):
        return f"{self.visit_path}__{name}" if self.visit_path else name

    def _either_side_in(self, bodies):
        return self.filter(
            Q(**{f"{self._side('visiting_body')}__in": bodies})
            | Q(**{f"{self._side('host_body')}__in": bodies})
        )

    def for_user(self, user):
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self._either_side_in(_bodies_of(user))

    def editable_by(self, user):
        """Staff of either side (or the admin) change the visit, its delegations, its
        photos."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self._either_side_in(_bodies_of(user, Membership.Role.STAFF))

    def for_body(self, body):
        return self._either_side_in([body.pk])

    def between(self, bodies):
        """The visits whose two sides are both among ``bodies``."""
        ids = [body.pk for body in bodies]
        return self.filter(
            **{f"{self._side('visiting_body')}__in": ids, f"{self._side('host_body')}__in": ids}
        )


class StudyVisit(TimeStampedModel):
    visiting_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="visits_made",
        verbose_name=_("visiting body"),
    )
    host_body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="visits_received",
        null=True,
        blank=True,
        verbose_name=_("host body"),
        help_text=_("A body of this application; leave empty for a host outside it."),
    )
    host_name = models.CharField(
        _("outside host"),
        max_length=200,
        blank=True,
        help_text=_("The host's name when it is not a body of this application."),
    )
    date = models.DateField(_("date"))
    start_time = models.TimeField(_("from"), null=True, blank=True)
    end_time = models.TimeField(_("until"), null=True, blank=True)
    place = models.CharField(
        _("place"), max_length=200, help_text=_("E.g. Dinas Sosial Kabupaten Sleman.")
    )
    purpose = models.TextField(_("purpose"))
    basis = models.TextField(
        _("basis (dasar)"),
        blank=True,
        help_text=_("The assignment or invitation the visit was made on, one per line."),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    lessons = models.TextField(
        _("what was learned"),
        blank=True,
        help_text=_("Also the host's programs and figures presented at the visit."),
    )

    objects = VisitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("study visit")
        verbose_name_plural = _("study visits")
        constraints = [
            FieldCheckConstraint(
                field="host_body",
                condition=Q(host_body__isnull=False) | ~Q(host_name=""),
                name="studyvisit_has_a_host",
                violation_error_message=_("Choose the host body or name a host outside."),
            ),
            FieldCheckConstraint(
                field="host_body",
                condition=Q(host_body__isnull=True) | ~Q(host_body=F("visiting_body")),
                name="studyvisit_host_is_not_the_visitor",
                violation_error_message=_("A body cannot visit itself."),
            ),
            FieldCheckConstraint(
                field="end_time",
                condition=Q(start_time__isnull=True)
                | Q(end_time__isnull=True)
                | Q(end_time__gte=F("start_time")),
                name="studyvisit_ends_after_it_starts",
                violation_error_message=_("The visit cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.visiting_body} → {self.host} · {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("visits:visit-detail", args=[self.pk])

    @property
    def host(self):
        """The host's name, of a body of the application or outside it."""
        return self.host_body.name if self.host_body_id else self.host_name

    @property
    def sides(self):
        """The bodies of the application on either side (one for an outside host)."""
        return [body for body in (self.visiting_body, self.host_body) if body is not None]

    def is_side(self, body):
        return body is not None and body.pk in (self.visiting_body_id, self.host_body_id)


class PartOfVisitQuerySet(VisitQuerySet):
    """Delegates and photos: seen and changed with their visit."""

    visit_path = "visit"


class Delegate(TimeStampedModel):
    """One person of a delegation: of the visitors or of the hosts."""

    class Side(models.TextChoices):
        VISITING = "visiting", _("visiting delegation")
        HOST = "host", _("received by")

    visit = models.ForeignKey(
        StudyVisit, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("visit")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    name = models.CharField(_("name"), max_length=150, help_text=_("With academic titles."))
    position = models.CharField(
        _("position"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Ketua Umum LKKS Kabupaten Kampar."),
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    note = models.CharField(
        _("note"),
        max_length=200,
        blank=True,
        help_text=_("E.g. representing the head of the office."),
    )

    objects = PartOfVisitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "side", "pk"]
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")

    def __str__(self):
        return f"{self.name} ({self.position})" if self.position else self.name

    def get_absolute_url(self):
        return self.visit.get_absolute_url()


class FollowUpQuerySet(BodyScopedQuerySet):
    """Follow-ups are read by both sides of their visit and changed only by the side
    that owns them (``body``)."""

    def for_user(self, user):
        return self.filter(visit__in=StudyVisit.objects.for_user(user))

    def open(self):
        return self.filter(status__in=FollowUp.OPEN)

    def due_by(self, day: datetime.date):
        """Still open and due on or before ``day`` (overdue ones included)."""
        return self.open().filter(due_on__lte=day)


class FollowUp(TimeStampedModel):
    """Something one side decided to do after the visit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    visit = models.ForeignKey(
        StudyVisit, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("visit")
    )
    body = models.ForeignKey(
        Body,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("owned by"),
    )
    action = models.TextField(_("what"))
    responsible = models.CharField(_("who"), max_length=200)
    due_on = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.PLANNED)
    outcome = models.TextField(_("outcome"), blank=True)

    objects = FollowUpQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up action")
        verbose_name_plural = _("follow-up actions")
        indexes = [models.Index(fields=["body", "status", "due_on"], name="followup_due")]

    def __str__(self):
        return self.action[:80]

    def get_absolute_url(self):
        return self.visit.get_absolute_url() + "#follow-ups"

    def clean(self):
        if self.visit_id and self.body_id and not self.visit.is_side(self.body):
            raise field_error(
                "body", _("A follow-up belongs to one side of its visit."), "not_a_side"
            )
        if self.status == self.Status.DONE and not self.outcome.strip():
            raise field_error("outcome", _("Say what came of it."), "outcome_required")

    @property
    def is_open(self):
        return self.status in self.OPEN

    def is_overdue(self, today=None):
        return (
            self.is_open
            and self.due_on is not None
            and self.due_on < (today or timezone.localdate())
        )


class VisitPhoto(TimeStampedModel):
    visit = models.ForeignKey(
        StudyVisit, on_delete=models.CASCADE, related_name="photos", verbose_name=_("visit")
    )
    image = models.ImageField(
        _("photo"), upload_to=RandomName("visits/photos"), validators=[validate_image]
    )
    thumbnail = models.ImageField(
        _("thumbnail"), upload_to=RandomName("visits/thumbnails"), blank=True, editable=False
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    objects = PartOfVisitQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["visit", "pk"]
        verbose_name = _("visit photo")
        verbose_name_plural = _("visit photos")

    def __str__(self):
        return self.caption or self.image.name

    def get_absolute_url(self):
        return self.visit.get_absolute_url()

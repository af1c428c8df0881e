"""What an LKS applies for through its portal: a registration (tanda daftar) or a
recommendation letter for a purpose it states.

Each kind has a checklist of the documents it needs, kept by admins
(``ChecklistItem``; the defaults follow common regional SOPs). The LKS attaches one of
its documents to each item and may submit only when every required item has one.
Staff then return it for revision (with a note), refuse it (with a reason), or approve
it: an approved recommendation is issued through the recommendation flow (its number
from the body's letter register), an approved registration is recorded in the
register as submitted to the Dinas Sosial (the LKS is then "in process"). The LKS is
emailed at each step.

An application (or the register's own application, a submitted registration) that
waits longer than its body's ``application_wait_days`` waits too long
(``waiting_too_long``): the dashboard, the list of what is due and the staff digest say
so.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import BodyScopedQuerySet, FieldCheckConstraint, TimeStampedModel, User
from lkks.signatures import social_office_name
from lkks.validation import field_error
from members import notify
from members.models import (
    LegalDocument,
    LksScopedMixin,
    Organisation,
    Recommendation,
    Registration,
)
from members.services import recommendation_issue, registration_save


class ApplicationKind(models.TextChoices):
    REGISTRATION = "registration", _("registration (tanda daftar)")
    RECOMMENDATION = "recommendation", _("recommendation letter")


class ChecklistItem(models.Model):
    """A document one kind of application needs (kept by admins)."""

    kind = models.CharField(_("application"), max_length=15, choices=ApplicationKind)
    name = models.CharField(_("name"), max_length=150)
    document_kind = models.CharField(
        _("kind of document"),
        max_length=20,
        choices=LegalDocument.Kind,
        help_text=_("The LKS attaches one of its documents of this kind."),
    )
    required = models.BooleanField(_("required"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(
        _("in use"), default=True, help_text=_("Items no longer in use are not asked for.")
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "position", "pk"]
        verbose_name = _("application checklist item")
        verbose_name_plural = _("application checklist items")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.name}"


class ApplicationQuerySet(LksScopedMixin, BodyScopedQuerySet):
    body_path = "organisation__body"

    def in_queue(self):
        """Submitted and waiting for staff."""
        return self.filter(status=Application.Status.SUBMITTED)

    def open(self):
        """Not decided for good: a draft, submitted, or returned for revision."""
        return self.filter(status__in=Application.OPEN)

    def submitted_before(self, cutoff):
        return self.in_queue().filter(submitted_on__lt=cutoff)


class Application(TimeStampedModel):
    """An LKS's application for a registration or a recommendation letter."""

    Kind = ApplicationKind

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        SUBMITTED = "submitted", _("submitted")
        REVISION = "revision", _("returned for revision")
        REFUSED = "refused", _("refused")
        APPROVED = "approved", _("approved")

    # The states in which the LKS still works on it or staff still decide it.
    OPEN = [Status.DRAFT, Status.SUBMITTED, Status.REVISION]
    # The states in which the LKS may change its documents.
    EDITABLE = [Status.DRAFT, Status.REVISION]

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("LKS"),
    )
    kind = models.CharField(_("application for"), max_length=15, choices=ApplicationKind)
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("What the recommendation is for, e.g. a grant proposal to the regency."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.DRAFT)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("started by")
    )
    submitted_on = models.DateField(
        _("submitted on"),
        null=True,
        blank=True,
        help_text=_("Its latest submission: it waits for staff from that day."),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("note of the decision"), blank=True)
    registration = models.OneToOneField(
        Registration,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("registration recorded"),
    )
    recommendation = models.OneToOneField(
        Recommendation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("recommendation issued"),
    )

    objects = ApplicationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            FieldCheckConstraint(
                field="submitted_on",
                condition=Q(status="draft") | Q(submitted_on__isnull=False),
                name="application_submitted_has_date",
                violation_error_message=_("A submitted application needs its submission date."),
            ),
            FieldCheckConstraint(
                field="decided_on",
                condition=Q(decided_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(decided_on__gte=F("submitted_on")),
                name="application_decided_after_submitted",
                violation_error_message=_("The decision cannot be before the submission."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("members:application-detail", args=[self.pk])

    def clean(self):
        if self.kind == ApplicationKind.RECOMMENDATION and not self.purpose.strip():
            raise field_error(
                "purpose",
                _("Say what the recommendation is for."),
                "purpose_missing",
            )

    @property
    def is_editable(self):
        return self.status in self.EDITABLE


class ApplicationDocument(models.Model):
    """The document an application gives for one item of its checklist."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("application"),
    )
    item = models.ForeignKey(
        ChecklistItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    document = models.ForeignKey(
        LegalDocument,
        on_delete=models.PROTECT,
        related_name="application_attachments",
        verbose_name=_("document"),
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attached document")
        verbose_name_plural = _("attached documents")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "item"], name="application_document_once_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.item.name}: {self.document}"


# Reads


@dataclass(frozen=True)
class ChecklistRow:
    item: ChecklistItem
    document: LegalDocument | None  # the one attached, if any

    @property
    def state(self):
        """missing, awaiting, verified or refused."""
        if self.document is None:
            return "missing"
        return self.document.verification

    @property
    def is_missing(self):
        """A required item without a document that may still count."""
        return self.item.required and self.state in ("missing", LegalDocument.Verification.REFUSED)


def checklist(application) -> list[ChecklistRow]:
    """The items of the application's kind in use, each with its attached document (two
    queries)."""
    attached = {
        attachment.item_id: attachment.document
        for attachment in application.attachments.select_related("document")
    }
    items = ChecklistItem.objects.filter(kind=application.kind, active=True)
    return [ChecklistRow(item, attached.get(item.pk)) for item in items]


@dataclass(frozen=True)
class Waiting:
    """An application that waits longer than its body allows."""

    organisation_id: int
    organisation_name: str
    since: datetime.date  # submitted on
    days: int  # waited until the day asked
    limit_days: int
    application_id: int | None  # None: the register's own submitted registration
    kind: str  # an ApplicationKind

    @property
    def kind_label(self):
        return ApplicationKind(self.kind).label

    @property
    def too_long_since(self):
        """The first day it waited too long."""
        return self.since + datetime.timedelta(days=self.limit_days + 1)

    @property
    def key(self):
        if self.application_id:
            return f"members.application:{self.application_id}"
        return f"members.organisation:{self.organisation_id}"

    @property
    def url(self):
        if self.application_id:
            return reverse("members:application-detail", args=[self.application_id])
        return reverse("members:organisation-detail", args=[self.organisation_id]) + (
            "#registrations"
        )


def waiting_too_long(body, on=None) -> list[Waiting]:
    """The body's applications waiting longer than its ``application_wait_days`` on
    ``on``: the LKS the register shows in process since before then, and the portal's
    submitted applications not yet decided (two queries), longest waiting first."""
    on = on or timezone.localdate()
    limit = body.application_wait_days
    cutoff = on - datetime.timedelta(days=limit)
    rows = [
        Waiting(
            organisation_id=organisation.pk,
            organisation_name=organisation.name,
            since=organisation.waiting_since,
            days=(on - organisation.waiting_since).days,
            limit_days=limit,
            application_id=None,
            kind=ApplicationKind.REGISTRATION,
        )
        for organisation in Organisation.objects.for_body(body)
        .waiting_since_before(cutoff, on=on)
        .only("pk", "name")
    ]
    rows += [
        Waiting(
            organisation_id=application.organisation_id,
            organisation_name=application.organisation.name,
            since=application.submitted_on,
            days=(on - application.submitted_on).days,
            limit_days=limit,
            application_id=application.pk,
            kind=application.kind,
        )
        for application in Application.objects.for_body(body)
        .submitted_before(cutoff)
        .select_related("organisation")
    ]
    return sorted(rows, key=lambda row: (row.since, row.organisation_name, row.key))


# Writes


@transaction.atomic
def application_start(
    *, organisation: Organisation, kind: str, purpose: str = "", by
) -> Application:
    """A new draft. An LKS has one open application of each kind at a time."""
    if Application.objects.filter(organisation=organisation, kind=kind).open().exists():
        raise field_error(
            "kind",
            _("An application of this kind is already open; continue that one."),
            "application_open",
        )
    application = Application(
        organisation=organisation, kind=kind, purpose=purpose.strip(), created_by=by
    )
    application._history_user = by
    application.full_clean()
    application.save()
    return application


def _locked(application):
    return Application.objects.select_for_update().get(pk=application.pk)


@transaction.atomic
def application_attach(
    *, application: Application, item: ChecklistItem, document: LegalDocument | None, by
) -> Application:
    """Give the document for one item (None: take it away). Only the LKS's own
    documents of the item's kind, not refused, while the application is a draft or
    returned for revision."""
    field = f"item_{item.pk}"
    application = _locked(application)
    if not application.is_editable:
        raise field_error(
            field, _("This application can no longer be changed."), "application_closed"
        )
    if item.kind != application.kind or not item.active:
        raise field_error(field, _("This item is not asked for here."), "item_not_asked")
    attachment = ApplicationDocument.objects.filter(application=application, item=item).first()
    if document is None:
        if attachment is not None:
            attachment._history_user = by
            attachment.delete()
        return application
    # As it is now: staff may have refused it since the page was opened.
    document = LegalDocument.objects.get(pk=document.pk)
    if document.organisation_id != application.organisation_id:
        raise field_error(field, _("Choose one of your own documents."), "not_own_document")
    if document.kind != item.document_kind:
        raise field_error(
            field,
            _("This item needs a document of the kind %(kind)s.")
            % {"kind": LegalDocument.Kind(item.document_kind).label},
            "wrong_document_kind",
        )
    if document.verification == LegalDocument.Verification.REFUSED:
        raise field_error(
            field, _("This document was refused; upload a new one."), "document_refused"
        )
    attachment = attachment or ApplicationDocument(application=application, item=item)
    attachment.document = document
    attachment._history_user = by
    attachment.full_clean()
    attachment.save()
    return application


@transaction.atomic
def application_submit(*, application: Application, by, on=None) -> Application:
    """Submit a draft (or a revised application): every required item needs a document
    that is not refused."""
    application = _locked(application)
    if not application.is_editable:
        raise field_error(
            "status", _("This application has been submitted already."), "submitted_already"
        )
    errors = {
        f"item_{row.item.pk}": [
            _("Attach a document for this item.")
            if row.document is None
            else _("This document was refused; attach another one.")
        ]
        for row in checklist(application)
        if row.is_missing
    }
    if errors:
        raise ValidationError(errors)
    application.status = Application.Status.SUBMITTED
    application.submitted_on = on or timezone.localdate()
    application.decided_on = None
    application._history_user = by
    application.full_clean()
    application.save()
    notify.to_lks(
        application.organisation, "members/emails/application_submitted", application=application
    )
    return application


def _registration_note(application):
    # Kept in the register, so written in the register's language whoever approves.
    with translation.override(settings.LANGUAGE_CODE):
        return gettext("Applied through the LKS portal on %(date)s (application %(number)s).") % {
            "date": date_format(application.submitted_on, "DATE_FORMAT"),
            "number": application.pk,
        }


def _decide(application, *, status, by, note, on):
    application.status = status
    application.decided_on = on or timezone.localdate()
    application.decided_by = by
    application.decision_note = note.strip()
    application._history_user = by
    application.full_clean()
    application.save()


def _in_queue(application):
    application = _locked(application)
    if application.status != Application.Status.SUBMITTED:
        raise field_error(
            "decision",
            _("This application is not waiting for a decision."),
            "not_in_queue",
        )
    return application


@transaction.atomic
def application_return(*, application: Application, by, note: str, on=None) -> Application:
    """Return it to the LKS for revision, saying what to change."""
    if not note.strip():
        raise field_error("note", _("Say what the LKS should change."), "note_missing")
    application = _in_queue(application)
    _decide(application, status=Application.Status.REVISION, by=by, note=note, on=on)
    notify.to_lks(
        application.organisation, "members/emails/application_revision", application=application
    )
    return application


@transaction.atomic
def application_refuse(*, application: Application, by, note: str, on=None) -> Application:
    """Refuse it, giving the reason."""
    if not note.strip():
        raise field_error("note", _("Give the reason for refusing."), "note_missing")
    application = _in_queue(application)
    _decide(application, status=Application.Status.REFUSED, by=by, note=note, on=on)
    notify.to_lks(
        application.organisation, "members/emails/application_refused", application=application
    )
    return application


@transaction.atomic
def application_approve(*, application: Application, by, note: str = "", on=None) -> Application:
    """Approve it once every document given for a required item is verified: issue the
    recommendation letter, or record the registration as submitted to the Dinas
    Sosial."""
    on = on or timezone.localdate()
    application = _in_queue(application)
    unverified = [
        row.item.name
        for row in checklist(application)
        if row.item.required and (row.document is None or not row.document.is_verified)
    ]
    if unverified:
        raise field_error(
            "decision",
            _("Verify the documents first: %(items)s.") % {"items": ", ".join(unverified)},
            "documents_unverified",
        )
    organisation = application.organisation
    if application.kind == ApplicationKind.RECOMMENDATION:
        application.recommendation = recommendation_issue(
            organisation=organisation, date=on, purpose=application.purpose, by=by
        )
    else:
        registration = Registration(
            organisation=organisation,
            status=Registration.Status.SUBMITTED,
            issuer=social_office_name(organisation.body),
            submitted_on=on,
            is_renewal=organisation.registrations.filter(
                status=Registration.Status.REGISTERED
            ).exists(),
            notes=_registration_note(application),
        )
        registration._history_user = by
        application.registration = registration_save(registration=registration)
    _decide(application, status=Application.Status.APPROVED, by=by, note=note, on=on)
    notify.to_lks(organisation, "members/emails/application_approved", application=application)
    return application

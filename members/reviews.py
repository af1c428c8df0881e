"""What staff review of what an LKS does in its portal, and its self-assessment.

- **Documents**: an LKS's upload waits for verification; staff verify or refuse it
  with a note. Only verified documents count (``LegalDocument.objects.verified()``).
  The verification log of an LKS is read from the documents' history.
- **Proposed changes**: the LKS proposes new values for its profile, address, contacts
  and board (``ProfileChange``, one ``ProposedChange`` per field); nothing in the
  register changes until staff decide each field. Accepted values are written through
  ``organisation_save``, the history naming the reviewer as its user and the proposer
  in its reason.
- **Accreditation readiness**: items of the accreditation instrument, grouped by its
  areas (kept by admins), that the LKS answers with evidence documents; an item is met
  when its evidence is verified.
"""

import datetime
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import BodyScopedQuerySet, Region, TimeStampedModel, User
from lkks.validation import field_error
from members import notify
from members.models import LegalDocument, LksScopedMixin, Organisation, TargetGroup
from members.services import organisation_save

Verification = LegalDocument.Verification


# Documents uploaded by the LKS, and their verification


@transaction.atomic
def document_upload(*, document: LegalDocument, by) -> LegalDocument:
    """An LKS's own document, with its scan: it waits for staff to verify it."""
    if not document.document:
        raise field_error("document", _("Attach the scan of the document."), "scan_missing")
    document.verification = Verification.AWAITING
    document.uploaded_by_lks = True
    document.verified_by = None
    document.verified_at = None
    document.verification_note = ""
    document._history_user = by
    document.full_clean()
    document.save()
    return document


@transaction.atomic
def document_decide(
    *, document: LegalDocument, by, verified: bool, note: str = ""
) -> LegalDocument:
    """Verify or refuse a document awaiting verification (a refusal says why)."""
    note = note.strip()
    if not verified and not note:
        raise field_error("note", _("Say why the document is refused."), "note_missing")
    document = LegalDocument.objects.select_for_update().get(pk=document.pk)
    if document.verification != Verification.AWAITING:
        raise field_error(
            "decision", _("This document has been checked already."), "checked_already"
        )
    document.verification = Verification.VERIFIED if verified else Verification.REFUSED
    document.verified_by = by
    document.verified_at = timezone.now()
    document.verification_note = note
    document._history_user = by
    document.save()
    notify.to_lks(document.organisation, "members/emails/document_checked", document=document)
    return document


@dataclass(frozen=True)
class Check:
    """One line of an LKS's verification log."""

    when: datetime.datetime
    who: str
    document: str
    outcome: str  # a LegalDocument.Verification
    note: str

    @property
    def outcome_label(self):
        return Verification(self.outcome).label


def _name(user):
    return (user.get_full_name() or user.username) if user else ""


def verification_log(organisation, limit=50) -> list[Check]:
    """Who checked which document of the LKS, when, and the outcome, newest first (one
    query). Read from the documents' history, so a document deleted since keeps its
    line. Staff's own entries are verified as entered, without a check to log."""
    rows = (
        LegalDocument.history.filter(organisation=organisation, verified_at__isnull=False)
        .select_related("verified_by", "history_user")
        .order_by("-verified_at", "history_id")
    )
    seen, log = set(), []
    for row in rows[: limit * 4]:
        # Every later save of a checked document repeats its check: keep the first.
        key = (row.id, row.verified_at)
        if key in seen:
            continue
        seen.add(key)
        label = LegalDocument.Kind(row.kind).label if row.kind in LegalDocument.Kind else row.kind
        log.append(
            Check(
                when=row.verified_at,
                who=_name(row.verified_by or row.history_user),
                document=f"{capfirst(label)} {row.number}".strip(),
                outcome=row.verification,
                note=row.verification_note,
            )
        )
    return log[:limit]


# Proposed changes to the register

# The fields an LKS may propose, by the part of its page they are on.
PROPOSABLE = {
    "profile": ["name", "kind", "legal_form", "target_groups", "founded_on", "client_count"],
    "address": ["address", "district", "village"],
    "contacts": ["phone", "email"],
    "board": ["chairperson", "secretary", "treasurer"],
}
PROPOSABLE_FIELDS = [name for names in PROPOSABLE.values() for name in names]


def _field(name):
    return Organisation._meta.get_field(name)


def stored_value(name, value):
    """A field's value as a proposal keeps it (JSON): records by their key, dates in
    ISO, the rest as they are."""
    model_field = _field(name)
    if model_field.many_to_many:
        return sorted(record.pk for record in value)
    if model_field.is_relation:
        return value.pk if value is not None else None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def current_value(organisation, name):
    model_field = _field(name)
    if model_field.many_to_many:
        return stored_value(name, organisation.target_groups.all())
    if model_field.is_relation:
        return getattr(organisation, model_field.attname)
    return stored_value(name, getattr(organisation, name))


def _loaded(name, stored):
    """A stored value as the field takes it."""
    model_field = _field(name)
    if model_field.many_to_many:
        return list(TargetGroup.objects.filter(pk__in=stored or []))
    if model_field.is_relation:
        return Region.objects.filter(pk=stored).first() if stored else None
    if isinstance(model_field, models.DateField):
        return datetime.date.fromisoformat(stored) if stored else None
    return stored


def shown_value(name, stored):
    """A stored value as people read it."""
    if stored in (None, "", []):
        return "–"
    model_field = _field(name)
    if model_field.many_to_many:
        return ", ".join(group.name for group in _loaded(name, stored))
    if model_field.is_relation:
        region = _loaded(name, stored)
        return region.name if region else "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(stored, stored))
    if isinstance(model_field, models.DateField):
        return date_format(_loaded(name, stored), "DATE_FORMAT")
    return str(stored)


class ProfileChangeQuerySet(LksScopedMixin, BodyScopedQuerySet):
    body_path = "organisation__body"

    def pending(self):
        return self.filter(status=ProfileChange.Status.PENDING)


class ProfileChange(TimeStampedModel):
    """Changes an LKS proposes to its own record, decided by staff field by field."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for review")
        DECIDED = "decided", _("decided")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="profile_changes",
        verbose_name=_("LKS"),
    )
    proposed_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("proposed by")
    )
    note = models.TextField(_("note of the LKS"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    decided_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ProfileChangeQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("proposed change")
        verbose_name_plural = _("proposed changes")
        constraints = [
            # One proposal waits per LKS: a new one replaces what is still waiting.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(status="pending"),
                name="profilechange_one_pending_per_lks",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("members:change-decide", args=[self.pk])


class ProposedChange(models.Model):
    """One field of a proposal: the value the register had, the one proposed, and what
    staff decided."""

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    change = models.ForeignKey(
        ProfileChange, on_delete=models.CASCADE, related_name="fields", verbose_name=_("proposal")
    )
    field = models.CharField(
        _("field"),
        max_length=20,
        choices=[(name, capfirst(_field(name).verbose_name)) for name in PROPOSABLE_FIELDS],
    )
    was = models.JSONField(_("value when proposed"), null=True, blank=True)
    value = models.JSONField(_("proposed value"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision, blank=True)
    note = models.TextField(_("note of the decision"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["change_id", "pk"]
        verbose_name = _("proposed value")
        verbose_name_plural = _("proposed values")
        constraints = [
            models.UniqueConstraint(
                fields=["change", "field"], name="proposedchange_once_per_field"
            ),
        ]

    def __str__(self):
        return f"{self.get_field_display()}: {self.shown_value}"

    @property
    def shown_value(self):
        return shown_value(self.field, self.value)

    @property
    def shown_was(self):
        return shown_value(self.field, self.was)

    @property
    def is_accepted(self):
        return self.decision == self.Decision.ACCEPTED


def _check_proposal(organisation, proposed):
    """Refuse, on its field, a value the register would not take (a village outside
    the district, a bad email); nothing is written."""
    candidate = Organisation.objects.get(pk=organisation.pk)
    for name, stored in proposed.items():
        if not _field(name).many_to_many:
            setattr(candidate, name, _loaded(name, stored))
    candidate.full_clean()


@transaction.atomic
def profile_change_propose(
    *, organisation: Organisation, by, values: dict, note: str = ""
) -> ProfileChange:
    """Propose the values that differ from the register. What is still waiting for
    review is replaced by this proposal, so staff always see the LKS's latest word."""
    proposed = {}
    for name, value in values.items():
        if name not in PROPOSABLE_FIELDS:
            continue
        stored = json.loads(json.dumps(stored_value(name, value)))
        if stored != current_value(organisation, name):
            proposed[name] = stored
    if not proposed:
        raise ValidationError(
            _("Nothing differs from the register: change a field first."), code="no_change"
        )
    _check_proposal(organisation, proposed)
    # One proposal waits per LKS: two of its people sending at once take turns here.
    Organisation.objects.select_for_update().get(pk=organisation.pk)
    change = ProfileChange.objects.filter(organisation=organisation).pending().first()
    if change is None:
        change = ProfileChange(organisation=organisation)
    change.proposed_by = by
    change.note = note.strip()
    change._history_user = by
    change.save()
    change.fields.exclude(field__in=proposed).delete()
    for name, stored in proposed.items():
        ProposedChange.objects.update_or_create(
            change=change,
            field=name,
            defaults={"value": stored, "was": current_value(organisation, name)},
        )
    return change


def _history_reason(change):
    # The history's reason is kept in the register's language, and short (100).
    with translation.override(settings.LANGUAGE_CODE):
        reason = gettext("Proposed by %(name)s in the LKS portal") % {
            "name": _name(change.proposed_by)
        }
    return reason[:100]


@transaction.atomic
def profile_change_decide(*, change: ProfileChange, by, decisions: dict) -> ProfileChange:
    """Decide every field of a waiting proposal: ``decisions`` maps each field to
    ``(accepted, note)``; a refusal says why. The accepted values are written to the
    register together, or nothing is."""
    change = ProfileChange.objects.select_for_update().get(pk=change.pk)
    if change.status != ProfileChange.Status.PENDING:
        raise ValidationError(_("This proposal has been decided already."), code="decided")
    errors = {}
    fields = list(change.fields.all())
    for proposed in fields:
        accepted, note = decisions.get(proposed.field, (None, ""))
        if accepted is None:
            errors[proposed.field] = [_("Accept or refuse this change.")]
        elif not accepted and not note.strip():
            errors[f"{proposed.field}_note"] = [_("Say why this change is refused.")]
    if errors:
        raise ValidationError(errors)
    accepted = [proposed for proposed in fields if decisions[proposed.field][0]]
    if accepted:
        organisation = Organisation.objects.select_for_update().get(pk=change.organisation_id)
        target_groups = None
        for proposed in accepted:
            loaded = _loaded(proposed.field, proposed.value)
            if _field(proposed.field).many_to_many:
                target_groups = loaded
            else:
                setattr(organisation, proposed.field, loaded)
        organisation._history_user = by
        organisation._change_reason = _history_reason(change)
        try:
            organisation_save(organisation=organisation, target_groups=target_groups)
        except ValidationError as error:
            # On the field's decision, where the reviewer sees it.
            raise ValidationError(
                {
                    (name if name in PROPOSABLE_FIELDS else NON_FIELD_ERRORS): messages
                    for name, messages in error.message_dict.items()
                }
            ) from None
    for proposed in fields:
        is_accepted, note = decisions[proposed.field]
        proposed.decision = (
            ProposedChange.Decision.ACCEPTED if is_accepted else ProposedChange.Decision.REFUSED
        )
        proposed.note = note.strip()
        proposed._history_user = by
        proposed.save()
    change.status = ProfileChange.Status.DECIDED
    change.decided_by = by
    change.decided_at = timezone.now()
    change._history_user = by
    change.save()
    notify.to_lks(
        change.organisation, "members/emails/change_decided", change=change, fields=fields
    )
    return change


# Accreditation readiness


class ReadinessArea(models.TextChoices):
    """The areas of the LKS accreditation instrument."""

    INSTITUTION = "institution", _("institution (kelembagaan)")
    MANAGEMENT = "management", _("management and administration (manajemen)")
    STAFF = "staff", _("human resources (sumber daya manusia)")
    FACILITIES = "facilities", _("facilities (sarana dan prasarana)")
    SERVICES = "services", _("service programs (program pelayanan)")
    OUTCOMES = "outcomes", _("service outcomes (hasil pelayanan)")


class ReadinessItem(models.Model):
    """One item of the accreditation self-assessment (kept by admins)."""

    Area = ReadinessArea

    area = models.CharField(_("area"), max_length=15, choices=ReadinessArea)
    name = models.CharField(_("name"), max_length=200)
    guidance = models.TextField(_("what counts as evidence"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("in use"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("accreditation readiness item")
        verbose_name_plural = _("accreditation readiness items")

    def __str__(self):
        return self.name


class ReadinessAnswerQuerySet(LksScopedMixin, BodyScopedQuerySet):
    body_path = "organisation__body"


class ReadinessAnswer(TimeStampedModel):
    """An LKS's evidence for one readiness item."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="readiness_answers",
        verbose_name=_("LKS"),
    )
    item = models.ForeignKey(
        ReadinessItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    document = models.ForeignKey(
        LegalDocument,
        on_delete=models.PROTECT,
        related_name="readiness_answers",
        verbose_name=_("evidence"),
    )
    note = models.TextField(_("note"), blank=True)
    answered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("answered by")
    )

    objects = ReadinessAnswerQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("readiness answer")
        verbose_name_plural = _("readiness answers")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "item"], name="readinessanswer_once_per_item"
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.item}"


@dataclass(frozen=True)
class ReadinessRow:
    item: ReadinessItem
    answer: ReadinessAnswer | None

    @property
    def state(self):
        """missing, awaiting, verified or refused: met only when verified."""
        return self.answer.document.verification if self.answer else "missing"

    @property
    def is_met(self):
        return self.state == Verification.VERIFIED


@dataclass
class Readiness:
    areas: list = field(default_factory=list)  # [(label, [ReadinessRow])]

    @property
    def rows(self):
        return [row for _label, rows in self.areas for row in rows]

    @property
    def met(self):
        return sum(row.is_met for row in self.rows)

    @property
    def total(self):
        return len(self.rows)

    @property
    def percent(self):
        return round(100 * self.met / self.total) if self.total else 0

    @property
    def missing(self):
        return [row for row in self.rows if not row.is_met]


def readiness(organisation) -> Readiness:
    """The LKS's readiness for accreditation: every item in use, by area, with its
    evidence (two queries)."""
    answers = {
        answer.item_id: answer
        for answer in ReadinessAnswer.objects.filter(organisation=organisation).select_related(
            "document"
        )
    }
    by_area = {area: [] for area in ReadinessArea}
    for item in ReadinessItem.objects.filter(active=True):
        by_area[item.area].append(ReadinessRow(item, answers.get(item.pk)))
    return Readiness(
        areas=[
            (capfirst(ReadinessArea(area).label), rows) for area, rows in by_area.items() if rows
        ]
    )


@transaction.atomic
def readiness_answer(
    *, organisation: Organisation, item: ReadinessItem, document, note: str = "", by
) -> ReadinessAnswer | None:
    """Give (or, with no document, take back) the evidence for one item: one of the
    LKS's own documents that was not refused."""
    answer = ReadinessAnswer.objects.filter(organisation=organisation, item=item).first()
    if document is None:
        if answer is not None:
            answer._history_user = by
            answer.delete()
        return None
    if not item.active:
        raise field_error("item", _("This item is no longer asked for."), "item_not_asked")
    # As it is now: staff may have refused it since the page was opened.
    document = LegalDocument.objects.get(pk=document.pk)
    if document.organisation_id != organisation.pk:
        raise field_error("document", _("Choose one of your own documents."), "not_own_document")
    if document.verification == Verification.REFUSED:
        raise field_error(
            "document", _("This document was refused; upload a new one."), "document_refused"
        )
    answer = answer or ReadinessAnswer(organisation=organisation, item=item)
    answer.document = document
    answer.note = note.strip()
    answer.answered_by = by
    answer._history_user = by
    answer.full_clean()
    answer.save()
    return answer

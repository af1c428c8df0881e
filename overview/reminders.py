"""What is due: registrations and accreditations about to expire, LPJ due or overdue,
follow-ups of study visits due or overdue; and the daily digest email that reminds
each body's staff of them.

``due_items(body, today)`` is the list (the dashboard can show it as it is): every
current registration and accreditation of the body's LKS that expires within 90 days,
every grant whose LPJ is due within 30 days or overdue, and every open follow-up of a
study visit that the body owns, due within 30 days or overdue.

``send_digest(body, today)`` (run daily by ``manage.py send_reminders``) emails the
body's staff one digest of the items that reach a reminder threshold today:

- a registration or accreditation that expires in exactly 90, 30 or 0 days (its
  valid-until date is today + 90, today + 30, or today — the last day it is valid);
- an LPJ, or a follow-up of a visit, when it first comes within 30 days of its due
  date, and when it is overdue, again every 30 days while it stays overdue.

Each item is sent once per threshold: a ``ReminderSent`` row is written in the same
transaction that decides to send it, so a second run on the same day (or two runs at
once) sends nothing twice. A day on which the command did not run is not caught up
unless it is run with that date (``--date``).

A registration counts only while it is the LKS's current one: a registered record
that another registered record of the same LKS outlasts (a renewal), or that a
revocation followed, is not reminded. The same holds for accreditations.

The days are those of ``overview.policy``, which the dashboard shares.
"""

import datetime
import smtplib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from grants.models import Grant
from lkks.models import Body, Membership
from members.applications import waiting_too_long
from members.models import Accreditation, LegalDocument, Organisation, Registration
from members.notify import lks_recipients
from overview.models import ReminderSent
from overview.policy import (
    EXPIRY_REMINDER_DAYS,
    EXPIRY_WINDOW_DAYS,
    FOLLOW_UP_DUE_WINDOW_DAYS,
    FOLLOW_UP_OVERDUE_REPEAT_DAYS,
    LPJ_DUE_WINDOW_DAYS,
    LPJ_OVERDUE_REPEAT_DAYS,
    WAITING_REPEAT_DAYS,
    described,
)
from visits.models import FollowUp

Kind = ReminderSent.Kind


@dataclass(frozen=True)
class DueItem:
    kind: str  # a ReminderSent.Kind
    item: str  # "members.registration:12": what a ReminderSent row names
    title: str  # what it concerns: the LKS, the grant or the follow-up action
    detail: str  # the number, grade, document, application, agreement or visit
    due_on: datetime.date
    days_left: int  # negative when overdue
    threshold: str | None  # the reminder it reaches today, None on other days
    url: str

    @property
    def kind_label(self):
        return Kind(self.kind).label

    @property
    def days_overdue(self):
        return -self.days_left


def _key(record):
    return f"{record._meta.label_lower}:{record.pk}"


def expiring_registrations(body, today, until):
    """The body's current registrations that are valid today and end by ``until``."""
    return (
        Registration.objects.for_body(body)
        .current_expiring(today, until)
        .select_related("organisation")
    )


def expiring_accreditations(body, today, until):
    """The body's current accreditations that are valid today and end by ``until``."""
    return (
        Accreditation.objects.for_body(body)
        .current_expiring(today, until)
        .select_related("organisation")
    )


def expiring_documents(body, today, until):
    """The body's verified legal documents in force today that end by ``until``: one
    awaiting verification or refused is never reminded."""
    return (
        LegalDocument.objects.for_body(body)
        .current_expiring(today, until)
        .select_related("organisation")
    )


def lpj_due_or_overdue(body, today):
    """The body's grants whose LPJ is overdue or due within 30 days."""
    grants = Grant.objects.for_body(body)
    due = grants.lpj_open(on=today).filter(
        lpj_due_on__gte=today,
        lpj_due_on__lte=today + datetime.timedelta(days=LPJ_DUE_WINDOW_DAYS),
    )
    return (grants.lpj_overdue(today) | due).select_related("funder").with_agreement()


def follow_ups_due_or_overdue(body, today):
    """The body's own open follow-ups of study visits, overdue or due within 30 days."""
    return (
        FollowUp.objects.for_body(body)
        .due_by(today + datetime.timedelta(days=FOLLOW_UP_DUE_WINDOW_DAYS))
        .select_related("visit__visiting_body", "visit__host_body")
    )


def _follow_up_threshold(days_left):
    if days_left >= 0:
        return "due"
    return f"overdue-{(-days_left - 1) // FOLLOW_UP_OVERDUE_REPEAT_DAYS}"


def _expiry_threshold(days_left):
    return str(days_left) if days_left in EXPIRY_REMINDER_DAYS else None


def _lpj_threshold(days_left):
    if days_left >= 0:
        return "due"
    return f"overdue-{(-days_left - 1) // LPJ_OVERDUE_REPEAT_DAYS}"


def _waiting_threshold(days_left):
    return f"waiting-{(-days_left - 1) // WAITING_REPEAT_DAYS}"


def _document_item(document, today, *, url):
    days_left = (document.valid_until - today).days
    return DueItem(
        kind=Kind.DOCUMENT,
        item=_key(document),
        title=document.organisation.name,
        detail=str(document),
        due_on=document.valid_until,
        days_left=days_left,
        threshold=_expiry_threshold(days_left),
        url=url,
    )


def due_items(body, today) -> list[DueItem]:
    """Everything of ``body`` that is due, soonest first (seven queries)."""
    until = today + datetime.timedelta(days=EXPIRY_WINDOW_DAYS)
    items = []
    for registration in expiring_registrations(body, today, until):
        days_left = (registration.valid_until - today).days
        items.append(
            DueItem(
                kind=Kind.REGISTRATION,
                item=_key(registration),
                title=registration.organisation.name,
                detail=registration.number,
                due_on=registration.valid_until,
                days_left=days_left,
                threshold=_expiry_threshold(days_left),
                url=reverse("members:organisation-detail", args=[registration.organisation_id])
                + "#registrations",
            )
        )
    for accreditation in expiring_accreditations(body, today, until):
        days_left = (accreditation.valid_until - today).days
        items.append(
            DueItem(
                kind=Kind.ACCREDITATION,
                item=_key(accreditation),
                title=accreditation.organisation.name,
                detail=" · ".join(
                    part for part in (accreditation.grade, accreditation.certificate_number) if part
                ),
                due_on=accreditation.valid_until,
                days_left=days_left,
                threshold=_expiry_threshold(days_left),
                url=reverse("members:organisation-detail", args=[accreditation.organisation_id])
                + "#accreditations",
            )
        )
    for document in expiring_documents(body, today, until):
        items.append(
            _document_item(
                document,
                today,
                url=reverse("members:organisation-detail", args=[document.organisation_id])
                + "#documents",
            )
        )
    for waiting in waiting_too_long(body, today):
        # Due on the last day it could wait: from the next day on it waits too long.
        due_on = waiting.too_long_since - datetime.timedelta(days=1)
        days_left = (due_on - today).days
        items.append(
            DueItem(
                kind=Kind.WAITING,
                item=waiting.key,
                title=waiting.organisation_name,
                detail=str(waiting.kind_label),
                due_on=due_on,
                days_left=days_left,
                threshold=_waiting_threshold(days_left),
                url=waiting.url,
            )
        )
    for grant in lpj_due_or_overdue(body, today):
        days_left = (grant.lpj_due_on - today).days
        items.append(
            DueItem(
                kind=Kind.LPJ_DUE if days_left >= 0 else Kind.LPJ_OVERDUE,
                item=_key(grant),
                title=str(grant),
                # The number staff file the grant under (NPHD or MoU), not who gave it.
                detail=grant.agreement_number or "",
                due_on=grant.lpj_due_on,
                days_left=days_left,
                threshold=_lpj_threshold(days_left),
                url=grant.get_absolute_url(),
            )
        )
    for follow_up in follow_ups_due_or_overdue(body, today):
        days_left = (follow_up.due_on - today).days
        items.append(
            DueItem(
                kind=Kind.FOLLOW_UP_DUE if days_left >= 0 else Kind.FOLLOW_UP_OVERDUE,
                item=_key(follow_up),
                title=str(follow_up),
                detail=str(follow_up.visit),
                due_on=follow_up.due_on,
                days_left=days_left,
                threshold=_follow_up_threshold(days_left),
                url=follow_up.get_absolute_url(),
            )
        )
    return sorted(items, key=lambda item: (item.due_on, item.title, item.kind, item.item))


def digest_items(body, today) -> list[DueItem]:
    """The items that reach a reminder threshold today, sent or not."""
    return [item for item in due_items(body, today) if item.threshold is not None]


def staff_emails(body):
    """The addresses of the body's active staff (who are the ones to act)."""
    emails = (
        Membership.objects.filter(body=body, role=Membership.Role.STAFF, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return sorted(set(emails))


@dataclass
class Digest:
    body: Body
    today: datetime.date
    items: list  # the new items: not reminded at their threshold before
    recipients: list
    sent: bool = False


def _unsent(body, items):
    sent = set(
        ReminderSent.objects.filter(body=body, item__in=[item.item for item in items]).values_list(
            "kind", "item", "due_on", "threshold"
        )
    )
    return [
        item for item in items if (item.kind, item.item, item.due_on, item.threshold) not in sent
    ]


def send_digest(body, today, *, dry_run=False) -> Digest:
    """Email the body's staff the items that reach a threshold today and were not sent
    yet, and record them as sent; nothing is recorded when nothing could be sent (no
    staff with an email) or on a dry run."""
    with transaction.atomic():
        # Two runs at the same moment: the second waits here, then finds the first's rows.
        Body.objects.select_for_update().get(pk=body.pk)
        digest = Digest(
            body=body,
            today=today,
            items=_unsent(body, digest_items(body, today)),
            recipients=staff_emails(body),
        )
        if not digest.items or not digest.recipients or dry_run:
            return digest
        ReminderSent.objects.bulk_create(
            ReminderSent(
                body=body,
                kind=item.kind,
                item=item.item,
                due_on=item.due_on,
                threshold=item.threshold,
                sent_on=today,
            )
            for item in digest.items
        )
        # Sent inside the transaction: when the mail server refuses, nothing is
        # recorded and the next run tries again.
        digest_message(digest).send()
        digest.sent = True
    return digest


def digest_message(digest) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "body": digest.body,
            "today": digest.today,
            "site_url": settings.SITE_URL,
            "count": len(digest.items),
            "registrations": [i for i in digest.items if i.kind == Kind.REGISTRATION],
            "accreditations": [i for i in digest.items if i.kind == Kind.ACCREDITATION],
            "lpjs": [i for i in digest.items if i.kind in (Kind.LPJ_DUE, Kind.LPJ_OVERDUE)],
            "follow_ups": [
                i for i in digest.items if i.kind in (Kind.FOLLOW_UP_DUE, Kind.FOLLOW_UP_OVERDUE)
            ],
            "documents": [i for i in digest.items if i.kind == Kind.DOCUMENT],
            "waiting": [i for i in digest.items if i.kind == Kind.WAITING],
            "policy": described(),
        }
        subject = " ".join(
            render_to_string("overview/reminders/digest_subject.txt", context).split()
        )
        text = render_to_string("overview/reminders/digest.txt", context)
        html = render_to_string("overview/reminders/digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=digest.recipients)
    message.attach_alternative(html, "text/html")
    return message


# The digest of each LKS: its own papers, to its own people


@dataclass
class LksDigest:
    organisation: Organisation
    today: datetime.date
    items: list  # the new items: not reminded at their threshold before
    recipients: list
    sent: bool = False
    error: str = ""  # why the mail server refused it


def _portal_url():
    return reverse("portal:home")


def lks_digest_items(body, today) -> dict:
    """Per LKS of the body (by pk): its current registration and accreditation and its
    verified legal documents that expire in exactly 90, 30 or 0 days (three queries).
    Their keys start with ``lks:``, apart from the staff's reminders of the same
    records."""
    days = [today + datetime.timedelta(days=d) for d in EXPIRY_REMINDER_DAYS]
    until = max(days)
    url = _portal_url()
    items = {}

    def add(organisation, item):
        items.setdefault(organisation.pk, (organisation, []))[1].append(
            DueItem(**{**item.__dict__, "item": f"lks:{item.item}", "url": url})
        )

    for registration in expiring_registrations(body, today, until).filter(valid_until__in=days):
        days_left = (registration.valid_until - today).days
        add(
            registration.organisation,
            DueItem(
                kind=Kind.REGISTRATION,
                item=_key(registration),
                title=registration.organisation.name,
                detail=registration.number,
                due_on=registration.valid_until,
                days_left=days_left,
                threshold=_expiry_threshold(days_left),
                url=url,
            ),
        )
    for accreditation in expiring_accreditations(body, today, until).filter(valid_until__in=days):
        days_left = (accreditation.valid_until - today).days
        add(
            accreditation.organisation,
            DueItem(
                kind=Kind.ACCREDITATION,
                item=_key(accreditation),
                title=accreditation.organisation.name,
                detail=" · ".join(
                    part for part in (accreditation.grade, accreditation.certificate_number) if part
                ),
                due_on=accreditation.valid_until,
                days_left=days_left,
                threshold=_expiry_threshold(days_left),
                url=url,
            ),
        )
    for document in expiring_documents(body, today, until).filter(valid_until__in=days):
        add(document.organisation, _document_item(document, today, url=url))
    return items


def send_lks_digests(body, today, *, dry_run=False) -> list[LksDigest]:
    """Email each LKS of the body (its active people and its own address) the papers
    of its own that reach a threshold today and were not sent to it yet, in the
    portal's language, with a link to its portal; recorded like the staff's digest, so
    that each is sent once. Each LKS is sent in a transaction of its own: a refused
    email leaves its items unrecorded (the next run tries again) and the others sent."""
    digests = []
    for organisation, items in lks_digest_items(body, today).values():
        digest = LksDigest(
            organisation=organisation,
            today=today,
            items=[],
            recipients=lks_recipients(organisation),
        )
        digests.append(digest)
        try:
            with transaction.atomic():
                # Two runs at the same moment: the second waits, then finds the rows.
                Body.objects.select_for_update().get(pk=body.pk)
                digest.items = sorted(
                    _unsent(body, items), key=lambda item: (item.due_on, item.item)
                )
                if not digest.items or not digest.recipients or dry_run:
                    continue
                ReminderSent.objects.bulk_create(
                    ReminderSent(
                        body=body,
                        kind=item.kind,
                        item=item.item,
                        due_on=item.due_on,
                        threshold=item.threshold,
                        sent_on=today,
                    )
                    for item in digest.items
                )
                lks_digest_message(digest).send()
                digest.sent = True
        except OSError as error:  # smtplib's errors are OSErrors too
            digest.error = str(error)
    return sorted(digests, key=lambda digest: digest.organisation.name)


def lks_digest_message(digest) -> EmailMultiAlternatives:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "organisation": digest.organisation,
            "body": digest.organisation.body,
            "today": digest.today,
            "items": digest.items,
            "count": len(digest.items),
            "portal_url": f"{settings.SITE_URL}{_portal_url()}",
            "site_url": "",  # the items link to the portal, named once below them
            "policy": described(),
        }
        subject = " ".join(
            render_to_string("overview/reminders/lks_digest_subject.txt", context).split()
        )
        text = render_to_string("overview/reminders/lks_digest.txt", context)
        html = render_to_string("overview/reminders/lks_digest.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=digest.recipients)
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class DigestRun:
    """What one run of the digests did, in order: ("body", Digest), ("lks", LksDigest)
    and ("refused", Body, error) for a body's digest the mail server refused."""

    events: list = field(default_factory=list)
    bodies: int = 0

    @property
    def failed(self):
        """The names of the bodies and LKS whose digest could not be sent."""
        names = []
        for event in self.events:
            if event[0] == "refused":
                names.append(event[1].name)
            elif event[0] == "lks" and event[1].error:
                names.append(event[1].organisation.name)
        return names

    @property
    def items_sent(self):
        return sum(len(event[1].items) for event in self.events if _sent(event))


def _sent(event):
    return event[0] in {"body", "lks"} and event[1].sent


def send_all(today, *, slugs=None, dry_run=False) -> DigestRun:
    """The day's digests of every body (or of the bodies named by ``slugs``): each
    body's staff, then each of its LKS. A body whose digest the mail server refuses
    records nothing; the others are sent (run by the worker: overview/tasks.py)."""
    bodies = Body.objects.order_by("name")
    if slugs:
        bodies = bodies.filter(slug__in=slugs)
    run = DigestRun()
    for body in bodies:
        run.bodies += 1
        try:
            digest = send_digest(body, today, dry_run=dry_run)
        except (smtplib.SMTPException, OSError) as error:
            # Nothing of this body was recorded: the next run sends it again.
            run.events.append(("refused", body, str(error)))
            continue
        run.events.append(("body", digest))
        # Each LKS of the body is reminded of its own papers, to its own people.
        run.events.extend(
            ("lks", lks_digest) for lks_digest in send_lks_digests(body, today, dry_run=dry_run)
        )
    return run

"""Writes to study visits, with their rules. Views and the admin call these."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from lkks import access
from lkks.letters import issue_letter
from lkks.models import Body, Letter
from lkks.uploads import upright_with_thumbnail
from lkks.validation import field_error
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto


def report_reference(visit: StudyVisit) -> str:
    """What a body's report of the visit is in its letter register: one number each."""
    return f"visit-report:{visit.pk}"


def _by(record, by):
    if by is not None:
        record._history_user = by


@transaction.atomic
def visit_save(*, visit: StudyVisit, by) -> StudyVisit:
    """Save a visit. Whoever records it must be staff of one of its two sides, so that a
    body cannot put a visit on another body's record without being part of it."""
    visit.full_clean()
    if by is not None and not by.is_superuser:
        sides = [body for body in (visit.visiting_body, visit.host_body) if body is not None]
        if not any(access.can_edit_body(by, body) for body in sides):
            raise field_error(
                "visiting_body",
                _("Your body must be the visiting body or the host."),
                "not_a_side",
            )
    _by(visit, by)
    visit.save()
    return visit


@transaction.atomic
def visit_delete(*, visit: StudyVisit, by) -> None:
    """Delete a visit with its delegations, photos and follow-ups; refused while the
    other side has follow-ups of its own, which only that side may remove."""
    others = visit.follow_ups.exclude(
        body__in=[body for body in visit.sides if access.can_edit_body(by, body)]
    )
    if others.exists():
        raise ValidationError(
            _(
                "%(body)s has follow-up actions of this visit; only its staff can remove "
                "them, and then the visit can be deleted."
            )
            % {"body": others.select_related("body").first().body},
            code="other_side_follow_ups",
        )
    visit.delete()


def delegate_save(*, delegate: Delegate, by) -> Delegate:
    delegate.full_clean()
    _by(delegate, by)
    delegate.save()
    return delegate


def follow_up_body(visit: StudyVisit, user, preferred: Body | None) -> Body | None:
    """The side a user's new follow-up belongs to: the body they work in now when it is
    a side they are staff of, else the first such side; None when they are staff of
    neither."""
    sides = [body for body in visit.sides if access.can_edit_body(user, body)]
    if preferred is not None and any(body.pk == preferred.pk for body in sides):
        return preferred
    return sides[0] if sides else None


def follow_up_save(*, follow_up: FollowUp, by) -> FollowUp:
    """Save a follow-up of the side that owns it."""
    follow_up.full_clean()
    _by(follow_up, by)
    follow_up.save()
    return follow_up


def photo_add(*, photo: VisitPhoto, upload, by=None) -> VisitPhoto:
    """Store a visit photo the right way up (by its EXIF orientation) with a thumbnail,
    both under random names. The upload was checked by content already."""
    try:
        image, thumbnail = upright_with_thumbnail(upload)
    except OSError:  # it passed the checks but cannot be decoded in full
        raise field_error("image", _("The file is not a valid image."), "not_an_image") from None
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    photo.full_clean()
    _by(photo, by)
    photo.save()
    return photo


def report_letter(*, visit: StudyVisit, body: Body) -> Letter | None:
    return Letter.objects.filter(body=body, reference=report_reference(visit)).first()


@transaction.atomic
def report_number_issue(*, visit: StudyVisit, body: Body, on, by) -> Letter:
    """Give one side's report of the visit its number in that side's letter register."""
    if not visit.is_side(body):
        raise field_error("body", _("Only a side of the visit reports on it."), "not_a_side")
    return issue_letter(
        body=body,
        kind=Letter.Kind.REPORT,
        on=on,
        subject=f"Laporan hasil studi tiru ke {visit.host} ({visit.date:%d/%m/%Y})"
        if body.pk == visit.visiting_body_id
        else f"Laporan kunjungan {visit.visiting_body} ({visit.date:%d/%m/%Y})",
        by=by,
        reference=report_reference(visit),
    )

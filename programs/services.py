"""Writes to programs and activities, with their rules."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lkks.uploads import upright_with_thumbnail
from lkks.validation import field_error
from programs.models import Activity, ActivityPhoto, Program


@transaction.atomic
def program_save(*, program: Program) -> Program:
    program.full_clean()
    try:
        with transaction.atomic():
            program.save()
    except IntegrityError:
        # Another save took the code between the check above and this one.
        raise field_error(
            "code", _("This code is already used in this fiscal year."), "unique"
        ) from None
    return program


@transaction.atomic
def photo_add(*, photo: ActivityPhoto, upload) -> ActivityPhoto:
    """Store an activity photo the right way up (by its EXIF orientation) with a
    thumbnail, both under random names. The upload was checked by content already."""
    try:
        image, thumbnail = upright_with_thumbnail(upload)
    except OSError:  # it passed the checks but cannot be decoded in full
        raise field_error("image", _("The file is not a valid image."), "not_an_image") from None
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(thumbnail.name, thumbnail, save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def activity_save(*, activity: Activity, participants=None) -> Activity:
    """Save an activity; participating LKS must belong to the program's body."""
    activity.full_clean()
    if participants is not None:
        foreign = [lks for lks in participants if lks.body_id != activity.program.body_id]
        if foreign:
            raise field_error(
                "participants",
                _("Only LKS of this body can take part."),
                "participant_of_other_body",
            )
    activity.save()
    if participants is not None:
        activity.participants.set(participants)
    return activity

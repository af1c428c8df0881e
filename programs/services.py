"""Writes to programs and activities, with their rules."""

from django.db import transaction
from django.utils.translation import gettext as _

from lkks.validation import field_error
from programs.models import Activity, Program


@transaction.atomic
def program_save(*, program: Program) -> Program:
    program.full_clean()
    program.save()
    return program


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

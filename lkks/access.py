"""Who may see and change what: the one place every page asks.

Reading goes through ``Model.objects.for_user(user)`` (a record of another body is a
404); changing goes through ``Model.objects.editable_by(user)`` (a record the user may
read but not change is a 403). New records belong to the body the user works in now,
taken from the session, never from the submitted form.
"""

import uuid

import django
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from lkks.models import Body, Membership, Region, User


class Refused(PermissionDenied):
    """A refusal whose message is written for the user: the 403 page shows it as the
    reason (a plain PermissionDenied keeps its message to the logs)."""


NO_BODY = _("Your account belongs to no LKKS body, so it cannot open this page.")
READ_ONLY = _("Your role in this body lets you read its records, not change them.")

SESSION_BODY_KEY = "lkks_body"


def readable_bodies(user):
    return Body.objects.for_user(user).select_related("regency")


# The bodies a user reads are asked on every page (navigation, body switch, scoping),
# and change only when a membership, a body, a region or the account does: they are
# kept in Django's cache, shared by every app process, under the user's key together
# with the generation they were read in. Any change to a body, region or membership
# starts a new generation, so no process serves a list from before it; a change to an
# account drops that user's list alone (a log-in saves the account).
# Under Django's version: a list pickled by another version is never unpickled.
BODIES_KEY = f"lkks:bodies:{django.get_version()}:{{}}"
GENERATION_KEY = "lkks:bodies:generation"
# A safety net for writes that send no signal (QuerySet.update, raw SQL): none of the
# project's code changes a membership or body that way.
BODIES_CACHE_SECONDS = 10 * 60


def _cached_bodies(user):
    if not user.is_authenticated:
        return []
    key = BODIES_KEY.format(user.pk)
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Never set, or evicted: a new one, which no list kept so far carries.
        generation = new_bodies_generation()
    kept = found.get(key)
    if kept is not None and kept[0] == generation:
        return kept[1]
    bodies = list(readable_bodies(user).order_by("name"))
    cache.set(key, (generation, bodies), BODIES_CACHE_SECONDS)
    return bodies


def user_bodies(request):
    """The bodies the user reads, by name: from the cache, and read once per request,
    since the navigation, the body switch and the page all ask."""
    if not hasattr(request, "_lkks_bodies"):
        request._lkks_bodies = _cached_bodies(request.user)
    return request._lkks_bodies


def user_body(request, slug):
    """One of the user's bodies by its slug, or None."""
    return next((body for body in user_bodies(request) if body.slug == slug), None)


def current_body(request):
    """The body the user works in now: the one chosen in the body switch, else the
    first of theirs. None for a user of no body."""
    bodies = user_bodies(request)
    return user_body(request, request.session.get(SESSION_BODY_KEY)) or (
        bodies[0] if bodies else None
    )


def reading_body(request):
    """The body whose lists the user reads now; 403 for a user of no body (such as the
    account of an LKS, which reaches only its portal)."""
    body = current_body(request)
    if body is None:
        raise Refused(NO_BODY)
    return body


def can_edit_body(user, body):
    """Whether the user may add records to the body: its staff, or the superuser."""
    return body is not None and is_editable(body, user)


def body_for_new_record(request):
    """The body a new record goes to; 403 unless the user is staff there."""
    body = current_body(request)
    if body is None:
        raise Refused(NO_BODY)
    if not can_edit_body(request.user, body):
        raise Refused(READ_ONLY)
    return body


def get_readable(queryset, user, **lookup):
    """One record the user may read, or 404."""
    try:
        return queryset.for_user(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def get_editable(queryset, user, **lookup):
    """One record the user may change: 404 when they cannot even read it, 403 when they
    may only read it."""
    record = get_readable(queryset, user, **lookup)
    if not queryset.editable_by(user).filter(pk=record.pk).exists():
        raise Refused(READ_ONLY)
    return record


def is_editable(record, user):
    return type(record).objects.editable_by(user).filter(pk=record.pk).exists()


def body_of(record):
    """The body a record belongs to, following its QuerySet's ``body_path``."""
    if isinstance(record, Body):
        return record
    target = record
    for step in type(record).objects.all().body_path.split("__"):
        target = getattr(target, step)
    return target


# Keeping the cached lists of bodies true


def new_bodies_generation():
    """Start a new generation: every user's cached list of bodies is read anew."""
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    return generation


def _forget_bodies_everywhere(**kwargs):
    # Now, and again once the transaction commits: a request that read the database
    # between the two would have cached what it held before the commit.
    new_bodies_generation()
    transaction.on_commit(new_bodies_generation)


def _forget_bodies_of_user(instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return  # a log-in: the bodies do not depend on it
    key = BODIES_KEY.format(instance.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def connect():
    """Called by ``LkksConfig.ready()``."""
    for model in (Body, Membership, Region):
        for signal in (post_save, post_delete):
            signal.connect(
                _forget_bodies_everywhere,
                sender=model,
                dispatch_uid=f"lkks.access.bodies.{model.__name__}.{signal is post_save}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _forget_bodies_of_user,
            sender=User,
            dispatch_uid=f"lkks.access.bodies.User.{signal is post_save}",
        )

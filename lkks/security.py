"""Security events and log-in throttling.

Every log-in, failed log-in, lock-out, log-out, role change and password change is
written as a ``SecurityEvent`` with who, when and from where. Log-ins, log-outs and
failures come from Django's own auth signals and django-axes' lock-out signal (there is
no other place to hear them); role changes are recorded by the admin, which has the
request, in ``lkks/admin.py``; password changes by a receiver on the user model, because
four routes lead to one (own form, reset link, admin form, ``changepassword``).
"""

import ipaddress
import math
from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models import Sum
from django.db.models.signals import post_save
from django.http import HttpRequest
from django.shortcuts import render
from django.utils import timezone
from simple_history.models import HistoricalRecords

from lkks.models import Membership, SecurityEvent, User

Kind = SecurityEvent.Kind


def client_ip(request: HttpRequest) -> str | None:
    """The address a request came from, or None.

    Directly, REMOTE_ADDR. Behind the reverse proxy (``DJANGO_BEHIND_PROXY``), the last
    address of X-Forwarded-For: the one our proxy wrote. Addresses before it were sent
    by the client and can be anything, so they never decide a lock-out.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if settings.BEHIND_PROXY:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if hops[-1]:
            address = hops[-1]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


def record(
    *,
    kind: str,
    request: HttpRequest | None = None,
    user: User | None = None,
    username: str = "",
    actor: User | None = None,
    details: dict | None = None,
) -> SecurityEvent:
    """Write one security event; ``request`` gives the address and the browser."""
    details = dict(details or {})
    ip_address = user_agent = None
    if request is not None:
        ip_address = client_ip(request)
        user_agent = request.META.get("HTTP_USER_AGENT", "")[:255]
        if getattr(request, "path", ""):
            details.setdefault("path", request.path[:200])
    return SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        actor=actor,
        ip_address=ip_address,
        user_agent=user_agent or "",
        details=details,
    )


def _acting_user(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


# Roles


def _role_state(membership):
    if membership is None:
        return None
    return (membership.user_id, membership.body_id, membership.role)


def record_membership_change(
    *, request: HttpRequest, before: Membership | None, after: Membership | None
) -> None:
    """Record what changed between two states of a membership (``None``: absent).

    A membership moved to another user or body is the old one ending and a new one
    beginning, so each user's history reads on its own.
    """
    old, new = _role_state(before), _role_state(after)
    if old == new:
        return
    if old and new and old[:2] == new[:2]:
        changes = [(after, before.role, after.role)]
    else:
        changes = []
        if before is not None:
            changes.append((before, before.role, None))
        if after is not None:
            changes.append((after, None, after.role))
    for membership, role_from, role_to in changes:
        record(
            kind=Kind.ROLE_CHANGE,
            request=request,
            user=membership.user,
            actor=_acting_user(request),
            details={
                "body": membership.body.slug,
                "from": role_from,
                "to": role_to,
            },
        )


def record_account_flag_change(
    *, request: HttpRequest, user: User, field: str, old: bool, new: bool
) -> None:
    """Superuser, staff (admin access) and active are roles too."""
    record(
        kind=Kind.ROLE_CHANGE,
        request=request,
        user=user,
        actor=_acting_user(request),
        details={"account": field, "from": old, "to": new},
    )


# Throttling (django-axes)


class ThrottleHandler(AxesDatabaseHandler):
    """Axes' database handler with a second, higher limit for an address as a whole.

    Axes counts the failures of one user name from one address
    (``AXES_LOCKOUT_PARAMETERS``) against ``AXES_FAILURE_LIMIT``. An address that fails
    ``LOGIN_ADDRESS_FAILURE_LIMIT`` times across user names (one password tried on many
    accounts) is locked whole. A lock never follows a user name to other addresses, so
    nobody can lock a user out by failing on purpose; it only stops the address that
    fails. The successful log-in that resets a pair (``AXES_RESET_ON_SUCCESS``) leaves
    the failures of the address under other user names counted.
    """

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if self.address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures

    def address_failures(self, request):
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return 0
        attempts = AccessAttempt.objects.filter(ip_address=address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out log-in gets: 429 with the wait in minutes."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "lkks/locked_out.html",
        {"failure_limit": get_failure_limit(request, credentials), "minutes": minutes},
        status=429,
    )


# Retention


def prune_events(*, older_than_days: int, now=None, dry_run: bool = False) -> int:
    """Delete the security events older than ``older_than_days`` days (the retention,
    ``SECURITY_EVENT_RETENTION_DAYS``), and say how many there were.

    The log holds addresses and browsers of people, which are kept no longer than the
    log is of use (see docs/decisions.md, "Security"); nothing else deletes from it.
    """
    if older_than_days < 1:
        raise ValueError("the retention is at least one day")
    cutoff = (now or timezone.now()) - timedelta(days=older_than_days)
    expired = SecurityEvent.objects.filter(occurred_at__lt=cutoff)
    if dry_run:
        return expired.count()
    deleted, _by_model = expired.delete()
    return deleted


# Receivers: Django's auth signals, axes' lock-out signal, the user's password.


def on_logged_in(sender, request, user, **kwargs):
    record(kind=Kind.LOGIN, request=request, user=user)


def on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(kind=Kind.LOGOUT, request=request, user=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get(User.USERNAME_FIELD) or "")
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(kind=Kind.LOGIN_FAILED, request=request, user=account, username=username)


def on_locked_out(sender, request, username, ip_address, **kwargs):
    """Record a lock when it begins; axes signals again at each refused attempt while
    it lasts, and those attempts are already failed log-ins."""
    username = str(username or "")
    recent = SecurityEvent.objects.filter(
        kind=Kind.LOCKOUT, username=username[:150], ip_address=client_ip(request)
    )
    if settings.AXES_COOLOFF_TIME is not None:
        recent = recent.filter(occurred_at__gte=get_cool_off_threshold(request))
    if recent.exists():
        return
    whole_address = (
        ThrottleHandler().address_failures(request) >= settings.LOGIN_ADDRESS_FAILURE_LIMIT
    )
    account = User.objects.filter(**{User.USERNAME_FIELD: username}).first() if username else None
    record(
        kind=Kind.LOCKOUT,
        request=request,
        user=account,
        username=username,
        details={"locked": "address" if whole_address else "user name at address"},
    )


def on_user_saved(sender, instance, created, raw=False, **kwargs):
    """A saved user whose password was just set (``set_password`` keeps the raw password
    in ``_password`` until after the save, for the validators' ``password_changed``).
    A new account's first password and hash upgrades at log-in are not changes."""
    if created or raw or getattr(instance, "_password", None) is None:
        return
    # The request, if there is one, as simple_history's middleware keeps it.
    request = getattr(HistoricalRecords.context, "request", None)
    record(
        kind=Kind.PASSWORD_CHANGE,
        request=request,
        user=instance,
        actor=_acting_user(request) if request is not None else None,
    )


def connect():
    """Called by ``LkksConfig.ready()``."""
    user_logged_in.connect(on_logged_in, dispatch_uid="lkks.security.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="lkks.security.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="lkks.security.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="lkks.security.locked_out")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="lkks.security.user_saved")

"""The accounts of the LKS themselves: people of one LKS who keep its record current
through the portal (``/portal/``).

An LKS account is not a membership of a body: its user belongs to no body, so every
staff page refuses them (``for_user`` gives them nothing), and the portal reaches the
rows of their own LKS alone through ``for_lks_user`` (``members.models.of_lks``).

Staff invite a person by email from the LKS's page. The account is created without a
password, so nobody can log in with it; the invitation carries Django's password-reset
link, through which the person sets their password. There is no public sign-up. Staff
disable an account (and enable it again); a disabled account cannot log in.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.models import BodyScopedQuerySet, TimeStampedModel, User
from lkks.validation import field_error
from members import notify
from members.models import LksScopedMixin, Organisation


class LksAccountQuerySet(LksScopedMixin, BodyScopedQuerySet):
    body_path = "organisation__body"

    def active(self):
        return self.filter(active=True, user__is_active=True)


class LksAccount(TimeStampedModel):
    """A person who acts for one LKS in its portal."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="lks_account", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lks_accounts",
        verbose_name=_("LKS"),
    )
    invited_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("A disabled account cannot log in.")
    )

    objects = LksAccountQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        # The account's own columns: a plain query joins no other table.
        ordering = ["organisation_id", "pk"]
        verbose_name = _("LKS account")
        verbose_name_plural = _("LKS accounts")

    def __str__(self):
        return f"{self.user.get_full_name() or self.user.username} · {self.organisation}"

    def get_absolute_url(self):
        return f"{self.organisation.get_absolute_url()}#accounts"

    @property
    def has_password(self):
        """Whether the person has set their password (accepted the invitation)."""
        return self.user.has_usable_password()


def lks_account_of(user):
    """The active LKS account of a user, or None (staff, officials, the admin and
    disabled accounts have none). Read once per user object."""
    if not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, "_lks_account"):
        user._lks_account = (
            LksAccount.objects.filter(user=user, active=True)
            .select_related("organisation__body")
            .first()
        )
    return user._lks_account


def is_lks_user(user):
    return lks_account_of(user) is not None


# Writes


def invitation_link(user) -> str:
    """Django's password-reset link for the user: where the invited person sets their
    password (valid for PASSWORD_RESET_TIMEOUT)."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


@transaction.atomic
def lks_account_invite(
    *, organisation: Organisation, email: str, first_name: str, last_name: str = "", by
) -> LksAccount:
    """Create the account of a person of the LKS, without a password, and email them the
    link that sets it. The email is also the user name they log in with."""
    email = User.objects.normalize_email(email).strip().lower()
    if not first_name.strip():
        raise field_error("first_name", _("Give the person's name."), "name_missing")
    if User.objects.filter(
        models.Q(username__iexact=email) | models.Q(email__iexact=email)
    ).exists():
        raise field_error(
            "email",
            _("This address already has an account. Each person needs their own address."),
            "email_taken",
        )
    user = User(
        username=email, email=email, first_name=first_name.strip(), last_name=last_name.strip()
    )
    user.set_unusable_password()
    user.full_clean()
    user.save()
    account = LksAccount(organisation=organisation, user=user, invited_by=by)
    account._history_user = by
    account.full_clean()
    account.save()
    notify.invitation(account, link=invitation_link(account.user))
    return account


@transaction.atomic
def lks_account_invite_again(*, account: LksAccount, by) -> LksAccount:
    """Send the invitation again (a new link) to a person who has not set a password."""
    if account.has_password:
        raise ValidationError(
            _("This person has set a password already; they can use “Forgot password”."),
            code="invited_already",
        )
    if not account.active:
        raise ValidationError(_("Enable the account first."), code="account_disabled")
    notify.invitation(account, link=invitation_link(account.user))
    return account


@transaction.atomic
def lks_account_set_active(*, account: LksAccount, active: bool, by) -> LksAccount:
    """Disable or enable an account. A disabled user cannot log in, and a session open
    at that moment ends with its next request (Django refuses inactive users)."""
    account = LksAccount.objects.select_for_update().get(pk=account.pk)
    account.active = active
    account._history_user = by
    account.save()
    user = account.user
    user.is_active = active
    user.save(update_fields=["is_active"])
    return account

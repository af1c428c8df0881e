from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.numbering import DEFAULT_LETTER_NUMBER_PATTERN, validate_letter_number_pattern
from lkks.uploads import RandomName, validate_image
from lkks.validation import validate_nip


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class FieldCheckConstraint(models.CheckConstraint):
    """A CheckConstraint whose violation is reported on one field, so that a form
    shows the message beside the input that is wrong."""

    def __init__(self, *, field, **kwargs):
        self.field = field
        super().__init__(**kwargs)

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as error:
            raise ValidationError({self.field: error.error_list}) from None

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and self.field == getattr(other, "field", None)

    __hash__ = models.CheckConstraint.__hash__


def of_members(queryset, user, body_path, *, staff=False):
    """The rows of ``queryset`` a user reaches through the bodies they are a member of
    (``body_path``: the lookup from the rows to their body, "" for bodies themselves):
    the one rule of access. Nobody signed out or inactive reaches any; the superuser
    reaches all; anyone else the rows of their bodies, and with ``staff`` only those of
    the bodies where they are staff (who change what officials only read).
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    if user.is_superuser:
        return queryset
    memberships = f"{body_path}__memberships" if body_path else "memberships"
    lookups = {f"{memberships}__user": user}
    if staff:
        lookups[f"{memberships}__role"] = Membership.Role.STAFF
    return queryset.filter(**lookups)


class BodyScopedQuerySet(models.QuerySet):
    """A QuerySet of records that belong to one body.

    ``body_path`` names the lookup from the model to its Body. ``for_user`` is the one
    place where what a user may see is decided, ``editable_by`` what they may change;
    every page, export, file and form choice goes through them.
    """

    body_path = "body"

    def for_user(self, user):
        return of_members(self, user, self.body_path)

    def editable_by(self, user):
        """The records a user may change: staff of their body, or the admin."""
        return of_members(self, user, self.body_path, staff=True)

    def for_body(self, body):
        return self.filter(**{self.body_path: body})


class User(AbstractUser):
    """The project's user, kept custom from the first migration on."""

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RegionQuerySet(models.QuerySet):
    def districts(self):
        return self.filter(level=Region.Level.DISTRICT)

    def villages(self):
        return self.filter(level=Region.Level.VILLAGE)


class Region(models.Model):
    """An administrative area with its Kemendagri code (e.g. 34.04.15 for Turi)."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("province")
        REGENCY = 2, _("regency/city")
        DISTRICT = 3, _("district (kecamatan)")
        VILLAGE = 4, _("village (desa/kelurahan)")

    code = models.CharField(_("Kemendagri code"), max_length=13, primary_key=True)
    name = models.CharField(_("name"), max_length=100)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=Q(parent__isnull=True, level=1) | Q(parent__isnull=False, level__gt=1),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self):
        return self.name


class BodyQuerySet(models.QuerySet):
    def for_user(self, user):
        return of_members(self, user, "")

    def editable_by(self, user):
        """The bodies whose profile and officers the user may change: their staff's."""
        return of_members(self, user, "", staff=True)


class Body(TimeStampedModel):
    """One LKKS: the coordinating body of a regency or city."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), unique=True)
    regency = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.REGENCY},
        related_name="bodies",
        verbose_name=_("regency/city"),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    letterhead_title = models.CharField(
        _("letterhead title"),
        max_length=200,
        blank=True,
        help_text=_("First line of the letterhead (kop surat), e.g. the full name in capitals."),
    )
    letterhead_subtitle = models.CharField(
        _("letterhead subtitle"),
        max_length=200,
        blank=True,
        help_text=_("Second line of the letterhead, e.g. the legal basis or the parent body."),
    )
    chairperson = models.CharField(_("chairperson"), max_length=150, blank=True)
    logo = models.ImageField(
        _("logo"), upload_to=RandomName("bodies"), validators=[validate_image], blank=True
    )
    signing_place = models.CharField(
        _("place of signing"),
        max_length=100,
        blank=True,
        help_text=_(
            "Where its letters are signed, usually the regency seat (Bangkinang for "
            "Kampar). Empty: the name of the regency."
        ),
    )
    letter_number_pattern = models.CharField(
        _("letter number pattern"),
        max_length=100,
        default=DEFAULT_LETTER_NUMBER_PATTERN,
        validators=[validate_letter_number_pattern],
        help_text=_(
            "How its outgoing letters are numbered, e.g. "
            "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}. Fields: {seq} (the number "
            "in the year), {kind} (the letter's code), {month}, {month_roman}, {year}."
        ),
    )
    # The Dinas Sosial of the regency: its head acknowledges ("Mengetahui") the
    # documents that need it, and its secretary often receives visits in the head's name.
    social_office_name = models.CharField(
        _("Dinas Sosial office"),
        max_length=200,
        blank=True,
        help_text=_("E.g. Dinas Sosial Kabupaten Kampar. Empty: named after the regency."),
    )
    social_head_name = models.CharField(
        _("head of the Dinas Sosial"),
        max_length=150,
        blank=True,
        help_text=_("Name with academic titles, as signed."),
    )
    social_head_title = models.CharField(
        _("head's title"),
        max_length=200,
        blank=True,
        help_text=_("As printed above the signature. Empty: Kepala and the office's name."),
    )
    social_head_nip = models.CharField(
        _("head's NIP"), max_length=21, blank=True, validators=[validate_nip]
    )
    social_secretary_name = models.CharField(
        _("secretary of the Dinas Sosial"), max_length=150, blank=True
    )
    social_secretary_title = models.CharField(
        _("secretary's title"),
        max_length=200,
        blank=True,
        help_text=_("Empty: Sekretaris and the office's name."),
    )
    social_secretary_nip = models.CharField(
        _("secretary's NIP"), max_length=21, blank=True, validators=[validate_nip]
    )
    application_wait_days = models.PositiveSmallIntegerField(
        _("days an application may wait"),
        default=90,
        validators=[MinValueValidator(1)],
        help_text=_(
            "An application for registration or a recommendation that waits longer than "
            "this is flagged on the dashboard, the list of what is due and the daily "
            "reminders."
        ),
    )

    objects = BodyQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("LKKS body")
        verbose_name_plural = _("LKKS bodies")

    def __str__(self):
        return self.name

    @property
    def province(self):
        return self.regency.parent


class Membership(TimeStampedModel):
    """A user's role in one body: staff edit its records, officials only read them."""

    class Role(models.TextChoices):
        STAFF = "staff", _("staff (edits)")
        OFFICIAL = "official", _("official (reads)")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role)

    history = HistoricalRecords()

    class Meta:
        ordering = ["body", "user"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "body"], name="membership_once_per_body"),
        ]

    def __str__(self):
        return f"{self.user} · {self.body} · {self.get_role_display()}"


class SecurityEvent(models.Model):
    """A log-in, failed log-in, lock-out, log-out, role or password change: who, when
    and from where. Written by ``lkks.security``, only read afterwards (in the admin)."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("log-in")
        LOGIN_FAILED = "login_failed", _("failed log-in")
        LOCKOUT = "lockout", _("lock-out")
        LOGOUT = "logout", _("log-out")
        ROLE_CHANGE = "role_change", _("role change")
        PASSWORD_CHANGE = "password_change", _("password change")

    kind = models.CharField(_("event"), max_length=20, choices=Kind)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    username = models.CharField(
        _("user name"),
        max_length=150,
        blank=True,
        help_text=_("As typed at the log-in, or of the account concerned."),
    )
    user = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_events",
        verbose_name=_("account"),
    )
    actor = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("done by"),
        help_text=_("Who made a role or password change."),
    )
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=255, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("security event")
        verbose_name_plural = _("security events")
        indexes = [
            models.Index(fields=["username", "occurred_at"], name="securityevent_username"),
            models.Index(fields=["ip_address", "occurred_at"], name="securityevent_address"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.username} · {self.occurred_at:%Y-%m-%d %H:%M}"


# The body's officers and its letter register are models of the ground too, kept in
# their own modules; imported last because they build on the classes above.
from lkks.letters import Letter, LetterCounter  # noqa: E402, F401
from lkks.officers import Decree, Officer  # noqa: E402, F401

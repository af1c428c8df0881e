from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from lkks.dates import add_years
from lkks.models import (
    Body,
    BodyScopedQuerySet,
    FieldCheckConstraint,
    Letter,
    Officer,
    Region,
    TimeStampedModel,
    User,
)
from lkks.uploads import RandomName, validate_image, validate_scan
from lkks.validation import field_error

SCAN_HELP = _("PDF or image, at most the upload limit.")


class TargetGroup(models.Model):
    """A PPKS category (Pemerlu Pelayanan Kesejahteraan Sosial) an LKS serves."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["name"]
        verbose_name = _("target group (PPKS)")
        verbose_name_plural = _("target groups (PPKS)")

    def __str__(self):
        return self.name


def of_lks(queryset, user, organisation_path):
    """The rows of ``queryset`` that belong to the one LKS of an LKS user
    (``organisation_path``: the lookup from the rows to their LKS, "" for the LKS
    itself): the one rule of what the LKS portal shows. Staff, officials, the superuser
    and disabled accounts reach none; another LKS's rows are never among them.

    An LKS user belongs to no body, so ``for_user`` (the staff pages' rule) gives them
    nothing: the portal asks this instead.
    """
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    accounts = f"{organisation_path}__lks_accounts" if organisation_path else "lks_accounts"
    return queryset.filter(**{f"{accounts}__user": user, f"{accounts}__active": True})


class LksScopedMixin:
    """``for_lks_user(user)``: the rows of the user's own LKS (see ``of_lks``)."""

    organisation_path = "organisation"

    def for_lks_user(self, user):
        return of_lks(self, user, self.organisation_path)


class RegistrationStatus(models.TextChoices):
    """The current registration status of an LKS, derived from its records."""

    REGISTERED = "registered", _("registered")
    IN_PROCESS = "in_process", _("in process")
    EXPIRED = "expired", _("expired")
    UNREGISTERED = "unregistered", _("unregistered")


class OrganisationQuerySet(LksScopedMixin, BodyScopedQuerySet):
    organisation_path = ""

    def with_status(self, on=None):
        """Annotate the registration status and accreditation grade as of a date.

        ``registration_status``: *registered* when a registered record is valid on
        the date; otherwise *in process* when the latest record is an application
        (or was one on that date: decided only later),
        *expired* when it is a registration past its validity, and *unregistered*
        for everything else (never applied, rejected, revoked). A revocation beats
        any earlier registration. ``accreditation_grade`` is the grade of the newest
        accreditation valid on the date, or None.
        """
        on = on or timezone.localdate()
        latest_status = Subquery(
            Registration.objects.as_of(on)
            .filter(organisation=OuterRef("pk"))
            .order_by("-record_date_on", "-pk")
            .values("status_on")[:1]
        )
        revoked_since = Registration.objects.with_record_date().filter(
            organisation=OuterRef("organisation"),
            status=Registration.Status.REVOKED,
            record_date__gte=OuterRef("issued_on"),
            record_date__lte=on,
        )
        valid_registration = Registration.objects.filter(
            ~Exists(revoked_since),
            organisation=OuterRef("pk"),
            status=Registration.Status.REGISTERED,
            issued_on__lte=on,
            valid_until__gte=on,
        )
        valid_accreditation = (
            Accreditation.objects.filter(
                organisation=OuterRef("pk"),
                status=Accreditation.Status.ACCREDITED,
                accredited_on__lte=on,
                valid_until__gte=on,
            )
            .order_by("-accredited_on", "-pk")
            .values("grade")[:1]
        )
        return self.annotate(
            latest_registration_status=latest_status,
            registration_status=Case(
                When(
                    latest_registration_status=Registration.Status.REVOKED,
                    then=Value(RegistrationStatus.UNREGISTERED),
                ),
                When(Exists(valid_registration), then=Value(RegistrationStatus.REGISTERED)),
                When(
                    latest_registration_status=Registration.Status.SUBMITTED,
                    then=Value(RegistrationStatus.IN_PROCESS),
                ),
                When(
                    latest_registration_status=Registration.Status.REGISTERED,
                    then=Value(RegistrationStatus.EXPIRED),
                ),
                default=Value(RegistrationStatus.UNREGISTERED),
                output_field=models.CharField(),
            ),
            accreditation_grade=Subquery(valid_accreditation),
        )

    def with_registration_status(self, status, on=None):
        return self.with_status(on).filter(registration_status=status)

    def waiting_since_before(self, cutoff, on=None):
        """The LKS in the registration process on ``on`` whose application (the latest
        record, as of that day) was submitted before ``cutoff``, each annotated with
        ``waiting_since``: the register's applications that wait too long."""
        on = on or timezone.localdate()
        submitted = Subquery(
            Registration.objects.as_of(on)
            .filter(organisation=OuterRef("pk"))
            .order_by("-record_date_on", "-pk")
            .values("record_date_on")[:1]
        )
        return (
            self.with_registration_status(RegistrationStatus.IN_PROCESS, on=on)
            .annotate(waiting_since=submitted)
            .filter(waiting_since__lt=cutoff)
        )


class Organisation(TimeStampedModel):
    """An LKS: a social-welfare organisation coordinated by the body."""

    class Kind(models.TextChoices):
        LKSA = "lksa", _("LKSA (children)")
        ELDERLY = "elderly", _("LKS for the elderly")
        DISABILITY = "disability", _("LKS for persons with disabilities")
        NAPZA = "napza", _("LKS for drug rehabilitation (NAPZA)")
        OTHER = "other", _("other LKS")

    class LegalForm(models.TextChoices):
        FOUNDATION = "foundation", _("foundation (yayasan)")
        ASSOCIATION = "association", _("association (perkumpulan)")
        NONE = "none", _("not a legal entity")

    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("body")
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind, default=Kind.OTHER)
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="organisations", verbose_name=_("target groups")
    )
    legal_form = models.CharField(
        _("legal form"), max_length=12, choices=LegalForm, default=LegalForm.FOUNDATION
    )
    address = models.TextField(_("address"), blank=True)
    district = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        limit_choices_to={"level": Region.Level.DISTRICT},
        related_name="+",
        verbose_name=_("district (kecamatan)"),
    )
    village = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"level": Region.Level.VILLAGE},
        related_name="+",
        verbose_name=_("village (desa/kelurahan)"),
    )
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    email = models.EmailField(_("email"), blank=True)
    chairperson = models.CharField(_("chairperson"), max_length=150, blank=True)
    secretary = models.CharField(_("secretary"), max_length=150, blank=True)
    treasurer = models.CharField(_("treasurer"), max_length=150, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    client_count = models.PositiveIntegerField(_("number of clients"), default=0)
    logo = models.ImageField(
        _("logo"), upload_to=RandomName("organisations"), validators=[validate_image], blank=True
    )

    objects = OrganisationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("LKS")
        verbose_name_plural = _("LKS")
        indexes = [models.Index(fields=["body", "name"]), models.Index(fields=["name"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:organisation-detail", args=[self.pk])

    def clean(self):
        if self.village_id and self.district_id and self.village.parent_id != self.district_id:
            raise field_error(
                "village",
                _("This village is not in the chosen district."),
                "village_outside_district",
            )
        if self.district_id and self.body_id and self.district.parent_id != self.body.regency_id:
            raise field_error(
                "district",
                _("This district is not in the body's regency."),
                "district_outside_regency",
            )


class OrganisationRecordQuerySet(LksScopedMixin, BodyScopedQuerySet):
    body_path = "organisation__body"


def outlasted_on(model, on, **status):
    """Another record of the same LKS and status, in force on ``on``, that ends later
    (or, ending the same day, was recorded later): the one that counts."""
    started = {"issued_on__lte": on} if model is Registration else {"accredited_on__lte": on}
    return model.objects.filter(
        Q(valid_until__gt=OuterRef("valid_until"))
        | Q(valid_until=OuterRef("valid_until"), pk__gt=OuterRef("pk")),
        organisation=OuterRef("organisation"),
        **started,
        **status,
    )


class AccreditationQuerySet(OrganisationRecordQuerySet):
    def current_expiring(self, on, until):
        """Accreditations in force on ``on`` that end by ``until`` (both days included),
        unless a later accreditation of the same LKS outlasts them."""
        accredited = Accreditation.Status.ACCREDITED
        return self.filter(
            ~Exists(outlasted_on(Accreditation, on, status=accredited)),
            status=accredited,
            accredited_on__lte=on,
            valid_until__gte=on,
            valid_until__lte=until,
        )


class RegistrationQuerySet(LksScopedMixin, BodyScopedQuerySet):
    def with_record_date(self):
        """The date a record speaks for: its issue date, else its submission date."""
        return self.annotate(record_date=Coalesce("issued_on", "submitted_on"))

    def as_of(self, on):
        """The records as they stood on a date: a decision taken after it (issued later)
        was then still an application, dated by its submission."""
        decided_later = Q(issued_on__gt=on, submitted_on__isnull=False)
        return self.annotate(
            record_date_on=Case(
                When(decided_later, then=F("submitted_on")),
                default=Coalesce("issued_on", "submitted_on"),
            ),
            status_on=Case(
                When(decided_later, then=Value(Registration.Status.SUBMITTED)),
                default=F("status"),
                output_field=models.CharField(),
            ),
        ).filter(record_date_on__lte=on)

    def current_expiring(self, on, until):
        """Registrations that keep their LKS registered on ``on`` and end by ``until``
        (both days included): not outlasted by another registration of the LKS, and not
        revoked since they were issued."""
        registered = Registration.Status.REGISTERED
        revoked_since = Registration.objects.with_record_date().filter(
            organisation=OuterRef("organisation"),
            status=Registration.Status.REVOKED,
            record_date__gte=OuterRef("issued_on"),
            record_date__lte=on,
        )
        return self.filter(
            ~Exists(outlasted_on(Registration, on, status=registered)),
            ~Exists(revoked_since),
            status=registered,
            issued_on__lte=on,
            valid_until__gte=on,
            valid_until__lte=until,
        )


class Registration(TimeStampedModel):
    """One record in an LKS's registration (tanda daftar) history."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        REGISTERED = "registered", _("registered")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("LKS"),
    )
    # Kept beside the LKS's own body so that numbers can be unique per body in the
    # database; services set it from the LKS and model validation keeps them equal.
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("body")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status)
    number = models.CharField(_("registration number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    is_renewal = models.BooleanField(_("renewal"), default=False)
    document = models.FileField(
        _("scanned document"),
        upload_to=RandomName("registrations"),
        validators=[validate_scan],
        blank=True,
        help_text=SCAN_HELP,
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = RegistrationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        # Within one LKS: ordering by the LKS too would join it on every query.
        ordering = ["-issued_on", "-submitted_on", "-pk"]
        verbose_name = _("registration (tanda daftar)")
        verbose_name_plural = _("registrations (tanda daftar)")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"],
                condition=~Q(number=""),
                name="registration_number_unique_per_body",
                violation_error_message=_("This registration number is already used."),
            ),
            FieldCheckConstraint(
                field="valid_until",
                condition=Q(valid_until__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(valid_until__gt=F("issued_on")),
                name="registration_valid_after_issued",
                violation_error_message=_("Valid until must be after the issue date."),
            ),
            FieldCheckConstraint(
                field="issued_on",
                condition=Q(issued_on__isnull=True)
                | Q(submitted_on__isnull=True)
                | Q(issued_on__gte=F("submitted_on")),
                name="registration_issued_after_submitted",
                violation_error_message=_("The issue date cannot be before the submission."),
            ),
            models.CheckConstraint(
                condition=~Q(status="registered")
                | Q(issued_on__isnull=False, valid_until__isnull=False) & ~Q(number=""),
                name="registration_registered_complete",
                violation_error_message=_(
                    "A registration needs its number, issue date and valid-until date."
                ),
            ),
            FieldCheckConstraint(
                field="submitted_on",
                condition=Q(issued_on__isnull=False) | Q(submitted_on__isnull=False),
                name="registration_has_a_date",
                violation_error_message=_("Give the submission or the issue date."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_status_display()} {self.number}".strip()

    def get_absolute_url(self):
        return f"{self.organisation.get_absolute_url()}#registrations"

    @property
    def record_date(self):
        return self.issued_on or self.submitted_on

    def is_valid_on(self, day):
        return self.status == self.Status.REGISTERED and self.issued_on <= day <= self.valid_until

    def clean(self):
        # The body always follows the LKS; the number is checked here as well as by
        # the database so that forms, which never show the body, say so on the field.
        if self.organisation_id:
            self.body_id = self.organisation.body_id
            duplicate = Registration.objects.filter(body=self.body_id, number=self.number)
            if self.number and duplicate.exclude(pk=self.pk).exists():
                raise field_error(
                    "number", _("This registration number is already used."), "duplicate_number"
                )


class Accreditation(TimeStampedModel):
    """One record in an LKS's accreditation (BALKS) history."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("submitted")
        ASSESSED = "assessed", _("assessed")
        ACCREDITED = "accredited", _("accredited")
        NOT_ACCREDITED = "not_accredited", _("not accredited")

    class Grade(models.TextChoices):
        A = "A", _("A (very good)")
        B = "B", _("B (good)")
        C = "C", _("C (fair)")

    # Years a certificate is valid when the assessor gives no date of its own.
    DEFAULT_VALIDITY_YEARS = {Grade.A: 5, Grade.B: 3, Grade.C: 2}

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="accreditations",
        verbose_name=_("LKS"),
    )
    status = models.CharField(_("status"), max_length=15, choices=Status)
    grade = models.CharField(_("grade"), max_length=1, choices=Grade, blank=True)
    certificate_number = models.CharField(_("certificate number"), max_length=100, blank=True)
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    accredited_on = models.DateField(_("accreditation date"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    document = models.FileField(
        _("scanned certificate"),
        upload_to=RandomName("accreditations"),
        validators=[validate_scan],
        blank=True,
        help_text=SCAN_HELP,
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = AccreditationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-accredited_on", "-submitted_on", "-pk"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="accredited")
                | Q(accredited_on__isnull=False, valid_until__isnull=False) & ~Q(grade=""),
                name="accreditation_accredited_complete",
                violation_error_message=_("An accreditation needs its grade and date."),
            ),
            FieldCheckConstraint(
                field="grade",
                condition=Q(grade="") | Q(status="accredited"),
                name="accreditation_grade_only_when_accredited",
                violation_error_message=_("Only an accredited LKS has a grade."),
            ),
            FieldCheckConstraint(
                field="valid_until",
                condition=Q(valid_until__isnull=True)
                | Q(accredited_on__isnull=True)
                | Q(valid_until__gt=F("accredited_on")),
                name="accreditation_valid_after_accredited",
                violation_error_message=_("Valid until must be after the accreditation date."),
            ),
            FieldCheckConstraint(
                field="submitted_on",
                condition=Q(accredited_on__isnull=False) | Q(submitted_on__isnull=False),
                name="accreditation_has_a_date",
                violation_error_message=_("Give the submission or the accreditation date."),
            ),
        ]

    def __str__(self):
        grade = f" {self.grade}" if self.grade else ""
        return f"{self.organisation} · {self.get_status_display()}{grade}"

    def get_absolute_url(self):
        return f"{self.organisation.get_absolute_url()}#accreditations"

    def clean(self):
        # An accredited record without an end date gets the default validity of its
        # grade; done here so that every form sees the date before the constraints.
        if self.status == self.Status.ACCREDITED and not self.valid_until:
            self.valid_until = self.default_valid_until(self.grade, self.accredited_on)

    @classmethod
    def default_valid_until(cls, grade, accredited_on):
        """The end of a certificate of this grade: A 5 years, B 3, C 2; None without a
        grade or a date."""
        years = cls.DEFAULT_VALIDITY_YEARS.get(grade)
        if not years or not accredited_on:
            return None
        return add_years(accredited_on, years)

    def is_valid_on(self, day):
        return (
            self.status == self.Status.ACCREDITED and self.accredited_on <= day <= self.valid_until
        )


class LegalDocumentQuerySet(OrganisationRecordQuerySet):
    def verified(self):
        """The documents that count: verified by staff (or entered by them). One
        awaiting verification or refused never counts as valid, anywhere."""
        return self.filter(verification=LegalDocument.Verification.VERIFIED)

    def awaiting(self):
        return self.filter(verification=LegalDocument.Verification.AWAITING)

    def not_refused(self):
        return self.exclude(verification=LegalDocument.Verification.REFUSED)

    def current_expiring(self, on, until):
        """Verified documents valid on ``on`` that end by ``until`` (both included),
        unless a verified document of the same LKS and kind outlasts them (a renewed
        permit, or one that never expires)."""
        verified = LegalDocument.Verification.VERIFIED
        outlasted = LegalDocument.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gt=OuterRef("valid_until")),
            organisation=OuterRef("organisation"),
            kind=OuterRef("kind"),
            verification=verified,
        )
        return self.filter(
            ~Exists(outlasted),
            verification=verified,
            valid_until__gte=on,
            valid_until__lte=until,
        )


class LegalDocument(TimeStampedModel):
    """A document of an LKS: its legal papers (operating permit, deed, decree, tax
    number) and the papers applications ask for (board, work program, reports).

    Staff enter documents verified; an LKS uploads them through its portal, and each
    stays awaiting verification until staff verify or refuse it (``members.reviews``).
    """

    class Kind(models.TextChoices):
        OPERATING_PERMIT = "operating_permit", _("operating permit (izin operasional)")
        DEED = "deed", _("deed of establishment (akta pendirian)")
        KEMENKUMHAM_DECREE = "kemenkumham", _("Kemenkumham decree (SK Kemenkumham)")
        TAX_NUMBER = "npwp", _("tax number (NPWP)")
        DOMICILE = "domicile", _("domicile letter (surat domisili)")
        BUSINESS_NUMBER = "nib", _("business identification number (NIB)")
        BOARD = "board", _("board composition (susunan pengurus)")
        WORK_PROGRAM = "work_program", _("work program (program kerja)")
        ACTIVITY_REPORT = "activity_report", _("activity report (laporan kegiatan)")
        OTHER = "other", _("other supporting document")

    # The papers that carry a number of their own: the others (a board list, a work
    # program, a report) are known by their kind and date.
    NUMBERED_KINDS = {
        Kind.OPERATING_PERMIT,
        Kind.DEED,
        Kind.KEMENKUMHAM_DECREE,
        Kind.TAX_NUMBER,
        Kind.DOMICILE,
        Kind.BUSINESS_NUMBER,
    }

    class Verification(models.TextChoices):
        AWAITING = "awaiting", _("awaiting verification")
        VERIFIED = "verified", _("verified")
        REFUSED = "refused", _("refused")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="documents", verbose_name=_("LKS")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    number = models.CharField(_("number"), max_length=100, blank=True)
    issuer = models.CharField(_("issued by"), max_length=150, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    valid_until = models.DateField(
        _("valid until"), null=True, blank=True, help_text=_("Leave empty if it never expires.")
    )
    document = models.FileField(
        _("scanned document"),
        upload_to=RandomName("documents"),
        validators=[validate_scan],
        blank=True,
        help_text=SCAN_HELP,
    )
    # Staff entries (pages, admin, import) are verified as they are entered; the
    # portal's uploads set AWAITING explicitly.
    verification = models.CharField(
        _("verification"), max_length=10, choices=Verification, default=Verification.VERIFIED
    )
    verified_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("checked by"),
    )
    verified_at = models.DateTimeField(_("checked at"), null=True, blank=True, editable=False)
    verification_note = models.TextField(_("verification note"), blank=True, editable=False)
    uploaded_by_lks = models.BooleanField(_("uploaded by the LKS"), default=False, editable=False)

    objects = LegalDocumentQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-issued_on"]
        verbose_name = _("legal document")
        verbose_name_plural = _("legal documents")
        constraints = [
            FieldCheckConstraint(
                field="valid_until",
                condition=Q(valid_until__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(valid_until__gt=F("issued_on")),
                name="legaldocument_valid_after_issued",
                violation_error_message=_("Valid until must be after the issue date."),
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    def get_absolute_url(self):
        return f"{self.organisation.get_absolute_url()}#documents"

    def clean(self):
        if self.kind in self.NUMBERED_KINDS and not self.number.strip():
            raise field_error(
                "number", _("Give the number of this document."), "document_number_missing"
            )

    @property
    def is_verified(self):
        return self.verification == self.Verification.VERIFIED


class Mentoring(TimeStampedModel):
    """A mentoring visit (pendampingan) of the body's officers to an LKS."""

    class Kind(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("administrative management")
        SOCIAL_CONFLICT = "social_conflict", _("social conflict")
        LEGAL_CONFLICT = "legal_conflict", _("legal conflict")
        OTHER = "other", _("other")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="mentorings", verbose_name=_("LKS")
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    activities = models.TextField(_("what was done"))
    follow_up_on = models.DateField(_("follow-up date"), null=True, blank=True)
    officer = models.CharField(_("officer"), max_length=150)

    objects = OrganisationRecordQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("mentoring")
        verbose_name_plural = _("mentoring")
        constraints = [
            FieldCheckConstraint(
                field="follow_up_on",
                condition=Q(follow_up_on__isnull=True) | Q(follow_up_on__gte=F("date")),
                name="mentoring_follow_up_after_visit",
                violation_error_message=_("The follow-up cannot be before the visit."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} · {self.get_kind_display()} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self):
        return f"{self.organisation.get_absolute_url()}#mentoring"


class RecommendationQuerySet(LksScopedMixin, BodyScopedQuerySet):
    pass


class Recommendation(TimeStampedModel):
    """A recommendation letter (surat rekomendasi) of the body for an LKS's
    registration. Its number comes from the body's letter register; it is signed by
    whoever holds ``signer_position`` on its date."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="recommendations",
        verbose_name=_("LKS"),
    )
    # The LKS's own body, kept beside it for the scoping method like Registration's.
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="+", editable=False, verbose_name=_("body")
    )
    letter = models.OneToOneField(
        Letter,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("letter"),
    )
    date = models.DateField(_("date"))
    signer_position = models.PositiveSmallIntegerField(
        _("signed by"),
        choices=Officer.Position,
        default=Officer.Position.CHAIR,
        help_text=_("The officer holding this position on the letter's date signs it."),
    )
    purpose = models.TextField(
        _("purpose"),
        blank=True,
        help_text=_("What the LKS is recommended for; written in the letter after its name."),
    )

    objects = RecommendationQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("recommendation letter")
        verbose_name_plural = _("recommendation letters")

    def __str__(self):
        return f"{self.number} · {self.organisation}"

    def get_absolute_url(self):
        return reverse("recommendation-detail", args=[self.pk])

    @property
    def number(self):
        return self.letter.number

    def clean(self):
        if self.organisation_id:
            self.body_id = self.organisation.body_id


class ImportMappingQuerySet(BodyScopedQuerySet):
    def of_shape(self, shape):
        return self.filter(shape=shape)


class ImportMapping(TimeStampedModel):
    """How the columns of one shape of spreadsheet (its column names, in order) map to
    the register's fields, and what the words of its free-text services mean:
    remembered per body, so that next month's file of the same shape is read the same
    way, on the import page and by ``import_members --mapping NAME``."""

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="+", verbose_name=_("body")
    )
    name = models.CharField(_("name"), max_length=100)
    shape = models.CharField(_("file shape"), max_length=64, editable=False)
    # [{"title": the file's column name, "field": a field key, or "" for skipped}]
    columns = models.JSONField(_("columns"), default=list, blank=True)
    # {a word as compared: "kind:<kind>", "group:<target group code>" or "" (ignored)}
    words = models.JSONField(_("words"), default=dict, blank=True)

    objects = ImportMappingQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("import column mapping")
        verbose_name_plural = _("import column mappings")
        constraints = [
            models.UniqueConstraint(
                fields=["body", "name"],
                name="importmapping_name_unique_per_body",
                violation_error_message=_("A mapping of this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["body", "shape"], name="importmapping_shape_unique_per_body"
            ),
        ]

    def __str__(self):
        return self.name


# The LKS's own accounts, its applications and what staff review of it: models of the
# register too, kept in their own modules; imported last because they build on the
# classes above.
from members.accounts import LksAccount  # noqa: E402, F401
from members.applications import Application, ApplicationDocument, ChecklistItem  # noqa: E402, F401
from members.reviews import (  # noqa: E402, F401
    ProfileChange,
    ProposedChange,
    ReadinessAnswer,
    ReadinessItem,
)

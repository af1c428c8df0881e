"""The LKS portal: the pages of an LKS's own people (``/portal/``).

Every page asks for the user's active LKS account first (anyone else: 403) and reaches
records only through ``for_lks_user``, the one rule of what an LKS sees: a record of
another LKS is a 404. Nothing here changes the register: the LKS proposes, uploads and
applies, and staff decide (``members.reviews``, ``members.applications``).
"""

import datetime
import functools
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lkks import files
from lkks.generic import add_errors
from lkks.views import file_response
from members.accounts import lks_account_of
from members.applications import (
    Application,
    application_attach,
    application_start,
    application_submit,
    checklist,
)
from members.models import (
    Accreditation,
    LegalDocument,
    Organisation,
    Registration,
    RegistrationStatus,
)
from members.reviews import (
    ProfileChange,
    document_upload,
    profile_change_propose,
    readiness,
    readiness_answer,
)
from portal.forms import (
    ApplicationStartForm,
    ChecklistForm,
    DocumentUploadForm,
    ProfileProposalForm,
    ReadinessForm,
)

# A paper that ends within this many days is shown as ending soon (the window of the
# reminders the LKS receives).
ENDING_SOON_DAYS = 90
MESSAGES_SHOWN = 10


def portal_page(view):
    """Only for a user with an active LKS account (403 for anyone else, staff and the
    admin included); the page gets ``request.lks``, the user's own LKS."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        account = lks_account_of(request.user)
        if account is None:
            raise PermissionDenied
        request.lks = account.organisation
        return view(request, *args, **kwargs)

    return wrapped


def own(queryset, user, **lookup):
    """One record of the user's own LKS, or 404."""
    try:
        return queryset.for_lks_user(user).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def render_page(request, template, context):
    return render(request, template, {"lks": request.lks, **context})


# The LKS's own page


@dataclass(frozen=True)
class Paper:
    """Something of the LKS that ends: a registration, an accreditation, a document."""

    what: str
    number: str
    valid_until: datetime.date
    days_left: int

    @property
    def state(self):
        if self.days_left < 0:
            return "ended"
        return "soon" if self.days_left <= ENDING_SOON_DAYS else "valid"


def _papers(user, today):
    """What of the LKS is in force or ended, by when it ends (three queries)."""
    papers = []
    registration = (
        Registration.objects.for_lks_user(user)
        .filter(status=Registration.Status.REGISTERED)
        .order_by("-valid_until", "-pk")
        .first()
    )
    if registration is not None:
        papers.append(
            Paper(
                _("Registration (tanda daftar)"),
                registration.number,
                registration.valid_until,
                (registration.valid_until - today).days,
            )
        )
    accreditation = (
        Accreditation.objects.for_lks_user(user)
        .filter(status=Accreditation.Status.ACCREDITED)
        .order_by("-valid_until", "-pk")
        .first()
    )
    if accreditation is not None:
        papers.append(
            Paper(
                _("Accreditation %(grade)s") % {"grade": accreditation.grade},
                accreditation.certificate_number,
                accreditation.valid_until,
                (accreditation.valid_until - today).days,
            )
        )
    for document in (
        LegalDocument.objects.for_lks_user(user).verified().filter(valid_until__isnull=False)
    ):
        papers.append(
            Paper(
                document.get_kind_display(),
                document.number,
                document.valid_until,
                (document.valid_until - today).days,
            )
        )
    return sorted(papers, key=lambda paper: paper.valid_until)


@dataclass(frozen=True)
class Word:
    """A message of the LKKS to the LKS: a decision and its note."""

    when: datetime.date
    subject: str
    outcome: str
    note: str
    url: str


def _words(user):
    """The latest decisions of the LKKS about the LKS, newest first (three queries)."""
    words = []
    for application in (
        Application.objects.for_lks_user(user)
        .filter(decided_on__isnull=False)
        .order_by("-decided_on", "-pk")[:MESSAGES_SHOWN]
    ):
        words.append(
            Word(
                application.decided_on,
                application.get_kind_display(),
                application.get_status_display(),
                application.decision_note,
                reverse("portal:application-detail", args=[application.pk]),
            )
        )
    for document in (
        LegalDocument.objects.for_lks_user(user)
        .filter(uploaded_by_lks=True, verified_at__isnull=False)
        .order_by("-verified_at", "-pk")[:MESSAGES_SHOWN]
    ):
        words.append(
            Word(
                timezone.localdate(document.verified_at),
                str(document),
                document.get_verification_display(),
                document.verification_note,
                reverse("portal:document-list"),
            )
        )
    for change in (
        ProfileChange.objects.for_lks_user(user)
        .filter(status=ProfileChange.Status.DECIDED)
        .prefetch_related("fields")
        .order_by("-decided_at", "-pk")[:MESSAGES_SHOWN]
    ):
        for proposed in change.fields.all():
            words.append(
                Word(
                    timezone.localdate(change.decided_at),
                    proposed.get_field_display(),
                    proposed.get_decision_display(),
                    proposed.note,
                    reverse("portal:profile"),
                )
            )
    return sorted(words, key=lambda word: word.when, reverse=True)[:MESSAGES_SHOWN]


@require_safe
@portal_page
def home(request):
    """The LKS's registration and accreditation, what ends when, what is missing, its
    applications and the LKKS's latest words."""
    user = request.user
    today = timezone.localdate()
    organisation = own(Organisation.objects.with_status(on=today), user, pk=request.lks.pk)
    documents = LegalDocument.objects.for_lks_user(user)
    return render_page(
        request,
        "portal/home.html",
        {
            "organisation": organisation,
            "status_label": RegistrationStatus(organisation.registration_status).label,
            "papers": _papers(user, today),
            "awaiting": documents.awaiting().count(),
            "refused": list(documents.filter(verification=LegalDocument.Verification.REFUSED)),
            "applications": list(Application.objects.for_lks_user(user)[:10]),
            "readiness": readiness(organisation),
            "words": _words(user),
            "pending_change": ProfileChange.objects.for_lks_user(user).pending().exists(),
        },
    )


# Proposed changes


def _pending_initial(change):
    """The form's values as the waiting proposal has them."""
    if change is None:
        return {}
    initial = {}
    for proposed in change.fields.all():
        initial[proposed.field] = proposed.value
    return initial


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def profile(request):
    """The LKS proposes changes to its profile, address, contacts and board; the
    register changes only when staff accept them."""
    user = request.user
    organisation = own(
        Organisation.objects.select_related("body__regency"), user, pk=request.lks.pk
    )
    pending = ProfileChange.objects.for_lks_user(user).pending().prefetch_related("fields").first()
    form_kwargs = {"user": user, "body": organisation.body}
    if request.method == "POST":
        # A copy: the form writes its values into it, and nothing of it is saved.
        form = ProfileProposalForm(
            request.POST, instance=Organisation.objects.get(pk=organisation.pk), **form_kwargs
        )
        if form.is_valid():
            try:
                profile_change_propose(
                    organisation=organisation,
                    by=user,
                    values={name: form.cleaned_data[name] for name in form._meta.fields},
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("Your proposal was sent. The LKKS staff will review it.")
                )
                return redirect("portal:profile")
    else:
        form = ProfileProposalForm(
            instance=organisation,
            initial={**_pending_initial(pending), "note": pending.note if pending else ""},
            **form_kwargs,
        )
    decided = (
        ProfileChange.objects.for_lks_user(user)
        .filter(status=ProfileChange.Status.DECIDED)
        .prefetch_related("fields")
        .first()
    )
    return render_page(
        request,
        "portal/profile.html",
        {
            "form": form,
            "pending": pending,
            "decided": decided,
            "organisation": organisation,
        },
    )


# Documents


@require_safe
@portal_page
def document_list(request):
    documents = LegalDocument.objects.for_lks_user(request.user).order_by("kind", "-issued_on")
    return render_page(request, "portal/document_list.html", {"documents": documents})


def _next_url(request, default):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return default


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def document_create(request):
    """Upload a document with its validity: it waits for verification by staff."""
    organisation = request.lks
    form_kwargs = {"user": request.user, "body": organisation.body}
    document = LegalDocument(organisation=organisation)
    if request.method == "POST":
        form = DocumentUploadForm(request.POST, request.FILES, instance=document, **form_kwargs)
        if form.is_valid():
            try:
                document_upload(document=form.instance, by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request, _("The document was uploaded. It counts once staff verify it.")
                )
                return redirect(_next_url(request, reverse("portal:document-list")))
    else:
        kind = request.GET.get("kind")
        initial = {"kind": kind} if kind in LegalDocument.Kind.values else {}
        form = DocumentUploadForm(instance=document, initial=initial, **form_kwargs)
    return render_page(
        request,
        "portal/document_form.html",
        {"form": form, "next": _next_url(request, "")},
    )


@require_safe
@portal_page
def download(request, kind, pk):
    """A stored file of the LKS's own records (404 for any other)."""
    try:
        model, field_name = files.DOWNLOADABLE[kind]
    except KeyError:
        raise Http404 from None
    if not hasattr(model.objects.all(), "for_lks_user"):
        raise Http404
    return file_response(getattr(own(model.objects, request.user, pk=pk), field_name))


# Applications


@require_safe
@portal_page
def application_list(request):
    applications = Application.objects.for_lks_user(request.user)
    return render_page(request, "portal/application_list.html", {"applications": applications})


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def application_create(request):
    form = ApplicationStartForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application = application_start(
                organisation=request.lks,
                kind=form.cleaned_data["kind"],
                purpose=form.cleaned_data["purpose"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Application started. Attach its documents."))
            return redirect("portal:application-detail", application.pk)
    return render_page(request, "portal/application_form.html", {"form": form})


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def application_detail(request, pk):
    """The checklist of an application: a document for each item, then submit."""
    user = request.user
    application = own(Application.objects.select_related("decided_by"), user, pk=pk)
    rows = checklist(application)
    form = ChecklistForm(request.POST if request.method == "POST" else None, rows=rows, user=user)
    if request.method == "POST" and application.is_editable and form.is_valid():
        submitting = "submit" in request.POST
        try:
            # All or nothing: a refused submission keeps none of the new choices.
            with transaction.atomic():
                for item, document in form.chosen():
                    application_attach(
                        application=application, item=item, document=document, by=user
                    )
                if submitting:
                    application_submit(application=application, by=user)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("The application was submitted. You will receive an email at each step.")
                if submitting
                else _("Saved."),
            )
            return redirect("portal:application-detail", application.pk)
    elif request.method == "POST" and not application.is_editable:
        messages.error(request, _("This application can no longer be changed."))
        return redirect("portal:application-detail", application.pk)
    return render_page(
        request,
        "portal/application_detail.html",
        {
            "application": application,
            "form": form,
            "missing": [row for row in rows if row.is_missing],
        },
    )


# Accreditation readiness


@require_http_methods(["GET", "HEAD", "POST"])
@portal_page
def readiness_page(request):
    """The self-assessment for accreditation: evidence for each item, the readiness in
    per cent and what is missing."""
    user = request.user
    organisation = request.lks
    state = readiness(organisation)
    form = ReadinessForm(
        request.POST if request.method == "POST" else None, readiness=state, user=user
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                for item, document, note in form.chosen():
                    try:
                        readiness_answer(
                            organisation=organisation,
                            item=item,
                            document=document,
                            note=note,
                            by=user,
                        )
                    except ValidationError as error:
                        # Beside the item it is about.
                        raise ValidationError({f"item_{item.pk}": error.messages}) from None
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("portal:readiness")
    return render_page(request, "portal/readiness.html", {"form": form, "readiness": state})

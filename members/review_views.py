"""The verification desk of the LKKS staff: what the LKS sent through their portal.

- ``/members/reviews/``: the queue of the current body: proposed changes, documents
  awaiting verification, submitted applications, and what waits too long.
- a proposal decided field by field; a document verified or refused; an application
  returned, refused or approved;
- the people of an LKS, invited, disabled and enabled from its page.

Reading goes through ``for_user`` and changing through ``editable_by`` (lkks.access):
another body's record is a 404, an official gets 403 where staff decide.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lkks import access
from lkks.generic import add_errors, breadcrumbs
from members.accounts import (
    LksAccount,
    lks_account_invite,
    lks_account_invite_again,
    lks_account_set_active,
)
from members.applications import (
    Application,
    application_approve,
    application_refuse,
    application_return,
    checklist,
    waiting_too_long,
)
from members.models import LegalDocument, Organisation
from members.review_forms import (
    APPROVE,
    REVISION,
    VERIFY,
    ApplicationDecisionForm,
    ChangeDecisionForm,
    DocumentCheckForm,
    InviteForm,
)
from members.reviews import (
    ProfileChange,
    document_decide,
    profile_change_decide,
    readiness,
    verification_log,
)

LKS = (gettext_lazy("LKS"), reverse_lazy("members:organisation-list"))
REVIEWS = (gettext_lazy("Verification desk"), reverse_lazy("members:review-queue"))
APPLICATIONS = (gettext_lazy("Applications"), reverse_lazy("members:application-list"))
# The applications decided lately, under the queue.
DECIDED_SHOWN = 50


def lks_page_sections(organisation, user):
    """What the LKS's page shows of its portal: its people, its applications, its
    proposal waiting, its readiness for accreditation and its verification log."""
    return {
        "lks_accounts": LksAccount.objects.for_user(user)
        .filter(organisation=organisation)
        .select_related("user", "invited_by")
        .order_by("user__first_name", "user__username"),
        "lks_applications": Application.objects.for_user(user).filter(organisation=organisation),
        "lks_pending_change": ProfileChange.objects.for_user(user)
        .filter(organisation=organisation)
        .pending()
        .first(),
        "lks_readiness": readiness(organisation),
        "verification_log": verification_log(organisation),
    }


@require_safe
def review_queue(request):
    """What the current body's LKS sent and waits for staff (staff only)."""
    body = access.body_for_new_record(request)
    user = request.user
    return render(
        request,
        "members/review_queue.html",
        {
            "body": body,
            "changes": ProfileChange.objects.for_user(user)
            .for_body(body)
            .pending()
            .select_related("organisation", "proposed_by")
            .prefetch_related("fields"),
            "documents": LegalDocument.objects.for_user(user)
            .for_body(body)
            .awaiting()
            .select_related("organisation")
            .order_by("created_at", "pk"),
            "applications": Application.objects.for_user(user)
            .for_body(body)
            .in_queue()
            .select_related("organisation")
            .order_by("submitted_on", "pk"),
            "waiting": waiting_too_long(body),
            "breadcrumbs": breadcrumbs(LKS, _("Verification desk")),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def change_decide(request, pk):
    """Accept or refuse each field of an LKS's proposal; the accepted ones are written
    to the register together."""
    change = access.get_editable(
        ProfileChange.objects.select_related("organisation__body", "proposed_by", "decided_by"),
        request.user,
        pk=pk,
    )
    fields = list(change.fields.all())
    form = ChangeDecisionForm(request.POST if request.method == "POST" else None, fields=fields)
    if request.method == "POST" and form.is_valid():
        try:
            profile_change_decide(change=change, by=request.user, decisions=form.decisions())
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Decided. The LKS was told by email."))
            return redirect("members:review-queue")
    return render(
        request,
        "members/change_decide.html",
        {
            "change": change,
            "organisation": change.organisation,
            "form": form,
            "is_pending": change.status == ProfileChange.Status.PENDING,
            "breadcrumbs": breadcrumbs(REVIEWS, change.organisation, _("Proposed changes")),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def document_check(request, pk):
    """Verify or refuse a document an LKS uploaded."""
    document = access.get_editable(
        LegalDocument.objects.select_related("organisation__body", "verified_by"),
        request.user,
        pk=pk,
    )
    form = DocumentCheckForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            document_decide(
                document=document,
                by=request.user,
                verified=form.cleaned_data["decision"] == VERIFY,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Checked. The LKS was told by email."))
            return redirect("members:review-queue")
    return render(
        request,
        "members/document_check.html",
        {
            "document": document,
            "organisation": document.organisation,
            "form": form,
            "breadcrumbs": breadcrumbs(REVIEWS, document.organisation, str(document)),
        },
    )


@require_safe
def application_list(request):
    """The current body's applications: those waiting, then the latest decided."""
    body = access.reading_body(request)
    applications = (
        Application.objects.for_user(request.user).for_body(body).select_related("organisation")
    )
    return render(
        request,
        "members/application_list.html",
        {
            "in_queue": applications.in_queue().order_by("submitted_on", "pk"),
            "decided": applications.exclude(status=Application.Status.SUBMITTED)[:DECIDED_SHOWN],
            "waiting": {row.application_id for row in waiting_too_long(body)},
            "can_decide": access.can_edit_body(request.user, body),
            "breadcrumbs": breadcrumbs(LKS, _("Applications")),
        },
    )


DECISIONS = {
    APPROVE: (application_approve, gettext_lazy("Approved. The LKS was told by email.")),
    REVISION: (
        application_return,
        gettext_lazy("Returned for revision. The LKS was told by email."),
    ),
}


@require_http_methods(["GET", "HEAD", "POST"])
def application_detail(request, pk):
    """An application with its checklist; its staff decide it (officials read it)."""
    queryset = Application.objects.select_related(
        "organisation__body", "created_by", "decided_by", "recommendation__letter"
    )
    if request.method == "POST":
        application = access.get_editable(queryset, request.user, pk=pk)
    else:
        application = access.get_readable(queryset, request.user, pk=pk)
    form = ApplicationDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        service, done = DECISIONS.get(
            form.cleaned_data["decision"],
            (application_refuse, gettext_lazy("Refused. The LKS was told by email.")),
        )
        try:
            service(application=application, by=request.user, note=form.cleaned_data["note"])
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, str(done))
            return redirect("members:application-detail", application.pk)
    return render(
        request,
        "members/application_detail.html",
        {
            "application": application,
            "organisation": application.organisation,
            "rows": checklist(application),
            "form": form,
            "can_decide": application.status == Application.Status.SUBMITTED
            and access.is_editable(application, request.user),
            "breadcrumbs": breadcrumbs(APPLICATIONS, application.organisation, str(application)),
        },
    )


# The people of an LKS


@require_http_methods(["GET", "HEAD", "POST"])
def account_create(request, pk):
    """Invite a person of the LKS by email (staff of its body)."""
    organisation = access.get_editable(
        Organisation.objects.select_related("body"), request.user, pk=pk
    )
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            account = lks_account_invite(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(email)s was invited: the email holds the link to set a password.")
                % {"email": account.user.email},
            )
            return redirect(account)
    return render(
        request,
        "members/account_form.html",
        {
            "form": form,
            "organisation": organisation,
            "breadcrumbs": breadcrumbs(LKS, organisation, _("Invite a person of the LKS")),
        },
    )


def _account_action(request, pk, action, done):
    account = access.get_editable(
        LksAccount.objects.select_related("user", "organisation"), request.user, pk=pk
    )
    try:
        action(account=account, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done % {"name": account.user.get_full_name() or account.user})
    return redirect(account)


@require_POST
def account_disable(request, pk):
    return _account_action(
        request,
        pk,
        lambda account, by: lks_account_set_active(account=account, active=False, by=by),
        _("The account of %(name)s was disabled."),
    )


@require_POST
def account_enable(request, pk):
    return _account_action(
        request,
        pk,
        lambda account, by: lks_account_set_active(account=account, active=True, by=by),
        _("The account of %(name)s was enabled."),
    )


@require_POST
def account_invite_again(request, pk):
    return _account_action(
        request, pk, lks_account_invite_again, _("The invitation was sent to %(name)s again.")
    )

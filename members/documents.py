"""The recommendation letter for an LKS: the form that issues the next numbered letter,
and the letter itself as an HTML page and a PDF.

The letter is found through its scoping method first (another body's is a 404); the
PDF embeds only static files.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from lkks import access
from lkks.documents import (
    DocumentForm,
    Letterhead,
    document_response,
    pdf_url,
    regency_name,
)
from lkks.forms import DateInput
from lkks.generic import add_errors, breadcrumbs
from lkks.models import Officer
from lkks.signatures import SignatureBlock, signature_block, social_office_name
from members.models import Organisation, Recommendation, RegistrationStatus
from members.services import recommendation_issue
from members.views import LKS

DEFAULT_PURPOSE = (
    "mengajukan pendaftaran (tanda daftar) sebagai Lembaga Kesejahteraan Sosial kepada"
)
# What a recommendation is most likely for, by the LKS's registration status on the
# day (#12; docs/decisions.md "Default purpose of a recommendation"): a registered LKS
# no longer applies for registration, an expired one renews it.
PURPOSE_BY_STATUS = {
    RegistrationStatus.REGISTERED: (
        "mengajukan akreditasi dan bantuan sosial sebagai Lembaga Kesejahteraan Sosial "
        "yang telah terdaftar pada"
    ),
    RegistrationStatus.EXPIRED: (
        "memperpanjang pendaftaran (tanda daftar) sebagai Lembaga Kesejahteraan Sosial kepada"
    ),
    RegistrationStatus.IN_PROCESS: (
        "melengkapi pengajuan pendaftaran (tanda daftar) sebagai Lembaga Kesejahteraan "
        "Sosial kepada"
    ),
}


def default_purpose(organisation, body):
    """The purpose a new recommendation suggests, fitting the LKS's status today."""
    status = Organisation.objects.with_status().get(pk=organisation.pk).registration_status
    return f"{PURPOSE_BY_STATUS.get(status, DEFAULT_PURPOSE)} {social_office_name(body)}"


# Who may sign a recommendation for the body.
SIGNER_POSITIONS = [
    Officer.Position.CHAIR,
    Officer.Position.EXECUTIVE_CHAIR,
    Officer.Position.VICE_CHAIR,
]


@dataclass
class RecommendationLetter:
    recommendation: object
    organisation: Organisation
    body: object
    number: str
    regency: str
    letterhead: Letterhead
    signatures: SignatureBlock
    registration_status: str  # the label, as of the letter's date
    legal_documents: list


def recommendation_for_letter(queryset):
    """What ``recommendation_letter`` needs, for a queryset already scoped to the user."""
    return queryset.select_related(
        "organisation__district", "organisation__village", "body__regency", "letter"
    )


def recommendation_letter(recommendation) -> RecommendationLetter:
    """The letter of a recommendation from ``recommendation_for_letter`` (three queries:
    its status, its legal documents, its signer)."""
    organisation = recommendation.organisation
    status = (
        Organisation.objects.filter(pk=organisation.pk)
        .with_status(on=recommendation.date)
        .values_list("registration_status", flat=True)
        .get()
    )
    return RecommendationLetter(
        recommendation=recommendation,
        organisation=organisation,
        body=recommendation.body,
        number=recommendation.letter.number,
        regency=regency_name(recommendation.body),
        letterhead=Letterhead.of(recommendation.body),
        signatures=signature_block(
            recommendation.body,
            on=recommendation.date,
            positions=[recommendation.signer_position],
        ),
        registration_status=RegistrationStatus(status).label,
        # Only what staff verified is vouched for in a letter of the body.
        legal_documents=list(organisation.documents.verified().order_by("kind", "issued_on", "pk")),
    )


@require_safe
def recommendation_detail(request, pk):
    """A recommendation letter the user reads."""
    recommendation = access.get_readable(
        recommendation_for_letter(Recommendation.objects), request.user, pk=pk
    )
    form = DocumentForm(request.GET)
    form.is_valid()
    letter = recommendation_letter(recommendation)
    context = {
        "letter": letter,
        "letterhead": letter.letterhead,
        "pdf_url": pdf_url(request),
        "can_issue": access.can_edit_body(request.user, recommendation.body),
    }
    return document_response(
        request,
        "members/recommendation.html",
        context,
        form=form,
        filename=f"rekomendasi-{letter.number}",
    )


class RecommendationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    signer_position = forms.TypedChoiceField(
        label=_("Signed by"),
        coerce=int,
        choices=[(position.value, position.label) for position in SIGNER_POSITIONS],
        help_text=_(
            "The officer holding this position on the letter's date signs it; the number "
            "comes from the letter register."
        ),
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What the LKS is recommended for; written in the letter after its name."),
    )


@require_http_methods(["GET", "POST"])
def recommendation_create(request, pk):
    """Issue the next numbered recommendation letter for an LKS: staff of its body only
    (an official gets 403, another body's staff 404)."""
    organisation = access.get_editable(
        Organisation.objects.select_related("body__regency"), request.user, pk=pk
    )
    body = organisation.body
    if request.method == "POST":
        form = RecommendationForm(request.POST)
        if form.is_valid():
            try:
                recommendation = recommendation_issue(
                    organisation=organisation, by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    request,
                    gettext("Recommendation letter %(number)s issued.")
                    % {"number": recommendation.number},
                )
                return redirect(recommendation)
    else:
        form = RecommendationForm(
            initial={
                "date": timezone.localdate(),
                "signer_position": Officer.Position.CHAIR,
                "purpose": default_purpose(organisation, body),
            }
        )
    earlier = (
        Recommendation.objects.for_user(request.user)
        .filter(organisation=organisation)
        .select_related("letter")
    )
    return render(
        request,
        "members/recommendation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "earlier": earlier,
            "breadcrumbs": breadcrumbs(LKS, organisation, gettext("Recommendation letter")),
        },
    )


# Mounted under /reports/ by the project's URLs, with the names they have always had.
urlpatterns = [
    path(
        "organisations/<int:pk>/recommendation/new/",
        recommendation_create,
        name="recommendation-create",
    ),
    path("recommendations/<int:pk>/", recommendation_detail, name="recommendation-detail"),
]

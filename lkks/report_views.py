"""The documents officials print and sign, as HTML pages and as PDF (``?format=pdf``):
the annual report of a body, the LPJ of a grant, the recommendation letter for an
LKS, and the form that issues such a letter.

Each document is found through its scoping method first (another body's is a 404);
the PDF embeds only static files and the stored files the page itself shows.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from grants.models import Grant
from lkks import access, reports
from lkks.forms import DateInput
from lkks.generic import add_errors
from lkks.pdf import render_pdf
from members.models import Organisation, Recommendation
from members.services import recommendation_issue

FORMATS = [("html", "HTML"), ("pdf", "PDF")]
DEFAULT_PURPOSE = (
    "mengajukan pendaftaran (tanda daftar) sebagai Lembaga Kesejahteraan Sosial kepada Dinas Sosial"
)


class DocumentForm(forms.Form):
    """What every document URL may be asked for: HTML (the default) or PDF."""

    format = forms.ChoiceField(label=_("Format"), choices=FORMATS, required=False)

    def wants_pdf(self):
        return self.cleaned_data.get("format") == "pdf"


class AnnualReportForm(DocumentForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)


def document_response(request, template_name, context, *, form, filename, files=None):
    """The page, or its PDF as a download named ``filename``.pdf. Documents are official
    Indonesian documents: their labels and dates are Indonesian whatever the language
    of the interface."""
    with translation.override(settings.LANGUAGE_CODE):
        if not form.wants_pdf():
            return render(request, template_name, context)
        pdf = render_pdf(template_name, context, request=request, files=files)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"{slugify(filename.replace('/', '-'))}.pdf"
    )
    return response


def pdf_url(request, **params):
    """This page's URL asking for its PDF (with ``params`` fixed, such as the year a
    default chose, so that the PDF is the page even if the default changes)."""
    query = request.GET.copy()
    for name, value in {**params, "format": "pdf"}.items():
        query[name] = value
    return f"{request.path}?{query.urlencode()}"


@require_safe
def annual_report(request):
    """The annual report of a body the user reads (``?body=<slug>``, else the current
    body) for a year (``?year=``, else the latest with programs or grants)."""
    slug = request.GET.get("body")
    if slug:
        body = access.readable_bodies(request.user).filter(slug=slug).first()
    else:
        body = access.current_body(request)
    if body is None:
        raise Http404
    form = AnnualReportForm(request.GET)
    context = {
        "form": form,
        "body": body,
        "bodies": access.readable_bodies(request.user).order_by("name"),
    }
    if not form.is_valid():
        with translation.override(settings.LANGUAGE_CODE):
            return render(request, "reports/annual_report.html", context, status=400)
    today = timezone.localdate()
    year = form.cleaned_data["year"] or reports.latest_year(body, today)
    report = reports.annual_report(body=body, year=year, today=today)
    context |= {
        "report": report,
        "year": year,
        "pdf_url": pdf_url(request, body=body.slug, year=str(year)),
    }
    return document_response(
        request,
        "reports/annual_report.html",
        context,
        form=form,
        filename=f"laporan-tahunan-{body.slug}-{year}",
        files={photo.url: photo.stored for photo in report.photos},
    )


@require_safe
def grant_lpj(request, pk):
    """The accountability report (LPJ) of a grant the user reads."""
    grant = access.get_readable(reports.grant_for_lpj(Grant.objects), request.user, pk=pk)
    form = DocumentForm(request.GET)
    form.is_valid()  # an unknown format is shown as HTML
    lpj = reports.lpj(grant)
    context = {"lpj": lpj, "letterhead": lpj.letterhead, "pdf_url": pdf_url(request)}
    return document_response(
        request,
        "reports/lpj.html",
        context,
        form=form,
        filename=f"lpj-{grant.fiscal_year}-{grant.name}",
    )


@require_safe
def recommendation_detail(request, pk):
    """A recommendation letter the user reads."""
    recommendation = access.get_readable(
        reports.recommendation_for_letter(Recommendation.objects), request.user, pk=pk
    )
    form = DocumentForm(request.GET)
    form.is_valid()
    letter = reports.recommendation_letter(recommendation)
    context = {
        "letter": letter,
        "letterhead": letter.letterhead,
        "pdf_url": pdf_url(request),
        "can_issue": access.can_edit_body(request.user, recommendation.body),
    }
    return document_response(
        request,
        "reports/recommendation.html",
        context,
        form=form,
        filename=f"rekomendasi-{recommendation.number}",
    )


class RecommendationForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput)
    signer_name = forms.CharField(label=_("Signed by"), max_length=150)
    signer_title = forms.CharField(label=_("Signer's title"), max_length=150)
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
                "signer_name": body.chairperson,
                "signer_title": f"Ketua {body.name}",
                "purpose": f"{DEFAULT_PURPOSE} {reports.place_name(body)}",
            }
        )
    earlier = Recommendation.objects.for_user(request.user).filter(organisation=organisation)
    return render(
        request,
        "reports/recommendation_form.html",
        {
            "form": form,
            "organisation": organisation,
            "earlier": earlier,
            "breadcrumbs": [
                (gettext("LKS"), reverse("members:organisation-list")),
                (organisation.name, organisation.get_absolute_url()),
                (gettext("Recommendation letter"), None),
            ],
        },
    )

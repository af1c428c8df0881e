"""The pages that read across the apps: the dashboard of a body, the comparison of
bodies, the JSON summary, the list of what is due, and the annual report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe

from grants.models import Grant
from jobs import jobs
from lkks import access
from lkks.dates import FIRST_YEAR, LAST_YEAR
from lkks.documents import DocumentForm, document_page
from lkks.exports import FORMATS, export_response, runs_in_background
from lkks.generic import breadcrumbs
from lkks.letters import issue_letter
from lkks.models import Letter
from members.accounts import is_lks_user
from members.models import Recommendation
from overview import charts, dashboard, policy, reminders, reports, tasks
from overview.exports import start_comparison_export
from visits.models import StudyVisit


class YearForm(forms.Form):
    """The fiscal year of the dashboard, the comparison and the summary (?year=)."""

    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


def requested_year(request):
    """The year of ?year= (None when there is none or it is not a year), and the form
    that says what is wrong with it."""
    form = YearForm(request.GET)
    return (form.cleaned_data["year"] if form.is_valid() else None), form


def year_choices(years, year):
    """The years to offer: those with data, the current one and the one shown."""
    return sorted({*years, timezone.localdate().year, year}, reverse=True)


def chosen_body(request):
    """The body of ?body=<slug> among the user's (404 for any other), else the body the
    user works in; None for a user of no body."""
    slug = request.GET.get("body")
    if not slug:
        return access.current_body(request)
    body = access.user_body(request, slug)
    if body is None:
        raise Http404
    return body


def comparable_bodies(user):
    """The bodies a user may compare: all they read, when that is two or more (a
    provincial official), or all bodies for the admin; 403 for anyone else."""
    bodies = list(access.readable_bodies(user).order_by("name"))
    if not user.is_superuser and len(bodies) < 2:
        # The message is the page's reason (templates/403.html): not a matter of role.
        raise access.Refused(
            _(
                "The comparison is for readers of several bodies, such as provincial "
                "officials: your account reads one body only."
            )
        )
    return bodies


@require_safe
def home(request):
    """The dashboard of one body for one fiscal year."""
    body = chosen_body(request)
    if body is None and is_lks_user(request.user):
        # The people of an LKS belong to no body: their home is their LKS's portal.
        return redirect("portal:home")
    if body is None:
        return render(request, "overview/dashboard.html", {"board": None})
    year, form = requested_year(request)
    board = dashboard.cached_dashboard(body, year)
    return render(
        request,
        "overview/dashboard.html",
        {
            "board": board,
            # Drawn only when the page's sections are not in the cache already.
            "charts": SimpleLazyObject(lambda: charts.dashboard_charts(board)),
            "cache_seconds": dashboard.CACHE_SECONDS,
            "year_form": form,
            "year_choices": year_choices(board.years, board.year),
            "can_compare": request.user.is_superuser or len(access.user_bodies(request)) > 1,
        },
    )


def _compared(request):
    bodies = comparable_bodies(request.user)
    year, form = requested_year(request)
    years = dashboard.fiscal_years(bodies)
    return dashboard.comparison(bodies, year or dashboard.default_year(years), years=years), form


@require_safe
def compare(request):
    """The bodies of the user side by side for a fiscal year ("study tiru")."""
    board, form = _compared(request)
    # What the bodies learned from each other: the visits between two of them.
    visits = (
        StudyVisit.objects.for_user(request.user)
        .between(board.bodies)
        .select_related("visiting_body", "host_body")
    )
    return render(
        request,
        "overview/compare.html",
        {
            "board": board,
            "visits": visits,
            "year_form": form,
            "year_choices": year_choices(board.years, board.year),
            "breadcrumbs": breadcrumbs(_("Comparison of bodies")),
        },
    )


@require_safe
def compare_export(request):
    """The comparison as a spreadsheet: ?format=csv (the default) or xlsx. The XLSX of
    several bodies is written by a job (overview/exports.py)."""
    bodies = comparable_bodies(request.user)
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format: choose csv or xlsx."))
    year, form = requested_year(request)
    if form.errors:
        return HttpResponseBadRequest(" ".join(form.errors["year"]))
    years = dashboard.fiscal_years(bodies)
    year = year or dashboard.default_year(years)
    filename = f"{slugify(_('LKKS comparison'))}-{year}"
    if runs_in_background(rows=0, bodies=len(bodies), file_format=file_format):
        return start_comparison_export(
            request, year=year, file_format=file_format, filename=filename
        )
    board = dashboard.comparison(bodies, year, years=years)
    headers, rows = dashboard.comparison_table(board)
    response = export_response(
        file_format=file_format,
        headers=headers,
        rows=rows,
        filename=filename,
        title=str(board.year),
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _json_error(message, status, **details):
    return JsonResponse({"error": message, **details}, status=status)


@require_safe
def api_summary(request):
    """The dashboard's figures of one body as JSON: ?body=<slug>&year=<yyyy>."""
    # The user's bodies as every page reads them (cached), not a query of its own.
    slug = request.GET.get("body")
    if slug:
        body = access.user_body(request, slug)
        if body is None:
            return _json_error(_("No such body."), 404)
    else:
        # Without ?body=, a user of exactly one body gets that body.
        bodies = access.user_bodies(request)
        if not bodies:
            return _json_error(_("Your account is not a member of any body."), 404)
        if len(bodies) > 1:
            return _json_error(
                _("You read several bodies: choose one with ?body=<slug>."),
                400,
                bodies=sorted(body.slug for body in bodies),
            )
        body = bodies[0]
    year, form = requested_year(request)
    if form.errors:
        return _json_error(" ".join(form.errors["year"]), 400, field="year")
    response = JsonResponse(dashboard.cached_summary(body, year))
    response["Cache-Control"] = "private, no-store"
    return response


# The columns of every kind of row (reminders.DueItem): what is due, what it concerns
# (an LKS, a grant, a follow-up action) and its details (a number, a grade, a document,
# the kind of application, the agreement, the visit).
DUE_HEADERS = [
    _lazy("What"),
    _lazy("Subject"),
    _lazy("Details"),
    _lazy("Due on"),
    _lazy("Days left"),
]


def _due(request):
    """What the current body has due: registrations and accreditations expiring, LPJ
    due or overdue (the reminders' list, by ``overview.policy``)."""
    body = access.current_body(request)
    if body is None:
        raise Http404
    return body, reminders.due_items(body, timezone.localdate())


@require_safe
def report_list(request):
    """Every document the user may print, in one place: the annual report of each body
    they read by fiscal year, the LPJ of each grant, the recommendation letters and the
    study-visit reports. Each list goes through its model's ``for_user``."""
    access.reading_body(request)
    bodies = access.user_bodies(request)
    years = dashboard.fiscal_years(bodies)
    grants = (
        Grant.objects.for_user(request.user)
        .select_related("funder__body")
        .order_by("funder__body__name", "-fiscal_year", "name")
    )
    recommendations = (
        Recommendation.objects.for_user(request.user)
        .select_related("organisation", "letter", "body")
        .order_by("body__name", "-date", "-pk")
    )
    visits = (
        StudyVisit.objects.for_user(request.user)
        .select_related("visiting_body", "host_body")
        .order_by("-date", "-pk")
    )
    return render(
        request,
        "overview/report_list.html",
        {
            "annual_reports": [(body, years) for body in bodies],
            "grants": grants,
            "recommendations": recommendations,
            "visits": visits,
            "breadcrumbs": breadcrumbs(_("Reports")),
        },
    )


@require_safe
def due_list(request):
    body, items = _due(request)
    return render(
        request,
        "overview/due_list.html",
        {
            "body": body,
            "items": items,
            "headers": DUE_HEADERS,
            "export_url": reverse("due-export"),
            "policy": policy.described(),
            "breadcrumbs": breadcrumbs(_("Due and overdue")),
        },
    )


@require_safe
def due_export(request):
    body, items = _due(request)
    file_format = request.GET.get("format", "csv")
    if file_format not in FORMATS:
        return HttpResponseBadRequest(_("Unknown format: choose csv or xlsx."))
    return export_response(
        file_format=file_format,
        headers=DUE_HEADERS,
        rows=(
            [item.kind_label, item.title, item.detail, item.due_on, item.days_left]
            for item in items
        ),
        filename=f"{slugify(_('due'))}-{body.slug}-{timezone.localdate():%Y-%m-%d}",
        title=str(_("Due and overdue")),
    )


class AnnualReportForm(DocumentForm):
    year = forms.IntegerField(
        label=_lazy("Year"),
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        required=False,
    )
    # The date the report is printed and signed on (not yet numbered): today unless
    # chosen, e.g. the day of the meeting it goes to (#12).
    date = forms.DateField(label=_lazy("Date printed"), required=False)


def _annual_report_body(request, slug):
    """The body of the annual report: one the user reads (by slug), else the current one."""
    if slug:
        body = access.readable_bodies(request.user).filter(slug=slug).first()
    else:
        body = access.current_body(request)
    if body is None:
        raise Http404
    return body


@require_safe
def annual_report(request):
    """The annual report of a body the user reads (``?body=<slug>``, else the current
    body) for a year (``?year=``, else the latest with programs or grants), as a page.
    Its PDF is made by the worker (``annual_report_pdf``): a page takes eight queries,
    a PDF seconds of WeasyPrint."""
    body = _annual_report_body(request, request.GET.get("body"))
    form = AnnualReportForm(request.GET)
    context = {
        "form": form,
        "body": body,
        "bodies": access.readable_bodies(request.user).order_by("name"),
    }
    if not form.is_valid():
        return document_page(request, "overview/annual_report.html", context, status=400)
    today = form.cleaned_data["date"] or timezone.localdate()
    year = form.cleaned_data["year"] or reports.latest_year(body, today)
    report = reports.annual_report(body=body, year=year, today=today)
    context |= {
        "report": report,
        "year": year,
        "printed_on": form.cleaned_data["date"],
        "can_number": report.letter is None and access.can_edit_body(request.user, body),
    }
    return document_page(request, "overview/annual_report.html", context)


@require_POST
def annual_report_pdf(request):
    """Start the job that makes the annual report's PDF (the body, year and printing
    date of the page), and show its progress."""
    body = _annual_report_body(request, request.POST.get("body"))
    form = AnnualReportForm(request.POST)
    if not form.is_valid():
        context = {
            "form": form,
            "body": body,
            "bodies": access.readable_bodies(request.user).order_by("name"),
        }
        return document_page(request, "overview/annual_report.html", context, status=400)
    today = form.cleaned_data["date"]
    year = form.cleaned_data["year"] or reports.latest_year(body, today or timezone.localdate())
    query = {"body": body.slug, "year": year, **({"date": today.isoformat()} if today else {})}
    job = jobs.start(
        request.user,
        tasks.annual_report_pdf,
        title=_("Annual report %(year)s of %(body)s (PDF)") % {"year": year, "body": body.name},
        kind="report",
        body=body,
        return_url=f"{reverse('report-annual')}?{urlencode(query)}",
        body_id=body.pk,
        year=year,
        date=today.isoformat() if today else None,
    )
    return redirect(job)


@require_POST
def annual_report_number(request):
    """Give the annual report of a year its number in the body's letter register: staff
    of the body only. It is then dated and signed as of that day."""
    body = access.user_body(request, request.POST.get("body", ""))
    if body is None:
        raise Http404
    if not access.can_edit_body(request.user, body):
        raise access.Refused(_("Only the body's staff give the annual report its number."))
    form = AnnualReportForm(request.POST)
    if not form.is_valid() or form.cleaned_data["year"] is None:
        return HttpResponseBadRequest(
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    year = form.cleaned_data["year"]
    try:
        letter = issue_letter(
            body=body,
            kind=Letter.Kind.REPORT,
            on=timezone.localdate(),
            subject=f"Laporan tahunan {body.name} tahun {year}",
            by=request.user,
            reference=reports.annual_report_reference(year),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Letter number %(number)s issued.") % {"number": letter.number})
    return redirect(f"{reverse('report-annual')}?body={body.slug}&year={year}")

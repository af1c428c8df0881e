import csv
import io

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST, require_safe
from openpyxl import Workbook
from openpyxl.styles import Font

from grants.models import Expenditure
from lkks import access, charts, dashboard, reminders
from lkks.exports import export_response
from lkks.uploads import sniff_content_type
from members.models import Accreditation, LegalDocument, Organisation, Registration
from programs.models import ActivityPhoto

# The stored files a user may download, by URL name: model and file field. Each is
# served only after the record is found through the model's scoping method.
FILES = {
    "organisation-logo": (Organisation, "logo"),
    "registration-document": (Registration, "document"),
    "accreditation-document": (Accreditation, "document"),
    "legaldocument-document": (LegalDocument, "document"),
    "activityphoto-image": (ActivityPhoto, "image"),
    "activityphoto-thumbnail": (ActivityPhoto, "thumbnail"),
    "expenditure-receipt": (Expenditure, "receipt"),
}


class YearForm(forms.Form):
    """The fiscal year of the dashboard, the comparison and the summary (?year=)."""

    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)


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
        raise PermissionDenied
    return bodies


@require_safe
def home(request):
    """The dashboard of one body for one fiscal year."""
    body = chosen_body(request)
    if body is None:
        return render(request, "lkks/dashboard.html", {"board": None})
    year, form = requested_year(request)
    board = dashboard.cached_dashboard(body, year)
    return render(
        request,
        "lkks/dashboard.html",
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
    return render(
        request,
        "lkks/compare.html",
        {
            "board": board,
            "year_form": form,
            "year_choices": year_choices(board.years, board.year),
            "breadcrumbs": [(_("Comparison of bodies"), None)],
        },
    )


def _csv(rows, _board):
    text = io.StringIO()
    # The byte-order mark makes spreadsheet software read the file as UTF-8.
    text.write("\ufeff")
    csv.writer(text).writerows(rows)
    return text.getvalue().encode("utf-8"), "text/csv; charset=utf-8"


def _xlsx(rows, board):
    book = Workbook()
    sheet = book.active
    sheet.title = str(board.year)
    bold = Font(bold=True)
    for values in rows:
        sheet.append(values)
    for cell in sheet[1]:
        cell.font = bold
    # The best value of each row in bold, as on the page.
    for row_number, row in enumerate(board.rows, start=2):
        for column, cell in enumerate(row.cells, start=3):
            if cell.is_best:
                sheet.cell(row=row_number, column=column).font = bold
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 50
    output = io.BytesIO()
    book.save(output)
    return (
        output.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


EXPORTS = {"csv": _csv, "xlsx": _xlsx}  # ?format= → writer of (rows, comparison)


@require_safe
def compare_export(request):
    """The comparison as a spreadsheet: ?format=csv (the default) or xlsx."""
    board, form = _compared(request)
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORTS:
        return HttpResponseBadRequest(_("Unknown format: choose csv or xlsx."))
    if form.errors:
        return HttpResponseBadRequest(" ".join(form.errors["year"]))
    content, content_type = EXPORTS[file_format](dashboard.comparison_table(board), board)
    response = HttpResponse(content, content_type=content_type)
    filename = f"{slugify(_('LKKS comparison'))}-{board.year}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _json_error(message, status, **details):
    return JsonResponse({"error": message, **details}, status=status)


@require_safe
def api_summary(request):
    """The dashboard's figures of one body as JSON: ?body=<slug>&year=<yyyy>."""
    bodies = access.readable_bodies(request.user).order_by("slug")
    slug = request.GET.get("body")
    if slug:
        body = bodies.filter(slug=slug).first()
        if body is None:
            return _json_error(_("No such body."), 404)
    else:
        # Without ?body=, a user of exactly one body gets that body.
        candidates = list(bodies[:2])
        if not candidates:
            return _json_error(_("Your account is not a member of any body."), 404)
        if len(candidates) > 1:
            return _json_error(
                _("You read several bodies: choose one with ?body=<slug>."),
                400,
                bodies=list(bodies.values_list("slug", flat=True)),
            )
        body = candidates[0]
    year, form = requested_year(request)
    if form.errors:
        return _json_error(" ".join(form.errors["year"]), 400, field="year")
    year = year or dashboard.default_year(dashboard.fiscal_years([body]))
    figures = dashboard.body_figures([body], year)[body.pk]
    response = JsonResponse(dashboard.summary(body, year, figures))
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def body_switch(request):
    """Choose the body to work in, among the user's own."""
    body = access.readable_bodies(request.user).filter(slug=request.POST.get("body")).first()
    if body is None:
        raise Http404
    request.session[access.SESSION_BODY_KEY] = body.slug
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = "/"
    return HttpResponseRedirect(target)


@require_safe
def download(request, kind, pk):
    """A stored file, to a user who may read its record (404 otherwise)."""
    try:
        model, field_name = FILES[kind]
    except KeyError:
        raise Http404 from None
    record = access.get_readable(model.objects, request.user, pk=pk)
    stored = getattr(record, field_name)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type=sniff_content_type(handle))
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


DUE_HEADERS = [
    _lazy("What"),
    _lazy("LKS or grant"),
    _lazy("Number, grade or funder"),
    _lazy("Due on"),
    _lazy("Days left"),
]


def _due(request):
    """What the current body has due: registrations and accreditations expiring within
    90 days, LPJ due within 30 days or overdue (the reminders' list)."""
    body = access.current_body(request)
    if body is None:
        raise Http404
    return body, reminders.due_items(body, timezone.localdate())


@require_safe
def due_list(request):
    body, items = _due(request)
    return render(
        request,
        "lkks/due_list.html",
        {
            "body": body,
            "items": items,
            "export_url": reverse("due-export"),
            "breadcrumbs": [(_("Due and overdue"), None)],
        },
    )


@require_safe
def due_export(request):
    body, items = _due(request)
    file_format = request.GET.get("format", "csv")
    if file_format not in EXPORTS:
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

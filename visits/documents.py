"""The report of a study visit (laporan hasil studi tiru) of one side, as an HTML page
and a PDF: letterhead, number from the side's letter register, basis, time and place,
participants, results, follow-ups and signatures."""

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST, require_safe

from lkks import access
from lkks.documents import Letterhead, document_response, pdf_url, time_zone_name
from lkks.models import Body, Letter, Officer
from lkks.signatures import SignatureBlock, signature_block
from visits.forms import ReportForm
from visits.models import Delegate, StudyVisit
from visits.services import report_letter, report_number_issue


@dataclass
class PhotoInReport:
    url: str  # the download URL the page shows, which the PDF maps to the stored file
    stored: object
    caption: str


@dataclass
class VisitReport:
    visit: StudyVisit
    body: Body  # the side whose report it is
    letterhead: Letterhead
    letter: Letter | None  # its number in the side's register, once issued
    date: datetime.date
    visiting_delegates: list
    host_delegates: list
    follow_ups: list
    photos: list
    signatures: SignatureBlock
    time_zone: str  # of the place visited: "WIB"

    @property
    def is_visitor(self):
        return self.body.pk == self.visit.visiting_body_id


def visit_report(visit: StudyVisit, body: Body) -> VisitReport:
    """One side's report: dated the day its number was issued (today for a draft)."""
    letter = report_letter(visit=visit, body=body)
    date = letter.date if letter else timezone.localdate()
    delegates = list(visit.delegates.all())
    return VisitReport(
        visit=visit,
        body=body,
        letterhead=Letterhead.of(body),
        letter=letter,
        date=date,
        visiting_delegates=[d for d in delegates if d.side == Delegate.Side.VISITING],
        host_delegates=[d for d in delegates if d.side == Delegate.Side.HOST],
        follow_ups=list(visit.follow_ups.filter(body=body)),
        photos=[
            PhotoInReport(
                url=reverse("file", args=["visitphoto-thumbnail", photo.pk]),
                stored=photo.thumbnail,
                caption=photo.caption,
            )
            for photo in visit.photos.all()
            if photo.thumbnail
        ],
        signatures=signature_block(
            body, on=date, positions=[Officer.Position.CHAIR], acknowledge=True
        ),
        # The hour is the host's, where the visit took place (an outside host's zone
        # is not recorded: the visitor's then).
        time_zone=time_zone_name(visit.host_body or visit.visiting_body),
    )


def _side(request, visit, slug):
    """The side whose report is asked for: one of the visit's bodies that the user
    reads; by default the body they work in, else the first they read."""
    readable = [
        body
        for body in visit.sides
        if request.user.is_superuser or access.user_body(request, body.slug) is not None
    ]
    if slug:
        chosen = next((body for body in readable if body.slug == slug), None)
        if chosen is None:
            raise Http404
        return chosen
    current = access.current_body(request)
    return next((body for body in readable if current and body.pk == current.pk), readable[0])


def _readable_visit(request, pk):
    return access.get_readable(
        StudyVisit.objects.select_related("visiting_body__regency", "host_body__regency"),
        request.user,
        pk=pk,
    )


@require_safe
def report(request, pk):
    visit = _readable_visit(request, pk)
    form = ReportForm(request.GET)
    form.is_valid()
    body = _side(request, visit, form.cleaned_data.get("side"))
    document = visit_report(visit, body)
    context = {
        "report": document,
        "visit": visit,
        "body": body,
        "letterhead": document.letterhead,
        "pdf_url": pdf_url(request, side=body.slug),
        "can_number": document.letter is None and access.can_edit_body(request.user, body),
    }
    return document_response(
        request,
        "visits/report.html",
        context,
        form=form,
        filename=f"laporan-studi-tiru-{body.slug}-{visit.date:%Y-%m-%d}",
        files={photo.url: photo.stored for photo in document.photos},
    )


@require_POST
def report_number(request, pk):
    """Give one side's report its number: staff of that side only."""
    visit = _readable_visit(request, pk)
    body = _side(request, visit, request.POST.get("side"))
    if not access.can_edit_body(request.user, body):
        raise PermissionDenied
    try:
        letter = report_number_issue(
            visit=visit, body=body, on=timezone.localdate(), by=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, gettext("Letter number %(number)s issued.") % {"number": letter.number}
        )
    return redirect(f"{reverse('visits:visit-report', args=[visit.pk])}?side={body.slug}")

"""The body's own pages: its profile (``/body/``), its board and decrees
(``/body/officers/``) and its letter register (``/letters/``).

A reader of several bodies picks one with ``?body=<slug>``; without it the page is
about the body chosen in the body switch. Staff of the body edit, its officials read,
anyone else gets a 404.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe

from lkks import access
from lkks.body_forms import (
    BodyProfileForm,
    DecreeForm,
    LetterFilter,
    LetterForm,
    LetterUpdateForm,
    OfficerForm,
)
from lkks.documents import place_name
from lkks.exports import Column, ListExportMixin, field_column
from lkks.generic import RecordDeleteView, RecordListView, RecordUpdateView, add_errors
from lkks.history import history_rows
from lkks.letters import issue_letter, letter_update
from lkks.models import Body, Decree, Letter, Officer
from lkks.officers import decree_record, officer_save
from lkks.signatures import (
    social_head_title,
    social_office_name,
    social_secretary_title,
)

PROFILE = _("Body profile")
OFFICERS = _("Officers")
LETTERS = _("Letter register")


def chosen_body(request):
    """The body a page is about: ``?body=<slug>`` among the user's bodies, else the
    current one; 404 for a body that is not theirs or a user of none."""
    slug = request.GET.get("body")
    body = access.user_body(request, slug) if slug else access.current_body(request)
    if body is None:
        raise Http404
    return body


def editable_body(request):
    """The chosen body, for its staff only (an official's is a 403)."""
    body = chosen_body(request)
    return access.get_editable(Body.objects.select_related("regency"), request.user, pk=body.pk)


def with_body(url, body):
    return f"{url}?body={body.slug}"


# The profile


@require_safe
def body_profile(request):
    body = chosen_body(request)
    today = timezone.localdate()
    board = (
        Officer.objects.for_user(request.user)
        .for_body(body)
        .current()
        .select_related("decree")
        .board_order()
    )
    return render(
        request,
        "lkks/body_profile.html",
        {
            "body": body,
            "can_edit": access.can_edit_body(request.user, body),
            "board": board,
            "today": today,
            "place": place_name(body),
            "social_office": social_office_name(body),
            "social_head_title": social_head_title(body),
            "social_secretary_title": social_secretary_title(body),
            "history": history_rows(body),
            "breadcrumbs": [(PROFILE, None)],
        },
    )


@require_http_methods(["GET", "POST"])
def body_edit(request):
    body = editable_body(request)
    form = BodyProfileForm(request.POST or None, request.FILES or None, instance=body)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            body = form.save(commit=False)
            body._history_user = request.user
            body.save()
        messages.success(request, gettext("Saved."))
        return redirect(with_body(reverse("body-profile"), body))
    return render(
        request,
        "lkks/record_form.html",
        {
            "form": form,
            "object": body,
            "cancel_url": with_body(reverse("body-profile"), body),
            "breadcrumbs": [
                (PROFILE, with_body(reverse("body-profile"), body)),
                (gettext("Edit"), None),
            ],
        },
    )


# Officers and decrees


class OnDateForm(forms.Form):
    on = forms.DateField(label=_("Board on"), required=False)


@require_safe
def officer_list(request):
    """The board on a date (today unless asked) and every decree with its officers."""
    body = chosen_body(request)
    form = OnDateForm(request.GET)
    on = (form.cleaned_data["on"] if form.is_valid() else None) or timezone.localdate()
    officers = Officer.objects.for_user(request.user).for_body(body).select_related("decree")
    decrees = list(Decree.objects.for_user(request.user).for_body(body).order_by("-term_start"))
    by_decree = {}
    for officer in officers.board_order():
        by_decree.setdefault(officer.decree_id, []).append(officer)
    for decree in decrees:
        decree.board = by_decree.get(decree.pk, [])
    return render(
        request,
        "lkks/officer_list.html",
        {
            "body": body,
            "on": on,
            "form": form,
            "board": list(officers.holding(on=on).board_order()),
            "decrees": decrees,
            "can_edit": access.can_edit_body(request.user, body),
            "breadcrumbs": [(PROFILE, with_body(reverse("body-profile"), body)), (OFFICERS, None)],
        },
    )


def _save_form(request, form, save):
    """Save through ``save`` (a service); its refusals go on the form. True when saved."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        with transaction.atomic():
            save(form)
    except ValidationError as error:
        add_errors(form, error)
        return False
    messages.success(request, gettext("Saved."))
    return True


def _form_page(request, form, *, body, title, record=None):
    officers_url = with_body(reverse("officer-list"), body)
    return render(
        request,
        "lkks/record_form.html",
        {
            "form": form,
            "object": record,
            "cancel_url": officers_url,
            "breadcrumbs": [
                (PROFILE, with_body(reverse("body-profile"), body)),
                (OFFICERS, officers_url),
                (title, None),
            ],
        },
    )


@require_http_methods(["GET", "POST"])
def decree_create(request):
    body = editable_body(request)
    form = DecreeForm(request.POST or None, request.FILES or None, user=request.user, body=body)

    def save(form):
        decree_record(
            decree=form.instance,
            replaces_board=form.cleaned_data["replaces_board"],
            by=request.user,
        )

    if _save_form(request, form, save):
        return redirect(f"{with_body(reverse('officer-create'), body)}&decree={form.instance.pk}")
    return _form_page(request, form, body=body, title=gettext("New decree"))


@require_http_methods(["GET", "POST"])
def officer_create(request):
    """A new officer of the body, under one of its decrees (the latest unless asked):
    where a document says a position is missing, its link leads here."""
    body = editable_body(request)
    decrees = Decree.objects.for_user(request.user).for_body(body)
    if not decrees.exists():
        messages.info(request, gettext("Record the decree (SK) that appoints the board first."))
        return redirect(with_body(reverse("decree-create"), body))
    decree = decrees.filter(pk=_int(request.GET.get("decree"))).first() or decrees.first()
    initial = {"decree": decree, "term_start": decree.term_start, "term_end": decree.term_end}
    if request.GET.get("position") in {str(value) for value in Officer.Position.values}:
        initial["position"] = int(request.GET["position"])
    form = OfficerForm(request.POST or None, initial=initial, user=request.user, body=body)
    if _save_form(request, form, lambda form: officer_save(officer=form.instance, by=request.user)):
        if "another" in request.POST:
            return redirect(f"{with_body(reverse('officer-create'), body)}&decree={decree.pk}")
        return redirect(with_body(reverse("officer-list"), body))
    return _form_page(request, form, body=body, title=gettext("New officer"))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class BodyRecordUpdateView(RecordUpdateView):
    """Edit a decree or an officer of a body the user is staff of."""

    def get_success_url(self):
        return with_body(reverse("officer-list"), access.body_of(self.object))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_success_url()
        return context

    def get_breadcrumbs(self):
        body = access.body_of(self.object)
        return [
            (PROFILE, with_body(reverse("body-profile"), body)),
            (OFFICERS, with_body(reverse("officer-list"), body)),
            (str(self.object), None),
        ]


class DecreeUpdateView(BodyRecordUpdateView):
    model = Decree
    form_class = DecreeForm
    select_related = ["body__regency"]

    def save(self, form):
        return decree_record(decree=form.instance, replaces_board=False, by=self.request.user)


class OfficerUpdateView(BodyRecordUpdateView):
    model = Officer
    form_class = OfficerForm
    select_related = ["decree__body__regency"]

    def save(self, form):
        return officer_save(officer=form.instance, by=self.request.user)


class OfficerDeleteView(RecordDeleteView):
    """Remove an officer recorded by mistake (one who left is given a term end
    instead, so that the documents of their time keep their signature)."""

    model = Officer
    select_related = ["decree__body"]

    def get_success_url(self):
        return with_body(reverse("officer-list"), access.body_of(self.object))


# The letter register


class LetterListView(RecordListView):
    model = Letter
    filterset_class = LetterFilter
    select_related = ["issued_by"]

    def get_breadcrumbs(self):
        return [(LETTERS, None)]


class LetterExportView(ListExportMixin, LetterListView):
    export_name = "letters"
    export_columns = [
        field_column(Letter, "number"),
        field_column(Letter, "date"),
        field_column(Letter, "kind"),
        field_column(Letter, "subject"),
        field_column(Letter, "recipient"),
        Column(
            _("issued by"),
            lambda letter: (
                (letter.issued_by.get_full_name() or letter.issued_by.username)
                if letter.issued_by
                else ""
            ),
        ),
    ]


@require_http_methods(["GET", "POST"])
def letter_create(request):
    """Take the next number of the register for a letter written outside the app."""
    body = access.body_for_new_record(request)
    form = LetterForm(request.POST or None, user=request.user, body=body)
    if request.method == "POST" and form.is_valid():
        try:
            letter = issue_letter(
                body=body,
                kind=form.cleaned_data["kind"],
                on=form.cleaned_data["date"],
                subject=form.cleaned_data["subject"],
                recipient=form.cleaned_data["recipient"],
                by=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request, gettext("Letter number %(number)s issued.") % {"number": letter.number}
            )
            return redirect("letter-list")
    return render(
        request,
        "lkks/record_form.html",
        {
            "form": form,
            "cancel_url": reverse("letter-list"),
            "breadcrumbs": [(LETTERS, reverse("letter-list")), (gettext("New letter"), None)],
        },
    )


class LetterUpdateView(RecordUpdateView):
    model = Letter
    form_class = LetterUpdateForm

    def save(self, form):
        return letter_update(letter=form.instance, by=self.request.user)

    def get_success_url(self):
        return reverse("letter-list")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = reverse("letter-list")
        return context

    def get_breadcrumbs(self):
        return [(LETTERS, reverse("letter-list")), (self.object.number, None)]


urlpatterns = [
    path("body/", body_profile, name="body-profile"),
    path("body/edit/", body_edit, name="body-edit"),
    path("body/officers/", officer_list, name="officer-list"),
    path("body/officers/new/", officer_create, name="officer-create"),
    path("body/officers/<int:pk>/edit/", OfficerUpdateView.as_view(), name="officer-update"),
    path("body/officers/<int:pk>/delete/", OfficerDeleteView.as_view(), name="officer-delete"),
    path("body/decrees/new/", decree_create, name="decree-create"),
    path("body/decrees/<int:pk>/edit/", DecreeUpdateView.as_view(), name="decree-update"),
    path("letters/", LetterListView.as_view(), name="letter-list"),
    path("letters/export/", LetterExportView.as_view(), name="letter-export"),
    path("letters/new/", letter_create, name="letter-create"),
    path("letters/<int:pk>/edit/", LetterUpdateView.as_view(), name="letter-update"),
]

import datetime
import uuid
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from lkks import access
from lkks.exports import FORMATS, ListExportMixin, export_response
from lkks.generic import (
    ChildCreateView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
    breadcrumbs,
    record_views,
)
from members import imports
from members.filters import OrganisationFilter
from members.forms import (
    AccreditationForm,
    LegalDocumentForm,
    MentoringForm,
    OrganisationForm,
    RegistrationForm,
)
from members.imports.forms import ColumnMappingForm, WordsForm
from members.imports.tasks import done_message, start_import
from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Registration,
    RegistrationStatus,
)
from members.review_views import lks_page_sections
from members.services import (
    accreditation_save,
    legal_document_save,
    mentoring_save,
    organisation_save,
    registration_save,
)

LKS = (_("LKS"), reverse_lazy("members:organisation-list"))
# The columns sorted by a click on their heading (the filter form sorts by these and
# by the date of the last change).
SORTABLE = ["name", "district", "registration_status", "accreditation_grade"]


def show_status(organisation):
    """The derived registration status as the page shows it: its label in the user's
    language, for the annotation ``with_status`` adds."""
    organisation.registration_status_label = RegistrationStatus(
        organisation.registration_status
    ).label
    return organisation


# The LKS


class OrganisationList(RecordListView):
    model = Organisation
    filterset_class = OrganisationFilter
    select_related = ("district",)

    def get_queryset(self):
        return super().get_queryset().with_status().order_by("name", "pk")

    def get_breadcrumbs(self):
        return [LKS]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["organisations"] = [show_status(lks) for lks in context["object_list"]]
        context["sort_links"] = self.sort_links()
        return context

    def sort_links(self):
        """For each sortable column: the query string that sorts by it (the other way
        round when it already is) and the direction it is sorted now, if any."""
        current = self.request.GET.get("ordering", "")
        links = {}
        for name in SORTABLE:
            query = self.request.GET.copy()
            query.pop("page", None)
            query["ordering"] = f"-{name}" if current == name else name
            direction = {name: "asc", f"-{name}": "desc"}.get(current)
            links[name] = {"query": query.urlencode(), "direction": direction}
        return links


class OrganisationExport(ListExportMixin, OrganisationList):
    """The LKS list as the register spreadsheet: the columns of the import, so that an
    export imports back unchanged."""

    export_name = "lks"

    def export_queryset(self, queryset):
        return imports.export_queryset(queryset)

    def export_headers(self):
        return imports.HEADERS

    def export_row(self, organisation):
        return imports.export_row(organisation)


class OrganisationDetail(RecordDetailView):
    model = Organisation
    select_related = ("district", "village")
    prefetch_related = (
        "target_groups",
        "registrations",
        "accreditations",
        "documents",
        "mentorings",
    )

    def get_queryset(self):
        return super().get_queryset().with_status()

    def get_breadcrumbs(self):
        return [LKS, self.object]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        lks = show_status(self.object)
        context["registrations"] = self._with_validity(lks.registrations.all(), today)
        context["accreditations"] = self._with_validity(lks.accreditations.all(), today)
        context["documents"] = [
            self._mark(document, not document.valid_until or document.valid_until >= today)
            for document in lks.documents.all()
        ]
        context["activities"] = lks.activities.select_related("program").in_program_order()
        context.update(lks_page_sections(lks, self.request.user))
        return context

    def _with_validity(self, records, today):
        return [self._mark(record, record.is_valid_on(today)) for record in records]

    @staticmethod
    def _mark(record, valid):
        record.valid_today = valid
        return record


class OrganisationSaving:
    model = Organisation
    form_class = OrganisationForm
    save_service = organisation_save
    save_fields = ("target_groups",)


class OrganisationCreate(OrganisationSaving, RecordCreateView):
    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The body is known before the form is checked, so that the model's rules about
        # the body's regency apply to the form too.
        kwargs["instance"] = Organisation(body=self.body)
        return kwargs

    def get_breadcrumbs(self):
        return [LKS, _("New LKS")]


class OrganisationUpdate(OrganisationSaving, RecordUpdateView):
    def get_breadcrumbs(self):
        return [LKS, self.object, _("Edit")]


class OrganisationDelete(RecordDeleteView):
    model = Organisation
    success_url = reverse_lazy("members:organisation-list")

    def blockers(self):
        # Taking part in an activity is a record of the program's, not the LKS's own:
        # the many-to-many rows would otherwise go silently with the LKS.
        return [*self.object.activities.all(), *super().blockers()]

    def get_breadcrumbs(self):
        return [LKS, self.object, _("Delete")]


# Records of one LKS, added and changed from its page


class OrganisationChildMixin:
    """Pages of a record under an LKS: the LKS in the breadcrumbs, back to its page."""

    select_related = ("organisation",)
    crumb = None

    def organisation(self):
        return self.parent if hasattr(self, "parent") else self.object.organisation

    def get_breadcrumbs(self):
        return [LKS, self.organisation(), self.crumb]

    def get_success_url(self):
        return self.organisation().get_absolute_url()


class ChildCreate(OrganisationChildMixin, ChildCreateView):
    parent_model = Organisation
    parent_field = "organisation"


class ChildUpdate(OrganisationChildMixin, RecordUpdateView):
    crumb = _("Edit")


class ChildDelete(OrganisationChildMixin, RecordDeleteView):
    crumb = _("Delete")


# The pages of a record of an LKS: each kind of record below is made of these.
LKS_VIEWS = (ChildCreate, ChildUpdate, ChildDelete)

RegistrationCreate, RegistrationUpdate, RegistrationDelete = record_views(
    LKS_VIEWS, Registration, RegistrationForm, registration_save, crumb=_("New registration")
)
AccreditationCreate, AccreditationUpdate, AccreditationDelete = record_views(
    LKS_VIEWS, Accreditation, AccreditationForm, accreditation_save, crumb=_("New accreditation")
)
LegalDocumentCreate, LegalDocumentUpdate, LegalDocumentDelete = record_views(
    LKS_VIEWS, LegalDocument, LegalDocumentForm, legal_document_save, crumb=_("New legal document")
)
MentoringCreate, MentoringUpdate, MentoringDelete = record_views(
    LKS_VIEWS, Mentoring, MentoringForm, mentoring_save, crumb=_("New mentoring visit")
)


# Import of the register from a spreadsheet: upload, preview, confirm.
# The uploaded file waits on the server (never in the browser) between the preview and
# the confirmation, named by a random token kept in the session; the confirmation reads
# and checks it again before anything is written. A file of more than
# IMPORT_ROWS_IN_REQUEST rows is not previewed: its page says how it will be read, and
# the confirmation starts a job that checks and imports it (members/imports/tasks.py).

IMPORT_SESSION_KEY = "lkks_import"
IMPORT_FOLDER = "imports"
IMPORT_KEPT_FOR = datetime.timedelta(days=1)
# A preview of a very long file shows its first rows; the counts cover all of them.
PREVIEW_ROWS = 2000


def import_crumbs():
    return breadcrumbs(LKS, _("Import"))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An Excel workbook (.xlsx) or a CSV file with the template's columns."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(limit)s is allowed."),
                code="file_too_large",
                params={
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
                },
            )
        return upload


def _forget_import(request):
    pending = request.session.pop(IMPORT_SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["path"])


def _remove_stale_imports():
    """Uploads never confirmed are removed after a day."""
    try:
        _folders, names = default_storage.listdir(IMPORT_FOLDER)
    except FileNotFoundError:
        return
    oldest = timezone.now() - IMPORT_KEPT_FOR
    for name in names:
        path = f"{IMPORT_FOLDER}/{name}"
        if default_storage.get_modified_time(path) < oldest:
            default_storage.delete(path)


def _keep_import(request, body, content, filename, rows):
    _forget_import(request)
    _remove_stale_imports()
    token = uuid.uuid4().hex
    path = default_storage.save(f"{IMPORT_FOLDER}/{token}.upload", ContentFile(content))
    request.session[IMPORT_SESSION_KEY] = {
        "token": token,
        "path": path,
        "body": body.pk,
        "filename": filename,
        "rows": rows,
    }
    return token


def _imported_by_job(pending):
    """Whether the kept upload is too long to check in a request."""
    return pending.get("rows", 0) > settings.IMPORT_ROWS_IN_REQUEST


def _pending_import(request, body, token=None):
    """The upload this session keeps for the body (and the token, when given), with
    its content; (None, None) after a message saying why there is none."""
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if pending.get("body") != body.pk or token not in (None, pending.get("token")):
        messages.error(
            request,
            gettext("This import is no longer waiting to be confirmed. Upload the file again."),
        )
        return None, None
    try:
        with default_storage.open(pending["path"], "rb") as stored:
            return pending, stored.read()
    except FileNotFoundError:
        _forget_import(request)
        messages.error(request, gettext("The uploaded file is no longer kept. Upload it again."))
        return None, None


def _render_preview(request, plan, token=None, words_form=None):
    errors = plan.errors_by_row()
    if words_form is None and plan.unknown_words:
        words_form = WordsForm(words=plan.unknown_words)
    return render(
        request,
        "members/import_preview.html",
        {
            "plan": plan,
            "counts": plan.counts,
            "record_counts": plan.record_counts(),
            "rows": [(row, errors.get(row.row, [])) for row in plan.rows[:PREVIEW_ROWS]],
            "rows_left_out": max(len(plan.rows) - PREVIEW_ROWS, 0),
            "token": token,
            "upload": request.session.get(IMPORT_SESSION_KEY, {}).get("token"),
            "words_form": words_form,
            "breadcrumbs": import_crumbs(),
        },
    )


def _render_mapping(request, body, layout, rows, form=None):
    pending = request.session[IMPORT_SESSION_KEY]
    imports.add_samples(layout, rows)
    if form is None:
        name = layout.mapping.name if layout.mapping else Path(pending["filename"]).stem
        initial = {"name": imports.free_name(body=body, name=name, shape=layout.shape)}
        form = ColumnMappingForm(body=body, layout=layout, initial=initial)
    return render(
        request,
        "members/import_mapping.html",
        {
            "form": form,
            "layout": layout,
            "upload": pending["token"],
            "breadcrumbs": import_crumbs(),
        },
    )


def _render_background(request, body, content):
    """The page of a file too long to preview: how it will be read, and the button that
    starts the job checking and importing it."""
    pending = request.session[IMPORT_SESSION_KEY]
    layout, _rows = imports.read_layout(body=body, content=content)
    return render(
        request,
        "members/import_background.html",
        {
            "layout": layout,
            "rows": pending["rows"],
            "filename": pending["filename"],
            "token": pending["token"],
            "upload": pending["token"],
            "breadcrumbs": import_crumbs(),
        },
    )


def _preview(request, body, content, words=None):
    """The preview of the kept upload; with ``words`` (the preview's form of unknown
    words, posted), what the staff said the words mean is remembered first."""
    if _imported_by_job(request.session[IMPORT_SESSION_KEY]):
        return _render_background(request, body, content)
    try:
        plan = imports.import_preview(body=body, content=content)
        if words is not None:
            words_form = WordsForm(words, words=plan.unknown_words)
            if not words_form.is_valid():
                return _render_preview(request, plan, words_form=words_form)
            pending = request.session[IMPORT_SESSION_KEY]
            name = plan.layout.mapping.name if plan.layout.mapping else pending["filename"]
            imports.remember_mapping(
                body=body,
                layout=plan.layout,
                name=imports.free_name(body=body, name=Path(name).stem, shape=plan.layout.shape),
                words=words_form.meanings(),
            )
            plan = imports.import_preview(body=body, content=content)
    except imports.ImportFileError as error:
        _forget_import(request)
        messages.error(request, str(error))
        return redirect("members:organisation-import")
    token = request.session[IMPORT_SESSION_KEY]["token"]
    return _render_preview(request, plan, None if plan.errors else token)


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_import(request):
    """Upload a spreadsheet of LKS, say which field each of its columns fills (when its
    names do not say it, and no mapping of the body does), and see what importing it
    would do; confirm to import it. Staff of the current body only."""
    body = access.body_for_new_record(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request, body)
    if request.method == "POST" and "upload" in request.POST:
        return _import_step(request, body)
    if request.GET.get("step") == "columns":
        _pending, content = _pending_import(request, body)
        if content is None:
            return redirect("members:organisation-import")
        return _render_mapping(request, body, *imports.read_layout(body=body, content=content))
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            layout, rows = imports.read_layout(body=body, content=content)
            count = imports.count_rows(content, layout)
            plan = (
                None
                if layout.needs_mapping or count > settings.IMPORT_ROWS_IN_REQUEST
                else imports.import_preview(body=body, content=content)
            )
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = _keep_import(request, body, content, upload.name, count)
            if layout.needs_mapping:
                return _render_mapping(request, body, layout, rows)
            if plan is None:
                return _render_background(request, body, content)
            return _render_preview(request, plan, None if plan.errors else token)
    return render(
        request,
        "members/import.html",
        {
            "form": form,
            "body": body,
            "columns": imports.COLUMNS,
            "breadcrumbs": import_crumbs(),
        },
    )


def _import_step(request, body):
    """The column mapping's form, or the preview's form of unknown words: remember what
    the staff said for files of this shape, then show the preview again."""
    _pending, content = _pending_import(request, body, request.POST["upload"])
    if content is None:
        return redirect("members:organisation-import")
    if request.POST.get("step") != "columns":
        return _preview(request, body, content, words=request.POST)
    layout, rows = imports.read_layout(body=body, content=content)
    form = ColumnMappingForm(request.POST, body=body, layout=layout)
    if not form.is_valid():
        return _render_mapping(request, body, layout, rows, form)
    imports.remember_mapping(
        body=body, layout=layout, name=form.cleaned_data["name"], fields=form.chosen_fields()
    )
    return _preview(request, body, content)


def _confirm_import(request, body):
    pending, content = _pending_import(request, body, request.POST["token"])
    if content is None:
        return redirect("members:organisation-import")
    if _imported_by_job(pending):
        job = start_import(
            request,
            body=body,
            content=content,
            filename=pending["filename"],
            return_url=reverse("members:organisation-list"),
        )
        _forget_import(request)
        return redirect(job)
    try:
        plan = imports.import_commit(body=body, content=content, user=request.user)
    except (imports.ImportFileError, imports.ImportConflictError) as error:
        _forget_import(request)
        messages.error(request, str(error))
        return redirect("members:organisation-import")
    _forget_import(request)
    if not plan.written:
        # The register changed since the preview, and some rows no longer fit.
        return _render_preview(request, plan)
    messages.success(request, done_message(plan))
    return redirect("members:organisation-list")


def import_template(request):
    """The empty register spreadsheet, with one example row, as XLSX or CSV. Staff
    only, like the import (asked before the method, so that officials get 403)."""
    body = access.body_for_new_record(request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    file_format = request.GET.get("format", "xlsx")
    if file_format not in FORMATS:
        raise BadRequest("unknown format")
    return export_response(
        file_format=file_format,
        headers=imports.HEADERS,
        rows=imports.template_rows(body=body),
        filename="template-lks",
        title="LKS",
    )

import datetime
import uuid

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
)
from members import imports, services
from members.filters import OrganisationFilter
from members.forms import (
    AccreditationForm,
    LegalDocumentForm,
    MentoringForm,
    OrganisationForm,
    RegistrationForm,
)
from members.models import (
    Accreditation,
    LegalDocument,
    Mentoring,
    Organisation,
    Registration,
    RegistrationStatus,
)

LIST_LABEL = _("LKS")
# The columns sorted by a click on their heading (the filter form sorts by these and
# by the date of the last change).
SORTABLE = ["name", "district", "registration_status", "accreditation_grade"]


def list_crumb():
    return (LIST_LABEL, reverse("members:organisation-list"))


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
        return [(LIST_LABEL, None)]

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
        "activities__program",
    )

    def get_queryset(self):
        return super().get_queryset().with_status()

    def get_breadcrumbs(self):
        return [list_crumb(), (self.object.name, None)]

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
        return context

    def _with_validity(self, records, today):
        return [self._mark(record, record.is_valid_on(today)) for record in records]

    @staticmethod
    def _mark(record, valid):
        record.valid_today = valid
        return record


class OrganisationCreate(RecordCreateView):
    model = Organisation
    form_class = OrganisationForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # The body is known before the form is checked, so that the model's rules about
        # the body's regency apply to the form too.
        kwargs["instance"] = Organisation(body=self.body)
        return kwargs

    def get_breadcrumbs(self):
        return [list_crumb(), (_("New LKS"), None)]

    def save(self, form):
        return services.organisation_save(
            organisation=form.instance, target_groups=form.cleaned_data["target_groups"]
        )


class OrganisationUpdate(RecordUpdateView):
    model = Organisation
    form_class = OrganisationForm

    def get_breadcrumbs(self):
        return [
            list_crumb(),
            (self.object.name, self.object.get_absolute_url()),
            (_("Edit"), None),
        ]

    def save(self, form):
        return services.organisation_save(
            organisation=form.instance, target_groups=form.cleaned_data["target_groups"]
        )


class OrganisationDelete(RecordDeleteView):
    model = Organisation
    success_url = reverse_lazy("members:organisation-list")

    def blockers(self):
        # Taking part in an activity is a record of the program's, not the LKS's own:
        # the many-to-many rows would otherwise go silently with the LKS.
        return [*self.object.activities.all(), *super().blockers()]

    def get_breadcrumbs(self):
        return [
            list_crumb(),
            (self.object.name, self.object.get_absolute_url()),
            (_("Delete"), None),
        ]


# Records of one LKS, added and changed from its page


class OrganisationChildMixin:
    """Pages of a record under an LKS: the LKS in the breadcrumbs, back to its page."""

    select_related = ("organisation",)
    crumb = None

    def organisation(self):
        return self.parent if hasattr(self, "parent") else self.object.organisation

    def get_breadcrumbs(self):
        organisation = self.organisation()
        return [
            list_crumb(),
            (organisation.name, organisation.get_absolute_url()),
            (self.crumb, None),
        ]

    def get_success_url(self):
        return self.organisation().get_absolute_url()


class ChildCreate(OrganisationChildMixin, ChildCreateView):
    parent_model = Organisation
    parent_field = "organisation"


class ChildUpdate(OrganisationChildMixin, RecordUpdateView):
    crumb = _("Edit")


class ChildDelete(OrganisationChildMixin, RecordDeleteView):
    template_name = RecordDeleteView.template_name
    crumb = _("Delete")


class RegistrationSaving:
    model = Registration
    form_class = RegistrationForm

    def save(self, form):
        return services.registration_save(registration=form.instance)


class RegistrationCreate(RegistrationSaving, ChildCreate):
    crumb = _("New registration")


class RegistrationUpdate(RegistrationSaving, ChildUpdate):
    pass


class RegistrationDelete(ChildDelete):
    model = Registration


class AccreditationSaving:
    model = Accreditation
    form_class = AccreditationForm

    def save(self, form):
        return services.accreditation_save(accreditation=form.instance)


class AccreditationCreate(AccreditationSaving, ChildCreate):
    crumb = _("New accreditation")


class AccreditationUpdate(AccreditationSaving, ChildUpdate):
    pass


class AccreditationDelete(ChildDelete):
    model = Accreditation


class LegalDocumentSaving:
    model = LegalDocument
    form_class = LegalDocumentForm

    def save(self, form):
        return services.legal_document_save(document=form.instance)


class LegalDocumentCreate(LegalDocumentSaving, ChildCreate):
    crumb = _("New legal document")


class LegalDocumentUpdate(LegalDocumentSaving, ChildUpdate):
    pass


class LegalDocumentDelete(ChildDelete):
    model = LegalDocument


class MentoringSaving:
    model = Mentoring
    form_class = MentoringForm

    def save(self, form):
        return services.mentoring_save(mentoring=form.instance)


class MentoringCreate(MentoringSaving, ChildCreate):
    crumb = _("New mentoring visit")


class MentoringUpdate(MentoringSaving, ChildUpdate):
    pass


class MentoringDelete(ChildDelete):
    model = Mentoring


# Import of the register from a spreadsheet: upload, preview, confirm.
# The uploaded file waits on the server (never in the browser) between the preview and
# the confirmation, named by a random token kept in the session; the confirmation reads
# and checks it again before anything is written.

IMPORT_SESSION_KEY = "lkks_import"
IMPORT_FOLDER = "imports"
IMPORT_KEPT_FOR = datetime.timedelta(days=1)
# A preview of a very long file shows its first rows; the counts cover all of them.
PREVIEW_ROWS = 2000


def import_crumbs():
    return [list_crumb(), (_("Import"), None)]


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


def _keep_import(request, body, content):
    _forget_import(request)
    _remove_stale_imports()
    token = uuid.uuid4().hex
    path = default_storage.save(f"{IMPORT_FOLDER}/{token}.upload", ContentFile(content))
    request.session[IMPORT_SESSION_KEY] = {"token": token, "path": path, "body": body.pk}
    return token


def _render_preview(request, plan, token=None):
    errors = plan.errors_by_row()
    return render(
        request,
        "members/import_preview.html",
        {
            "plan": plan,
            "counts": plan.counts,
            "rows": [(row, errors.get(row.row, [])) for row in plan.rows[:PREVIEW_ROWS]],
            "rows_left_out": max(len(plan.rows) - PREVIEW_ROWS, 0),
            "token": token,
            "breadcrumbs": import_crumbs(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def organisation_import(request):
    """Upload a spreadsheet of LKS and see what importing it would do; confirm to
    import it. Staff of the current body only."""
    body = access.body_for_new_record(request)
    if request.method == "POST" and "token" in request.POST:
        return _confirm_import(request, body)
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if form.is_valid():
        content = form.cleaned_data["file"].read()
        try:
            plan = imports.import_preview(body=body, content=content)
        except imports.ImportFileError as error:
            form.add_error("file", str(error))
        else:
            token = None if plan.errors else _keep_import(request, body, content)
            return _render_preview(request, plan, token)
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


def _confirm_import(request, body):
    pending = request.session.get(IMPORT_SESSION_KEY) or {}
    if pending.get("token") != request.POST["token"] or pending.get("body") != body.pk:
        messages.error(
            request,
            gettext("This import is no longer waiting to be confirmed. Upload the file again."),
        )
        return redirect("members:organisation-import")
    try:
        with default_storage.open(pending["path"], "rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        _forget_import(request)
        messages.error(request, gettext("The uploaded file is no longer kept. Upload it again."))
        return redirect("members:organisation-import")
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
    counts = plan.counts
    messages.success(
        request,
        gettext(
            "The file was imported: %(created)s new LKS, %(updated)s updated, "
            "%(unchanged)s unchanged."
        )
        % {
            "created": counts[imports.CREATE],
            "updated": counts[imports.UPDATE],
            "unchanged": counts[imports.UNCHANGED],
        },
    )
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

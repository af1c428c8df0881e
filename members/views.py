from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lkks.generic import (
    ChildCreateView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
)
from members import services
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
FORM_TEMPLATE = "members/record_form.html"
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
    template_name = FORM_TEMPLATE

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
    template_name = FORM_TEMPLATE

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
    template_name = FORM_TEMPLATE
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

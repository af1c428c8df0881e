from django.urls import reverse_lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lkks.exports import Column, ListExportMixin, field_column
from lkks.generic import (
    ChildCreateView,
    RecordCreateView,
    RecordDeleteView,
    RecordDetailView,
    RecordListView,
    RecordUpdateView,
)
from programs.filters import ActivityFilter, ProgramFilter
from programs.forms import ActivityForm, ActivityPhotoForm, ProgramForm
from programs.models import Activity, ActivityPhoto, Program
from programs.services import activity_save, photo_add, program_save

PROGRAMS = (_("Programs"), reverse_lazy("programs:program-list"))
ACTIVITIES = _("Activities")


def program_crumbs(program):
    """The breadcrumbs down to a program's page (its code and name, without the year)."""
    return [PROGRAMS, (f"{program.code} {program.name}", program.get_absolute_url())]


def activity_crumbs(activity):
    return [*program_crumbs(activity.program), activity]


# Programs


class ProgramListView(RecordListView):
    model = Program
    filterset_class = ProgramFilter
    sum_fields = ("budget_ceiling", "spent")

    def get_queryset(self):
        return super().get_queryset().with_progress()

    def get_breadcrumbs(self):
        return [PROGRAMS]


def absorption_column(header):
    return Column(
        format_lazy("{} (%)", header),
        lambda record: None if record.absorption_pct is None else round(record.absorption_pct, 1),
    )


class ProgramExportView(ListExportMixin, ProgramListView):
    export_name = "programs"
    export_columns = [
        field_column(Program, "fiscal_year"),
        field_column(Program, "code"),
        field_column(Program, "name"),
        field_column(Program, "category"),
        field_column(Program, "budget_ceiling"),
        Column(_("Activities"), lambda program: program.activity_count),
        Column(_("Activities done"), lambda program: program.done_count),
        Column(_("Planned"), lambda program: program.planned),
        Column(_("Spent"), lambda program: program.spent),
        absorption_column(_("Absorption")),
    ]


class ProgramDetailView(RecordDetailView):
    model = Program

    def get_queryset(self):
        return super().get_queryset().with_progress()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activities = list(self.object.activities.with_money().select_related("district"))
        context["activities"] = activities
        context["allocated"] = sum(activity.allocated for activity in activities)
        context["remaining"] = self.object.budget_ceiling - self.object.spent
        return context

    def get_breadcrumbs(self):
        return program_crumbs(self.object)


class ProgramSaving:
    model = Program
    form_class = ProgramForm
    save_service = program_save


class ProgramCreateView(ProgramSaving, RecordCreateView):
    def get_breadcrumbs(self):
        return [PROGRAMS, _("New program")]


class ProgramUpdateView(ProgramSaving, RecordUpdateView):
    def get_breadcrumbs(self):
        return [*program_crumbs(self.object), _("Edit")]


class ProgramDeleteView(RecordDeleteView):
    model = Program
    success_url = reverse_lazy("programs:program-list")

    def get_breadcrumbs(self):
        return [*program_crumbs(self.object), _("Delete")]


# Activities


class ActivityListView(RecordListView):
    model = Activity
    filterset_class = ActivityFilter
    select_related = ("program", "district")

    def get_queryset(self):
        return super().get_queryset().with_money().in_program_order()

    def get_breadcrumbs(self):
        return [PROGRAMS, ACTIVITIES]


class ActivityExportView(ListExportMixin, ActivityListView):
    export_name = "activities"
    export_columns = [
        field_column(Activity, "program__fiscal_year"),
        field_column(Activity, "program__code", _("Program code")),
        field_column(Activity, "program__name", _("Program")),
        field_column(Activity, "name"),
        field_column(Activity, "kind"),
        field_column(Activity, "status"),
        field_column(Activity, "planned_start"),
        field_column(Activity, "planned_end"),
        field_column(Activity, "actual_start"),
        field_column(Activity, "actual_end"),
        field_column(Activity, "district"),
        field_column(Activity, "budget"),
        Column(_("Allocated"), lambda activity: activity.allocated),
        Column(_("Spent"), lambda activity: activity.spent),
        absorption_column(_("Absorption")),
        field_column(Activity, "target_participants"),
        field_column(Activity, "actual_participants"),
    ]


class ActivityDetailView(RecordDetailView):
    model = Activity
    select_related = ("program", "district")
    prefetch_related = ("participants", "photos", "expenditures__grant")

    def get_queryset(self):
        return super().get_queryset().with_money()

    def get_breadcrumbs(self):
        return activity_crumbs(self.object)


class ActivitySaving:
    model = Activity
    form_class = ActivityForm
    save_service = activity_save
    save_fields = ("participants",)


class ActivityCreateView(ActivitySaving, ChildCreateView):
    parent_model = Program
    parent_field = "program"

    def get_breadcrumbs(self):
        return [*program_crumbs(self.parent), _("New activity")]


class ActivityUpdateView(ActivitySaving, RecordUpdateView):
    select_related = ("program",)

    def get_breadcrumbs(self):
        return [*activity_crumbs(self.object), _("Edit")]


class ActivityDeleteView(RecordDeleteView):
    model = Activity
    select_related = ("program",)

    def get_success_url(self):
        return self.object.program.get_absolute_url()

    def get_breadcrumbs(self):
        return [*activity_crumbs(self.object), _("Delete")]


# Photos


class PhotoCreateView(ChildCreateView):
    model = ActivityPhoto
    form_class = ActivityPhotoForm
    parent_model = Activity
    parent_field = "activity"

    def save(self, form):
        # The service takes the upload apart from the record: it stores it turned upright.
        return photo_add(photo=form.instance, upload=form.cleaned_data["image"])

    def get_breadcrumbs(self):
        return [*activity_crumbs(self.parent), _("New photo")]


class PhotoDeleteView(RecordDeleteView):
    model = ActivityPhoto
    select_related = ("activity__program",)
    template_name = "programs/activityphoto_confirm_delete.html"

    def get_success_url(self):
        return self.object.activity.get_absolute_url()

    def get_breadcrumbs(self):
        return [*activity_crumbs(self.object.activity), _("Delete photo")]

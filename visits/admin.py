from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto
from visits.services import follow_up_save, visit_save


class DelegateInline(admin.TabularInline):
    model = Delegate
    extra = 0
    fields = ["side", "name", "position", "institution", "note"]


class FollowUpInline(admin.TabularInline):
    """Follow-ups belong to one side, which only the staff pages know (the side the
    user works for): here they are read; they are changed on their own admin page."""

    model = FollowUp
    extra = 0
    fields = ["body", "action", "responsible", "due_on", "status"]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(StudyVisit)
class StudyVisitAdmin(SimpleHistoryAdmin):
    list_display = ["date", "visiting_body", "host_label", "place"]
    list_filter = ["visiting_body", "host_body"]
    list_select_related = ["visiting_body", "host_body"]
    search_fields = ["place", "purpose", "host_name", "visiting_body__name", "host_body__name"]
    autocomplete_fields = ["visiting_body", "host_body"]
    inlines = [DelegateInline, FollowUpInline]

    @admin.display(description=_("host"), ordering="host_body__name")
    def host_label(self, visit):
        return visit.host

    def save_model(self, request, obj, form, change):
        visit_save(visit=obj, by=request.user)


@admin.register(FollowUp)
class FollowUpAdmin(SimpleHistoryAdmin):
    list_display = ["action", "body", "visit", "responsible", "due_on", "status"]
    list_filter = ["status", "body"]
    list_select_related = ["body", "visit__visiting_body", "visit__host_body"]
    search_fields = ["action", "responsible", "outcome"]
    readonly_fields = ["visit", "body"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        follow_up_save(follow_up=obj, by=request.user)


@admin.register(Delegate)
class DelegateAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "institution", "side", "visit"]
    list_filter = ["side"]
    list_select_related = ["visit__visiting_body", "visit__host_body"]
    search_fields = ["name", "position", "institution"]
    autocomplete_fields = ["visit"]


@admin.register(VisitPhoto)
class VisitPhotoAdmin(SimpleHistoryAdmin):
    """Photos are added on the staff pages, which turn them upright and make their
    thumbnails; here they are read, captioned or removed."""

    list_display = ["__str__", "visit", "created_at"]
    list_select_related = ["visit__visiting_body", "visit__host_body"]
    search_fields = ["caption"]
    readonly_fields = ["visit", "image"]
    fields = ["visit", "image", "caption"]

    def has_add_permission(self, request):
        return False

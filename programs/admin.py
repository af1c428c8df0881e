from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lkks.admin import year_column
from lkks.money import rupiah
from programs.models import Activity, ActivityPhoto, Program
from programs.services import activity_save, program_save


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["name", "kind", "planned_start", "planned_end", "budget", "status"]
    show_change_link = True


class ActivityPhotoInline(admin.TabularInline):
    model = ActivityPhoto
    extra = 0
    fields = ["image", "caption", "taken_on"]


@admin.register(Program)
class ProgramAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "body",
        year_column("fiscal_year", _("fiscal year")),
        "category",
        "budget_ceiling_display",
    ]
    list_filter = ["fiscal_year", "category", "body"]
    list_select_related = ["body"]
    search_fields = ["code", "name", "description"]
    autocomplete_fields = ["body"]
    date_hierarchy = "created_at"
    inlines = [ActivityInline]

    @admin.display(description=Program._meta.get_field("budget_ceiling").verbose_name)
    def budget_ceiling_display(self, obj):
        return rupiah(obj.budget_ceiling)

    def save_model(self, request, obj, form, change):
        program_save(program=obj)


@admin.register(Activity)
class ActivityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "program", "kind", "status", "planned_start", "budget_display"]
    list_filter = ["status", "kind", "program__fiscal_year", "program__body"]
    list_select_related = ["program__body"]
    search_fields = ["name", "outcome", "program__name", "program__code"]
    autocomplete_fields = ["program", "district", "participants"]
    date_hierarchy = "planned_start"
    # Large tables (a national deployment has ~400,000 expenditures): newest first by
    # the primary key's index, and no second COUNT(*) for "show all".
    ordering = ["-pk"]
    show_full_result_count = False
    inlines = [ActivityPhotoInline]

    @admin.display(description=Activity._meta.get_field("budget").verbose_name)
    def budget_display(self, obj):
        return rupiah(obj.budget)

    def save_model(self, request, obj, form, change):
        activity_save(activity=obj)


@admin.register(ActivityPhoto)
class ActivityPhotoAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "activity", "taken_on"]
    list_select_related = ["activity"]
    search_fields = ["caption", "activity__name"]
    autocomplete_fields = ["activity"]
    date_hierarchy = "taken_on"

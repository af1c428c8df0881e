from django.contrib import admin

from jobs.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """The jobs of every user, read only: what ran, for whom, and how it ended."""

    list_display = ["title", "user", "body", "kind", "status", "created", "finished", "attempts"]
    list_filter = ["status", "kind", "body"]
    list_select_related = ["user", "body"]
    search_fields = ["title", "user__username"]
    date_hierarchy = "created"
    readonly_fields = [field.name for field in Job._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

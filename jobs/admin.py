from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from jobs.models import Job

# The worker's own rows are read through the jobs they ran (below), in Indonesian.
admin.site.unregister(DBTaskResult)


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    """The jobs of every user, read only: what ran, for whom, how it ended and, for a
    job that failed on an error, the error's traceback."""

    list_display = ["title", "user", "body", "kind", "status", "created", "finished", "attempts"]
    list_filter = ["status", "kind", "body"]
    list_select_related = ["user", "body"]
    search_fields = ["title", "user__username"]
    date_hierarchy = "created"
    readonly_fields = [*(field.name for field in Job._meta.fields), "traceback"]

    @admin.display(description=_("error of the last run"))
    def traceback(self, job):
        result = DBTaskResult.objects.filter(pk=job.task_result_id or None).first()
        return result.traceback if result is not None and result.traceback else "–"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

from django.contrib import admin

from overview.models import ReminderSent


@admin.register(ReminderSent)
class ReminderSentAdmin(admin.ModelAdmin):
    """What the reminder digests sent (overview/reminders.py), read only. Deleting a row lets
    the next run remind that item again."""

    list_display = ["sent_on", "body", "kind", "item", "due_on", "threshold"]
    list_filter = ["kind", "body", "sent_on"]
    list_select_related = ["body"]
    search_fields = ["item"]
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

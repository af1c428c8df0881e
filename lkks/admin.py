from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from lkks import letters, officers, security
from lkks.models import (
    Body,
    Decree,
    Letter,
    LetterCounter,
    Membership,
    Officer,
    Region,
    SecurityEvent,
    User,
)

admin.site.site_header = "SI-LKKS"
admin.site.site_title = "SI-LKKS"
admin.site.index_title = _("Administration")


def year_column(field_name: str, description):
    """A list_display column of a year, written as a year (2024).

    The admin writes every integer field as a localised number, which in Indonesian
    groups thousands: the fiscal year 2024 would read "2.024". The column keeps the
    field's sorting; ``field_name`` may follow relations (``grant__fiscal_year``).
    """

    @admin.display(description=description, ordering=field_name)
    def column(record):
        value = record
        for name in field_name.split("__"):
            value = getattr(value, name, None)
            if value is None:
                return None  # the admin shows its empty value
        return str(value)

    column.__name__ = field_name
    return column


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "body"]


class RecordsMembershipChanges:
    """Roles changed through the membership inline, or ended by deleting the user or the
    body, are security events. The admin records them, not a model signal, because only
    here is the request: who changed the role, and from where."""

    membership_owner = None  # the Membership field that points at this admin's model

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        before = {
            membership.pk: membership
            for membership in Membership.objects.select_related("user", "body").filter(
                pk__in=[form.instance.pk for form in formset.initial_forms]
            )
        }
        # Deleted rows lose their primary key when saved: record them first.
        for deleted in formset.deleted_forms:
            if deleted.instance.pk in before:
                security.record_membership_change(
                    request=request, before=before[deleted.instance.pk], after=None
                )
        saved = super().save_formset(request, form, formset, change)
        for membership in formset.new_objects:
            security.record_membership_change(request=request, before=None, after=membership)
        for membership, _fields in formset.changed_objects:
            security.record_membership_change(
                request=request, before=before[membership.pk], after=membership
            )
        return saved

    def delete_model(self, request, obj):
        self.record_memberships_ending(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        self.record_memberships_ending(request, queryset)
        super().delete_queryset(request, queryset)

    def record_memberships_ending(self, request, owners):
        ending = Membership.objects.filter(**{f"{self.membership_owner}__in": owners})
        for membership in ending.select_related("user", "body"):
            security.record_membership_change(request=request, before=membership, after=None)


@admin.register(User)
class UserAdmin(RecordsMembershipChanges, DjangoUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_superuser"]
    list_filter = ["is_active", "is_superuser", "memberships__body", "memberships__role"]
    membership_owner = "user"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            return
        for field in ["is_superuser", "is_staff", "is_active"]:
            if field in form.changed_data:
                security.record_account_flag_change(
                    request=request,
                    user=obj,
                    field=field,
                    old=form.initial.get(field),
                    new=getattr(obj, field),
                )


@admin.register(Body)
class BodyAdmin(RecordsMembershipChanges, SimpleHistoryAdmin):
    list_display = ["name", "slug", "regency", "signing_place", "updated_at"]
    list_select_related = ["regency"]
    search_fields = ["name", "slug", "regency__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["regency"]
    inlines = [MembershipInline]
    membership_owner = "body"
    fieldsets = [
        (None, {"fields": ["name", "slug", "regency", "chairperson", "logo"]}),
        (_("Contacts"), {"fields": ["address", "phone", "email", "website"]}),
        (_("Applications"), {"fields": ["application_wait_days"]}),
        (
            _("Letters"),
            {
                "fields": [
                    "letterhead_title",
                    "letterhead_subtitle",
                    "signing_place",
                    "letter_number_pattern",
                ]
            },
        ),
        (
            _("Dinas Sosial"),
            {
                "fields": [
                    "social_office_name",
                    "social_head_name",
                    "social_head_title",
                    "social_head_nip",
                    "social_secretary_name",
                    "social_secretary_title",
                    "social_secretary_nip",
                ]
            },
        ),
    ]


class OfficerInline(admin.TabularInline):
    model = Officer
    extra = 0
    fields = ["position", "portfolio", "name", "ex_officio", "term_start", "term_end"]


@admin.register(Decree)
class DecreeAdmin(SimpleHistoryAdmin):
    """A decree with the board it appoints. A new decree saved here that replaces the
    board ends the open terms of the old one, as on the staff pages."""

    list_display = ["number", "body", "issued_on", "issued_by", "term_start", "term_end"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["number", "subject", "body__name", "officers__name"]
    autocomplete_fields = ["body"]
    inlines = [OfficerInline]

    def save_model(self, request, obj, form, change):
        officers.decree_record(decree=obj, replaces_board=not change, by=request.user)


@admin.register(Officer)
class OfficerAdmin(SimpleHistoryAdmin):
    list_display = ["name", "position", "portfolio", "body", "term_start", "term_end"]
    list_filter = ["position", "decree__body"]
    list_select_related = ["decree__body"]
    search_fields = ["name", "ex_officio", "decree__number", "decree__body__name"]
    autocomplete_fields = ["decree"]

    @admin.display(description=_("body"), ordering="decree__body__name")
    def body(self, officer):
        return officer.decree.body


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    """Letters take their numbers from the register's service under a lock (the staff
    page /letters/); here they are read and their subject corrected, never added or
    deleted, so a number is never given twice."""

    list_display = ["number", "body", "date", "kind", "subject", "issued_by"]
    list_filter = ["body", "kind", "year"]
    list_select_related = ["body", "issued_by"]
    search_fields = ["number", "subject", "recipient"]
    readonly_fields = ["number", "body", "date", "kind", "reference", "issued_by"]
    fields = ["number", "body", "date", "kind", "subject", "recipient", "reference", "issued_by"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        letters.letter_update(letter=obj, by=request.user)


@admin.register(LetterCounter)
class LetterCounterAdmin(admin.ModelAdmin):
    """The last number taken in each body's year, to read: changing it could give a
    number twice."""

    list_display = ["body", year_column("year", _("year")), "last_sequence"]
    list_filter = ["body"]
    list_select_related = ["body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "body", "role", "created_at"]
    list_filter = ["role", "body"]
    list_select_related = ["user", "body"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "body__name"]
    autocomplete_fields = ["user", "body"]

    def save_model(self, request, obj, form, change):
        before = (
            Membership.objects.select_related("user", "body").filter(pk=obj.pk).first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        security.record_membership_change(request=request, before=before, after=obj)

    def delete_model(self, request, obj):
        security.record_membership_change(request=request, before=obj, after=None)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "body"):
            security.record_membership_change(request=request, before=membership, after=None)
        super().delete_queryset(request, queryset)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    # Regions keep no history (the Kemendagri list is loaded by a migration): the
    # history page of SimpleHistoryAdmin would be a server error.
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SecurityEvent)
class SecurityEventAdmin(ReadOnlyAdmin):
    """The security log, read only, also for the superuser: a log that an admin could
    edit would prove nothing."""

    list_display = ["occurred_at", "kind", "username", "ip_address", "actor", "summary"]
    list_filter = ["kind", "occurred_at"]
    list_select_related = ["actor"]
    search_fields = ["username", "ip_address", "user_agent"]
    date_hierarchy = "occurred_at"
    fields = [
        "occurred_at",
        "kind",
        "username",
        "user",
        "actor",
        "ip_address",
        "user_agent",
        "details",
    ]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("details"))
    def summary(self, event):
        details = event.details or {}
        if event.kind == SecurityEvent.Kind.ROLE_CHANGE:
            what = details.get("body") or details.get("account", "")
            return f"{what}: {details.get('from')} → {details.get('to')}"
        if event.kind == SecurityEvent.Kind.LOCKOUT:
            return details.get("locked", "")
        return details.get("path", "")


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ReadOnlyAdmin):
    """The failed log-ins that django-axes is counting (see docs/decisions.md,
    "Security"). Deleting a row lifts the lock it causes."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info"]
    search_fields = ["username", "ip_address"]
    fields = [
        "attempt_time",
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
    ]

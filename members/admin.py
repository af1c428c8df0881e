from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.text import smart_split, unescape_string_literal
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from members.accounts import LksAccount, lks_account_set_active
from members.applications import Application, ApplicationDocument, ChecklistItem
from members.models import (
    Accreditation,
    ImportMapping,
    LegalDocument,
    Mentoring,
    Organisation,
    Recommendation,
    Registration,
    RegistrationStatus,
    TargetGroup,
)
from members.reviews import ProfileChange, ProposedChange, ReadinessAnswer, ReadinessItem
from members.services import (
    accreditation_save,
    legal_document_save,
    mentoring_save,
    registration_save,
)


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    fields = ["status", "number", "issuer", "submitted_on", "issued_on", "valid_until", "document"]


class AccreditationInline(admin.TabularInline):
    model = Accreditation
    extra = 0
    fields = ["status", "grade", "certificate_number", "accredited_on", "valid_until", "document"]


class LegalDocumentInline(admin.TabularInline):
    model = LegalDocument
    extra = 0


class MentoringInline(admin.TabularInline):
    model = Mentoring
    extra = 0


class RegistrationStatusFilter(admin.SimpleListFilter):
    title = _("registration status")
    parameter_name = "registration_status"

    def lookups(self, request, model_admin):
        return RegistrationStatus.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(registration_status=self.value())
        return queryset


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):  # a reference list without history
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "body",
        "kind",
        "district",
        "registration_status_display",
        "accreditation_grade_display",
        "updated_at",
    ]
    list_filter = [
        RegistrationStatusFilter,
        "kind",
        "legal_form",
        "body",
        "target_groups",
        "created_at",
    ]
    show_full_result_count = False
    list_select_related = ["body", "district"]
    search_fields = ["name", "chairperson", "registrations__number"]
    autocomplete_fields = ["body", "district", "village", "target_groups"]
    inlines = [RegistrationInline, AccreditationInline, LegalDocumentInline, MentoringInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status()

    def get_search_results(self, request, queryset, search_term):
        """Django's search (every word in one of the fields), with the registration
        number looked up by a subquery: a join would repeat an LKS per registration, and
        the DISTINCT that removes the repeats computes the registration status of every
        LKS matched, which takes seconds for a national register."""
        for word in smart_split(search_term):
            if word[:1] in ('"', "'") and word[-1:] == word[:1]:
                word = unescape_string_literal(word)
            numbers = Registration.objects.filter(
                organisation=OuterRef("pk"), number__icontains=word
            )
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(chairperson__icontains=word) | Exists(numbers)
            )
        return queryset, False

    @admin.display(description=_("registration"), ordering="registration_status")
    def registration_status_display(self, obj):
        return RegistrationStatus(obj.registration_status).label

    @admin.display(description=_("accreditation"), ordering="accreditation_grade")
    def accreditation_grade_display(self, obj):
        return obj.accreditation_grade or "-"

    def save_formset(self, request, form, formset, change):
        if formset.model is Registration:
            for registration in formset.save(commit=False):
                registration_save(registration=registration)
            for registration in formset.deleted_objects:
                registration.delete()
        elif formset.model is Accreditation:
            for accreditation in formset.save(commit=False):
                accreditation_save(accreditation=accreditation)
            for accreditation in formset.deleted_objects:
                accreditation.delete()
        else:
            super().save_formset(request, form, formset, change)


class OrganisationRecordAdmin(SimpleHistoryAdmin):
    # Large tables (a national deployment has ~400,000 expenditures): newest first by
    # the primary key's index, and no second COUNT(*) for "show all".
    ordering = ["-pk"]
    show_full_result_count = False
    list_select_related = ["organisation__body"]
    autocomplete_fields = ["organisation"]
    search_fields = ["organisation__name"]

    @admin.display(description=_("body"), ordering="organisation__body__name")
    def body(self, obj):
        return obj.organisation.body


@admin.register(Registration)
class RegistrationAdmin(OrganisationRecordAdmin):
    list_display = ["organisation", "body", "status", "number", "issued_on", "valid_until"]
    list_filter = ["status", "is_renewal", "organisation__body"]
    list_select_related = ["organisation", "body"]  # the body column is the model's own
    search_fields = ["organisation__name", "number"]
    date_hierarchy = "issued_on"

    def save_model(self, request, obj, form, change):
        registration_save(registration=obj)


@admin.register(Accreditation)
class AccreditationAdmin(OrganisationRecordAdmin):
    list_display = ["organisation", "body", "status", "grade", "accredited_on", "valid_until"]
    list_filter = ["status", "grade", "organisation__body"]
    search_fields = ["organisation__name", "certificate_number"]
    date_hierarchy = "accredited_on"

    def save_model(self, request, obj, form, change):
        accreditation_save(accreditation=obj)


@admin.register(LegalDocument)
class LegalDocumentAdmin(OrganisationRecordAdmin):
    list_display = [
        "organisation",
        "body",
        "kind",
        "number",
        "issued_on",
        "valid_until",
        "verification",
    ]
    list_filter = ["kind", "verification", "uploaded_by_lks", "organisation__body"]
    # Verified and refused by staff on the verification desk, not typed here.
    readonly_fields = ["verification", "verified_by", "verified_at", "verification_note"]
    search_fields = ["organisation__name", "number"]
    date_hierarchy = "issued_on"

    def save_model(self, request, obj, form, change):
        legal_document_save(document=obj)


@admin.register(Mentoring)
class MentoringAdmin(OrganisationRecordAdmin):
    list_display = ["organisation", "body", "date", "kind", "officer", "follow_up_on"]
    list_filter = ["kind", "organisation__body"]
    search_fields = ["organisation__name", "officer", "activities"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        mentoring_save(mentoring=obj)


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    """Letters are issued from the LKS's page, where the letter register gives their
    number under a lock; here they can be read and their wording corrected, not added."""

    list_display = ["number", "organisation", "body", "date", "signer_position"]
    list_filter = ["body", "signer_position"]
    list_select_related = ["organisation", "body", "letter"]
    search_fields = ["letter__number", "organisation__name"]
    date_hierarchy = "date"
    readonly_fields = ["number", "organisation", "date"]
    fields = ["number", "organisation", "date", "signer_position", "purpose"]

    def has_add_permission(self, request):
        return False


@admin.register(ImportMapping)
class ImportMappingAdmin(admin.ModelAdmin):
    """The column mappings the import remembered per body and file shape; deleting one
    makes the next file of that shape ask again."""

    list_display = ["name", "body", "updated_at"]
    list_filter = ["body"]
    list_select_related = ["body"]
    search_fields = ["name"]


# The LKS portal: its accounts, the checklists admins keep, and what staff review.


class ReadOnlyAdmin(SimpleHistoryAdmin):
    """Made in the portal, decided on the verification desk: read here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LksAccount)
class LksAccountAdmin(SimpleHistoryAdmin):
    """The people of the LKS. Staff invite them from the LKS's page (which emails the
    link that sets a password); here they can be read and disabled."""

    list_display = ["user", "organisation", "body", "active", "invited_by", "created_at"]
    list_filter = ["active", "organisation__body"]
    list_select_related = ["user", "organisation__body", "invited_by"]
    search_fields = ["user__username", "user__email", "organisation__name"]
    readonly_fields = ["user", "organisation", "invited_by"]

    @admin.display(description=_("body"), ordering="organisation__body__name")
    def body(self, obj):
        return obj.organisation.body

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        lks_account_set_active(account=obj, active=obj.active, by=request.user)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(SimpleHistoryAdmin):
    """The documents each kind of application asks for."""

    list_display = ["name", "kind", "document_kind", "required", "position", "active"]
    list_editable = ["required", "position", "active"]
    list_filter = ["kind", "required", "active"]


@admin.register(ReadinessItem)
class ReadinessItemAdmin(SimpleHistoryAdmin):
    """The items of the accreditation self-assessment, by area of the instrument."""

    list_display = ["name", "area", "position", "active"]
    list_editable = ["position", "active"]
    list_filter = ["area", "active"]
    search_fields = ["name"]


class ApplicationDocumentInline(admin.TabularInline):
    model = ApplicationDocument
    extra = 0
    fields = ["item", "document"]
    readonly_fields = ["item", "document"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """Applications are made in the portal and decided on the verification desk, whose
    services issue letters and write the register; here they are read."""

    list_display = ["organisation", "kind", "status", "submitted_on", "decided_on"]
    list_filter = ["kind", "status", "organisation__body"]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name"]
    inlines = [ApplicationDocumentInline]
    ordering = ["-pk"]


class ProposedChangeInline(admin.TabularInline):
    model = ProposedChange
    extra = 0
    fields = ["field", "was", "value", "decision", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = ["application", "item", "document"]
    list_select_related = ["application__organisation", "item", "document"]
    ordering = ["-pk"]


@admin.register(ProposedChange)
class ProposedChangeAdmin(ReadOnlyAdmin):
    list_display = ["change", "field", "decision"]
    list_filter = ["decision"]
    list_select_related = ["change__organisation"]
    ordering = ["-pk"]


@admin.register(ReadinessAnswer)
class ReadinessAnswerAdmin(ReadOnlyAdmin):
    list_display = ["organisation", "item", "document", "updated_at"]
    list_filter = ["item__area", "organisation__body"]
    list_select_related = ["organisation", "item", "document"]
    search_fields = ["organisation__name"]
    ordering = ["-pk"]


@admin.register(ProfileChange)
class ProfileChangeAdmin(ReadOnlyAdmin):
    """Proposals of the LKS, decided field by field on the verification desk (which
    writes the accepted values to the register); here they are read."""

    list_display = ["organisation", "proposed_by", "status", "created_at", "decided_at"]
    list_filter = ["status", "organisation__body"]
    list_select_related = ["organisation", "proposed_by"]
    search_fields = ["organisation__name"]
    inlines = [ProposedChangeInline]
    ordering = ["-pk"]

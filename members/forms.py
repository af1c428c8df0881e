from django import forms

from lkks.forms import ScopedModelForm
from members.models import Accreditation, LegalDocument, Mentoring, Organisation, Registration


class VillageChoiceField(forms.ModelChoiceField):
    """Villages named with their kecamatan: names repeat across a regency."""

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.parent.name})"


class OrganisationForm(ScopedModelForm):
    class Meta:
        model = Organisation
        fields = [
            "name",
            "kind",
            "legal_form",
            "target_groups",
            "chairperson",
            "secretary",
            "treasurer",
            "founded_on",
            "client_count",
            "address",
            "district",
            "village",
            "phone",
            "email",
            "logo",
        ]
        field_classes = {"village": VillageChoiceField}
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        village = self.fields["village"]
        village.queryset = village.queryset.select_related("parent").order_by(
            "parent__name", "name"
        )
        self.fields["district"].queryset = self.fields["district"].queryset.order_by("name")


class RegistrationForm(ScopedModelForm):
    class Meta:
        model = Registration
        fields = [
            "status",
            "number",
            "issuer",
            "submitted_on",
            "issued_on",
            "valid_until",
            "is_renewal",
            "document",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class AccreditationForm(ScopedModelForm):
    class Meta:
        model = Accreditation
        fields = [
            "status",
            "grade",
            "certificate_number",
            "submitted_on",
            "accredited_on",
            "valid_until",
            "document",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}


class LegalDocumentForm(ScopedModelForm):
    class Meta:
        model = LegalDocument
        fields = ["kind", "number", "issuer", "issued_on", "valid_until", "document"]


class MentoringForm(ScopedModelForm):
    class Meta:
        model = Mentoring
        fields = ["date", "kind", "officer", "activities", "follow_up_on"]
        widgets = {"activities": forms.Textarea(attrs={"rows": 3})}

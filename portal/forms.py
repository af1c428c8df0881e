"""The forms of the LKS portal. Every choice of a record is one of the LKS's own,
through ``for_lks_user``; a tampered choice is an invalid choice."""

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from lkks.forms import ScopedModelForm
from members.applications import Application, ApplicationKind
from members.forms import VillageChoiceField
from members.models import LegalDocument, Organisation
from members.reviews import PROPOSABLE_FIELDS


class ProfileProposalForm(ScopedModelForm):
    """The LKS's record as it wants it: what differs from the register is proposed.
    Kecamatan and desa are those of its body's regency; the model's own rules (a desa
    in its kecamatan) are checked before anything is proposed."""

    note = forms.CharField(
        label=_("Note for the LKKS"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the change, e.g. the date of the new board's decree."),
    )

    class Meta:
        model = Organisation
        fields = PROPOSABLE_FIELDS
        field_classes = {"village": VillageChoiceField}
        widgets = {
            "target_groups": forms.CheckboxSelectMultiple,
            "address": forms.Textarea(attrs={"rows": 2}),
        }


class DocumentUploadForm(ScopedModelForm):
    """A document the LKS uploads: the scan is required, and checked by content like
    every upload."""

    class Meta:
        model = LegalDocument
        fields = ["kind", "number", "issuer", "issued_on", "valid_until", "document"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].required = True
        self.fields["number"].help_text = _(
            "Required for legal papers (akta, SK, NPWP, domicile letter, permit, NIB)."
        )


class ApplicationStartForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["kind", "purpose"]
        widgets = {
            "kind": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = ApplicationKind.choices
        self.fields["purpose"].help_text = _(
            "Only for a recommendation: what it is for, e.g. a grant proposal to the regency."
        )


class OwnDocumentField(forms.ModelChoiceField):
    """One of the LKS's documents, named with its date and, unless verified, its state."""

    widget = forms.Select(attrs={"class": "form-select"})

    def label_from_instance(self, document):
        state = "" if document.is_verified else f" ({document.get_verification_display()})"
        issued = (
            f" · {date_format(document.issued_on, 'DATE_FORMAT')}" if document.issued_on else ""
        )
        return f"{document}{issued}{state}"


def own_documents(user):
    """The LKS's documents that may still count: not refused."""
    return (
        LegalDocument.objects.for_lks_user(user).not_refused().order_by("kind", "-issued_on", "-pk")
    )


class ChecklistForm(forms.Form):
    """One document per item of an application's checklist (``item_<pk>``)."""

    def __init__(self, *args, rows, user, **kwargs):
        super().__init__(*args, **kwargs)
        documents = own_documents(user)
        self.rows = rows
        for row in rows:
            self.fields[f"item_{row.item.pk}"] = OwnDocumentField(
                label=row.item.name,
                queryset=documents.filter(kind=row.item.document_kind),
                required=False,
                initial=row.document.pk if row.document else None,
                empty_label=_("– none yet –"),
            )

    def chosen(self):
        """(item, document or None) for every row."""
        return [(row.item, self.cleaned_data[f"item_{row.item.pk}"]) for row in self.rows]

    def bound_rows(self):
        return [(row, self[f"item_{row.item.pk}"]) for row in self.rows]


class ReadinessForm(forms.Form):
    """The evidence of each readiness item (``item_<pk>``) and a note (``note_<pk>``)."""

    def __init__(self, *args, readiness, user, **kwargs):
        super().__init__(*args, **kwargs)
        documents = own_documents(user)
        self.readiness = readiness
        for row in readiness.rows:
            key = row.item.pk
            self.fields[f"item_{key}"] = OwnDocumentField(
                label=row.item.name,
                queryset=documents,
                required=False,
                initial=row.answer.document_id if row.answer else None,
                empty_label=_("– none yet –"),
                help_text=row.item.guidance,
            )
            self.fields[f"note_{key}"] = forms.CharField(
                label=_("Note"),
                required=False,
                max_length=500,
                initial=row.answer.note if row.answer else "",
            )

    def chosen(self):
        """(item, document or None, note) for every item."""
        return [
            (
                row.item,
                self.cleaned_data[f"item_{row.item.pk}"],
                self.cleaned_data[f"note_{row.item.pk}"],
            )
            for row in self.readiness.rows
        ]

    def areas(self):
        return [
            (
                label,
                [(row, self[f"item_{row.item.pk}"], self[f"note_{row.item.pk}"]) for row in rows],
            )
            for label, rows in self.readiness.areas
        ]

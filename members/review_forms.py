"""The forms of the verification desk: inviting an LKS's people, checking a document,
deciding a proposal field by field, deciding an application."""

from django import forms
from django.utils.translation import gettext_lazy as _

VERIFY, REFUSE = "verify", "refuse"
ACCEPT = "accept"
APPROVE, REVISION = "approve", "revision"


class InviteForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("The invitation goes here; it is also the user name to log in with."),
    )


class DocumentCheckForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(VERIFY, _("Verified: it counts")), (REFUSE, _("Refused"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the LKS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when refusing: say what is wrong."),
    )


class ApplicationDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (APPROVE, _("Approve")),
            (REVISION, _("Return for revision")),
            (REFUSE, _("Refuse")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note to the LKS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when returning or refusing: what to change, or why."),
    )


class ChangeDecisionForm(forms.Form):
    """One decision (``<field>``) and note (``<field>_note``) for each proposed field."""

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposed = list(fields)
        for proposed in self.proposed:
            self.fields[proposed.field] = forms.ChoiceField(
                label=proposed.get_field_display(),
                choices=[(ACCEPT, _("Accept")), (REFUSE, _("Refuse"))],
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"{proposed.field}_note"] = forms.CharField(
                label=_("Note"), required=False, max_length=1000
            )

    def decisions(self):
        """``{field: (accepted or None, note)}``, as ``profile_change_decide`` takes it."""
        decided = {}
        for proposed in self.proposed:
            choice = self.cleaned_data.get(proposed.field)
            decided[proposed.field] = (
                None if not choice else choice == ACCEPT,
                self.cleaned_data.get(f"{proposed.field}_note", ""),
            )
        return decided

    def rows(self):
        return [
            (proposed, self[proposed.field], self[f"{proposed.field}_note"])
            for proposed in self.proposed
        ]

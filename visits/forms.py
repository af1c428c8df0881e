from django import forms
from django.utils.translation import gettext_lazy as _

from lkks.forms import DateInput
from lkks.models import Body
from visits.models import Delegate, FollowUp, StudyVisit, VisitPhoto


class VisitScopedForm(forms.ModelForm):
    """A form of the visits' pages; the saving views hand every form the user and the
    body they work in."""

    def __init__(self, *args, user=None, body=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.body = body
        for field in self.fields.values():
            if isinstance(field.widget, forms.DateInput):
                field.widget = DateInput()


class StudyVisitForm(VisitScopedForm):
    """Either side may be any body of the application (the one visited is named by the
    other); the service checks that the user's body is one of them."""

    class Meta:
        model = StudyVisit
        fields = [
            "visiting_body",
            "host_body",
            "host_name",
            "date",
            "start_time",
            "end_time",
            "place",
            "purpose",
            "basis",
            "agenda",
            "lessons",
        ]
        widgets = {
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "basis": forms.Textarea(attrs={"rows": 2}),
            "agenda": forms.Textarea(attrs={"rows": 4}),
            "lessons": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bodies = Body.objects.order_by("name")
        self.fields["visiting_body"].queryset = bodies
        self.fields["host_body"].queryset = bodies
        if self.instance._state.adding and self.body is not None:
            self.fields["visiting_body"].initial = self.body.pk


class DelegateForm(VisitScopedForm):
    class Meta:
        model = Delegate
        fields = ["side", "name", "position", "institution", "note"]


class FollowUpForm(VisitScopedForm):
    class Meta:
        model = FollowUp
        fields = ["action", "responsible", "due_on", "status", "outcome"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }


class VisitPhotoForm(VisitScopedForm):
    class Meta:
        model = VisitPhoto
        fields = ["image", "caption"]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }


class ReportForm(forms.Form):
    """Which side's report, as HTML or PDF."""

    side = forms.SlugField(label=_("Report of"), required=False)
    format = forms.ChoiceField(
        label=_("Format"), choices=[("html", "HTML"), ("pdf", "PDF")], required=False
    )

    def wants_pdf(self):
        return self.cleaned_data.get("format") == "pdf"

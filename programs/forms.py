from django import forms
from django.utils import timezone

from lkks.forms import ScopedModelForm
from programs.models import Activity, ActivityPhoto, Program


class ProgramForm(ScopedModelForm):
    # The code is unique per body and year.
    unique_in_body = "code"

    class Meta:
        model = Program
        fields = ["fiscal_year", "code", "name", "category", "budget_ceiling", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            self.fields["fiscal_year"].initial = timezone.localdate().year


class ActivityForm(ScopedModelForm):
    class Meta:
        model = Activity
        fields = [
            "name",
            "kind",
            "status",
            "planned_start",
            "planned_end",
            "actual_start",
            "actual_end",
            "district",
            "budget",
            "target_participants",
            "actual_participants",
            "participants",
            "outcome",
        ]
        widgets = {
            "participants": forms.SelectMultiple(attrs={"size": 10}),
            "outcome": forms.Textarea(attrs={"rows": 4}),
        }


class ActivityPhotoForm(ScopedModelForm):
    class Meta:
        model = ActivityPhoto
        fields = ["image", "caption", "taken_on"]
        widgets = {
            "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

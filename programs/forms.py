from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from lkks.forms import ScopedModelForm
from programs.models import Activity, ActivityPhoto, Program


class ProgramForm(ScopedModelForm):
    class Meta:
        model = Program
        fields = ["fiscal_year", "code", "name", "category", "budget_ceiling", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The body never comes from the form, but the code is unique per body and year:
        # with the body set before validation, a duplicate is an error on the form.
        if self.instance.body_id is None and self.body is not None:
            self.instance.body = self.body
        if self.instance._state.adding:
            self.fields["fiscal_year"].initial = timezone.localdate().year

    def _get_validation_exclusions(self):
        return super()._get_validation_exclusions() - {"body"}

    def validate_constraints(self):
        try:
            self.instance.validate_constraints(exclude=self._get_validation_exclusions())
        except ValidationError as error:
            # The only constraint of a program that names no single field is the code's
            # uniqueness per body and year: say so beside the code.
            if NON_FIELD_ERRORS in error.error_dict:
                error.error_dict["code"] = error.error_dict.pop(NON_FIELD_ERRORS)
            self._update_errors(error)


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

"""The forms of the import's steps: which field each column fills, and what the unknown
words of the services mean."""

from collections import defaultdict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.imports.fields import REQUIRED, field_choices, field_label
from members.imports.vocabulary import meaning_choices
from members.models import ImportMapping, TargetGroup


class ColumnMappingForm(forms.Form):
    """A field (or none) for each column of the file, and the name to remember the
    mapping by."""

    name = forms.CharField(
        label=_("Remember this mapping as"),
        max_length=100,
        help_text=_("The next file with the same columns is read the same way."),
    )

    def __init__(self, *args, body, layout, **kwargs):
        super().__init__(*args, **kwargs)
        self.body, self.layout = body, layout
        choices = [("", _("— skip this column —")), *field_choices()]
        for column in layout.columns:
            self.fields[self.field_name(column)] = forms.ChoiceField(
                label=column.title,
                choices=choices,
                required=False,
                initial=column.field or "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    @staticmethod
    def field_name(column):
        return f"column-{column.position}"

    def columns(self):
        """Each column with its choice and first values, for the page."""
        for column in self.layout.columns:
            samples = self.layout.samples.get(column.position, [])
            yield column, self[self.field_name(column)], samples

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = ImportMapping.objects.for_body(self.body).exclude(shape=self.layout.shape)
        if others.filter(name=name).exists():
            raise ValidationError(
                _("Another mapping is already called this; choose another name."),
                code="mapping_name_taken",
            )
        return name

    def clean(self):
        cleaned = super().clean()
        columns = defaultdict(list)
        for column in self.layout.columns:
            if key := cleaned.get(self.field_name(column)):
                columns[key].append(column)
        for key, chosen in columns.items():
            for column in chosen[1:]:
                self.add_error(
                    self.field_name(column),
                    ValidationError(
                        _("“%(field)s” is already chosen for column “%(column)s”."),
                        code="field_chosen_twice",
                        params={"field": field_label(key), "column": chosen[0].title},
                    ),
                )
        missing = [str(column.label) for column in REQUIRED if column.key not in columns]
        if missing:
            raise ValidationError(
                _("Choose the column that holds the %(fields)s: it is needed."),
                code="required_field_missing",
                params={"fields": ", ".join(missing)},
            )
        return cleaned

    def chosen_fields(self) -> dict[int, str]:
        """Column position → field ("" to skip it)."""
        return {
            column.position: self.cleaned_data.get(self.field_name(column)) or ""
            for column in self.layout.columns
        }


class WordsForm(forms.Form):
    """What each unknown word of the services means: a kind of LKS, a target group, or
    nothing."""

    def __init__(self, *args, words, **kwargs):
        super().__init__(*args, **kwargs)
        self.unknown, self.keys = words, list(words)
        choices = meaning_choices(TargetGroup.objects.all())
        for index, word in enumerate(words.values()):
            self.fields[f"word-{index}"] = forms.ChoiceField(
                label=word.word,
                choices=choices,
                required=False,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def words(self):
        """Each unknown word with its rows and its choice, for the page."""
        for index, word in enumerate(self.unknown.values()):
            yield word, self[f"word-{index}"]

    def meanings(self) -> dict[str, str]:
        return {key: self.cleaned_data[f"word-{index}"] for index, key in enumerate(self.keys)}

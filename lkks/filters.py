"""What every list's filters share: the sort box in the language of each request, and
the rendering of the filter form."""

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import pretty_name
from django.forms.widgets import Input
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


def _descending(label) -> str:
    # django-filter's own msgid, which our catalogue translates ("Nama (menurun)").
    return gettext("%s (descending)") % label


descending = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort box with its labels translated when the page is shown.

    django-filter writes "Name (descending)" once, when the FilterSet class is defined,
    in whatever language is active then, and offers "---------" as the empty choice; here
    both follow the language of each request.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        ascending = [
            (param, labels.get(field, pretty_name(param))) for field, param in fields.items()
        ]
        descending_choices = [
            (f"-{param}", labels.get(f"-{param}", descending(label))) for param, label in ascending
        ]
        return [
            choice for pair in zip(ascending, descending_choices, strict=True) for choice in pair
        ]


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices of a filter's select in one plain query. Django's own iterator reads
    them through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor
    (DECLARE … WITH HOLD, FETCH, CLOSE): several round trips for a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for record in self.queryset:
            yield self.choice(record)


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """django-filter's ModelChoiceFilter for the short lists a filter form offers
    (kecamatan, target groups, the body's activities), read in one plain query."""

    @property
    def field(self):
        field = super().field
        field.iterator = ListedChoiceIterator
        return field


# A list's filter form, rendered in Python. Through crispy-forms and Django's widget
# templates the /members/ form alone took most of the page's time (a template per field,
# per <option> and per attribute); the markup here is the same: Bootstrap's classes, the
# label tied to its input by for/id, the help text and errors tied to it by
# aria-describedby and aria-invalid (Django's own BoundField.build_widget_attrs).


def _attributes(attrs):
    """``name="value"`` pairs as Django's widgets/attrs.html writes them: True alone,
    False and None left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


def _options(options):
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((option["value"], _attributes(option["attrs"]), option["label"]) for option in options),
    )


def widget_html(field, css_class):
    """The input or select of a bound field, with ``css_class`` (and is-invalid on an
    error) added to its own classes. Widgets other than inputs and selects are left to
    Django's templates."""
    widget = field.field.widget
    classes = [widget.attrs.get("class", ""), css_class, "is-invalid" if field.errors else ""]
    attrs = {"class": " ".join(dict.fromkeys(c for c in " ".join(classes).split() if c))}
    attrs = field.build_widget_attrs(attrs, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    if isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
        groups = []
        for group_name, options, _index in context["optgroups"]:
            if group_name:
                groups.append(
                    format_html('<optgroup label="{}">{}</optgroup>', group_name, _options(options))
                )
            else:
                groups.append(_options(options))
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            _attributes(context["attrs"]),
            format_html_join("", "{}", ((group,) for group in groups)),
        )
    if isinstance(widget, Input) and not isinstance(widget, forms.FileInput):
        context = widget.get_context(field.html_name, field.value(), attrs)["widget"]
        value = context["value"]
        return format_html(
            '<input type="{}" name="{}"{}{}>',
            context["type"],
            context["name"],
            format_html(' value="{}"', value) if value is not None else "",
            _attributes(context["attrs"]),
        )
    return field.as_widget(attrs=attrs)


def filter_field_html(field, *, label_class="form-label", wrapper_class="mb-3"):
    """One field of a filter form: label, input, help text and errors, in a div with
    ``wrapper_class`` (the ids crispy-forms gave them: div_id_<name>, <id>_helptext)."""
    widget = field.field.widget
    css_class = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if isinstance(widget, forms.CheckboxInput):
        css_class = "form-check-input"
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
        )
    errors = ""
    if field.errors:
        # The id Django's aria-describedby points to on an invalid input.
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback d-block">{}</div>',
            field.auto_id,
            format_html_join(
                "",
                '<span id="error_{}_{}"><strong>{}</strong></span>',
                ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    return format_html(
        '<div id="div_{}" class="{}"><label for="{}" class="{}">{}</label>{}{}{}</div>',
        field.auto_id,
        wrapper_class,
        field.id_for_label,
        label_class,
        capfirst(field.label),
        widget_html(field, css_class),
        help_text,
        errors,
    )

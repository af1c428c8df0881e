"""The filter forms of the lists, rendered in Python (lkks.filters.filter_field_html):
the markup crispy-forms gave them, labels tied to their inputs, help and errors
announced, and every value escaped."""

import re

import pytest
from django import forms
from django.urls import reverse

from lkks.filters import filter_field_html
from tests.factories import OrganisationFactory, TargetGroupFactory


class SearchForm(forms.Form):
    q = forms.CharField(required=False, label="search", help_text="Name <or> number")
    kind = forms.ChoiceField(
        required=False, choices=[("", "All"), ("a", "A & B"), ("c", '"C"')], label="Kind"
    )
    year = forms.IntegerField(required=False, min_value=2000, label="Year")


def test_a_text_field_has_its_label_input_and_help_tied_together():
    html = filter_field_html(SearchForm()["q"])
    assert html == (
        '<div id="div_id_q" class="mb-3"><label for="id_q" class="form-label">Search</label>'
        '<input type="text" name="q" class="form-control" aria-describedby="id_q_helptext" '
        'id="id_q"><div id="id_q_helptext" class="form-text">Name &lt;or&gt; number</div></div>'
    )


def test_a_select_keeps_the_chosen_option_and_escapes_labels():
    html = filter_field_html(SearchForm({"kind": "a"})["kind"], wrapper_class="col")
    assert '<select name="kind" class="form-select" id="id_kind">' in html
    assert '<option value="a" selected>A &amp; B</option>' in html
    assert '<option value="c">&quot;C&quot;</option>' in html
    assert html.startswith('<div id="div_id_kind" class="col">')


def test_an_invalid_value_is_marked_and_its_error_announced():
    form = SearchForm({"year": "1900", "q": '"><script>'})
    assert not form.is_valid()
    html = filter_field_html(form["year"])
    assert 'class="form-control is-invalid"' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_year_error"' in html
    assert re.search(
        r'<div id="id_year_error" class="invalid-feedback d-block">'
        r'<span id="error_1_id_year"><strong>[^<]+2000',
        html,
    )
    assert 'value="&quot;&gt;&lt;script&gt;"' in filter_field_html(form["q"])


@pytest.mark.django_db
def test_the_lks_list_filter_offers_the_target_groups_and_keeps_the_choice(staff_client, kampar):
    group = TargetGroupFactory(name="Anak & remaja")
    OrganisationFactory(body=kampar).target_groups.add(group)
    page = staff_client.get(reverse("members:organisation-list"), {"target_group": group.pk})
    html = page.content.decode()
    assert f'<option value="{group.pk}" selected>Anak &amp; remaja</option>' in html
    assert '<label for="id_target_group" class="form-label">' in html
    assert page.context["paginator"].count == 1

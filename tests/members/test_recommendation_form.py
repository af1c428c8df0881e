"""The recommendation form that comes back with errors lists them at its top, each a
link to its field, as every long form does (templates/lkks/record_form.html's
"error-summary" partial, #12 item 7); nothing is issued."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from members.models import Recommendation
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def summary(html):
    found = re.search(r'<div class="alert alert-danger error-summary".*?</div>', html, re.S)
    return found.group() if found else None


@pytest.fixture
def lks(kampar):
    return OrganisationFactory(body=kampar, name="Panti Asuhan Al-Ikhlas")


def test_a_failing_recommendation_lists_each_error_linking_its_field(lks, staff_client):
    response = staff_client.post(
        reverse("recommendation-create", args=[lks.pk]),
        {"date": "31-31-2024", "signer_position": "999", "purpose": "x"},
    )

    assert response.status_code == 200
    errors = summary(response.text)
    assert errors is not None
    assert "Tidak ada yang disimpan" in errors
    assert 'href="#id_date"' in errors
    assert 'href="#id_signer_position"' in errors
    assert 'href="#id_purpose"' not in errors
    assert 'id="id_date"' in response.text  # the link's target
    assert "js/forms.js" in response.text  # which gives the summary the focus
    assert not Recommendation.objects.exists()


def test_a_date_the_register_refuses_is_linked_from_the_summary_in_english(lks, staff_client):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    next_year = timezone.localdate() + datetime.timedelta(days=400)

    response = staff_client.post(
        reverse("recommendation-create", args=[lks.pk]),
        {"date": next_year.isoformat(), "signer_position": "10", "purpose": ""},
    )

    errors = summary(response.text)
    assert errors is not None
    assert "Nothing was saved" in errors
    assert 'href="#id_date"' in errors
    assert not Recommendation.objects.exists()


def test_the_form_shows_no_summary_before_it_is_sent(lks, staff_client):
    response = staff_client.get(reverse("recommendation-create", args=[lks.pk]))

    assert response.status_code == 200
    assert summary(response.text) is None

"""What the shared record form (lkks/forms.py, templates/lkks/record_form.html) tells a
user: an error summary linking each field, the real upload limits, a file to choose
again, the villages of each district for the script, and money fields marked (#12)."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Registration
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def test_a_failing_form_lists_each_error_with_a_link_to_its_field(kampar, staff_client):
    response = staff_client.post(reverse("members:organisation-create"), {"name": ""})

    assert response.status_code == 200
    summary = re.search(
        r'<div class="alert alert-danger error-summary".*?</div>', response.text, re.S
    )
    assert summary is not None
    assert 'href="#id_name"' in summary.group()
    assert 'href="#id_kind"' in summary.group()
    assert "Tidak ada yang disimpan" in summary.group()


def test_a_valid_page_has_no_error_summary(kampar, staff_client):
    assert "error-summary" not in staff_client.get(reverse("members:organisation-create")).text


def test_upload_help_gives_the_limits_of_the_settings(kampar, staff_client, settings):
    settings.UPLOAD_MAX_BYTES = 3 * 1024 * 1024
    settings.UPLOAD_MAX_PIXELS = 12_000_000
    lks = OrganisationFactory(body=kampar)

    page = staff_client.get(reverse("members:registration-create", args=[lks.pk])).text

    assert "PDF atau gambar (JPEG, PNG, WebP) paling besar 3,0" in page
    assert "12 megapiksel" in page


def test_a_file_chosen_before_an_error_is_to_be_chosen_again(kampar, staff_client):
    lks = OrganisationFactory(body=kampar)
    response = staff_client.post(
        reverse("members:registration-create", args=[lks.pk]),
        {
            "status": Registration.Status.REGISTERED,
            "number": "460/1/TD",
            "issued_on": "2024-05-01",
            "valid_until": "2020-01-01",  # before it was issued: the form comes back
            "document": SimpleUploadedFile("tanda-daftar.pdf", PDF, "application/pdf"),
        },
    )

    assert response.status_code == 200
    assert not Registration.objects.exists()
    assert "Anda memilih “tanda-daftar.pdf”" in response.text
    assert "pilih lagi" in response.text


def test_each_village_names_its_district_for_the_script(kampar, staff_client):
    page = staff_client.get(reverse("members:organisation-create")).text

    village = re.search(r'<select name="village"[^>]*>', page).group()
    assert 'data-follows="id_district"' in village
    district = kampar.regency.children.order_by("code").first()
    one_village = district.children.order_by("code").first()
    assert f'value="{one_village.pk}" data-district="{district.pk}"' in page


def test_whole_rupiah_fields_are_marked_for_their_separators(kampar, staff_client):
    page = staff_client.get(reverse("programs:program-create")).text
    assert re.search(r'<input[^>]*name="budget_ceiling"[^>]*data-money', page)

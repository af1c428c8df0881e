"""The demo's LKS portal: two people of two LKS, and what waits for the staff."""

import pytest
from django.urls import reverse

from lkks.models import Body
from members.applications import Application, checklist, waiting_too_long
from members.models import Accreditation, LegalDocument
from members.reviews import ProfileChange
from overview.demo import SLEMAN_IN_PROCESS
from tests.overview.test_demo import demo  # noqa: F401 - the demo, loaded once for the module

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_kampar(demo):  # noqa: F811
    return Body.objects.get(slug="kampar")


@pytest.fixture
def demo_sleman(demo):  # noqa: F811
    return Body.objects.get(slug="sleman")


def test_al_ghifari_applies_for_registration_awaiting_two_of_its_documents(demo_sleman, client):
    application = Application.objects.get(organisation__name="Al Ghifari Turi")
    rows = checklist(application)

    assert application.organisation.body == demo_sleman
    assert application.kind == Application.Kind.REGISTRATION
    assert application.status == Application.Status.DRAFT
    assert [row.item.name for row in rows if row.is_missing] == [
        "Program kerja",
        "Laporan kegiatan",
    ]
    assert [row.state for row in rows].count(LegalDocument.Verification.AWAITING) == 2
    logged_in = client.post(reverse("login"), {"username": "lks-alghifari", "password": "demo"})
    assert logged_in.status_code == 302
    assert client.get(reverse("portal:home")).status_code == 200


def test_an_accredited_kampar_lks_has_a_change_waiting(demo_kampar, client):
    change = ProfileChange.objects.pending().get()
    organisation = change.organisation

    assert organisation.body == demo_kampar
    assert organisation.lks_accounts.get().user.username == "lks-kampar"
    assert organisation.accreditations.filter(status=Accreditation.Status.ACCREDITED).exists()
    assert {proposed.field for proposed in change.fields.all()} == {
        "phone",
        "secretary",
        "treasurer",
    }
    assert organisation.phone != "0812-7654-3210"  # proposed, not yet in the register
    logged_in = client.post(reverse("login"), {"username": "lks-kampar", "password": "demo"})
    assert logged_in.status_code == 302


def test_slemans_four_lks_in_process_since_september_2024_wait_too_long(demo_sleman):
    waiting = {
        row.organisation_name for row in waiting_too_long(demo_sleman) if not row.application_id
    }

    assert waiting == {name for name, _code in SLEMAN_IN_PROCESS}

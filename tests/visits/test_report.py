"""The report of a study visit, of each side: its letter number from that side's
register, its place of signing and its signatories, as HTML and as PDF."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from lkks.letters import issue_letter
from lkks.models import Letter, Officer
from lkks.numbering import ROMAN_MONTHS
from tests.factories import DelegateFactory, FollowUpFactory, OfficerFactory, VisitPhotoFactory
from visits.models import Delegate
from visits.services import report_reference

pytestmark = pytest.mark.django_db


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def report_url(visit, side=None):
    address = reverse("visits:visit-report", args=[visit.pk])
    return f"{address}?side={side}" if side else address


@pytest.fixture
def story(visit, kampar, sleman):
    """The bodies' boards and Dinas Sosial, the delegations and a follow-up."""
    kampar.signing_place = "Bangkinang"
    kampar.letter_number_pattern = "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}"
    kampar.social_head_name = "Zamzami Hasan"
    kampar.save()
    OfficerFactory(decree__body=kampar, name="Ricana Djayanti Hambali, B.Dsg", term_end=None)
    OfficerFactory(decree__body=sleman, name="Aly Manshur", term_end=None)
    DelegateFactory(
        visit=visit,
        name="Ricana Djayanti Hambali, B.Dsg",
        position="Ketua Umum LKKS Kabupaten Kampar",
    )
    DelegateFactory(
        visit=visit,
        side=Delegate.Side.HOST,
        name="Sigit Indarto, SE, M.Si",
        position="Sekretaris Dinas Sosial Kabupaten Sleman",
    )
    FollowUpFactory(visit=visit, body=kampar, action="Menyusun pedoman pendampingan LKS")
    FollowUpFactory(visit=visit, body=sleman, action="Mengirim contoh SOP Sleman")
    VisitPhotoFactory(visit=visit, caption="Foto bersama")
    issue_letter(
        body=kampar,
        kind=Letter.Kind.REPORT,
        on=datetime.date(2024, 10, 21),
        subject="Laporan hasil studi tiru",
        by=None,
        reference=report_reference(visit),
    )
    return visit


def test_the_visitors_pdf_carries_number_place_date_signatories_and_its_follow_ups(
    client_of, staff, story
):
    response = client_of(staff).get(report_url(story, "kampar") + "&format=pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in [
        "LAPORAN HASIL STUDI TIRU",
        "Nomor: 001/LKKS-KPR/LAP/X/2024",
        "Rabu, 16 Oktober 2024",
        "Pukul 13.30 s.d. 16.00 WIB",
        "Dinas Sosial Kabupaten Sleman",
        "Sigit Indarto, SE, M.Si",
        "Menyusun pedoman pendampingan LKS",
        "Bangkinang, 21 Oktober 2024",
        "Ketua Umum LKKS Kabupaten Kampar",
        "Ricana Djayanti Hambali, B.Dsg",
        "Mengetahui,",
        "Kepala Dinas Sosial Kabupaten Kampar",
        "Zamzami Hasan",
        "Foto bersama",
    ]:
        assert expected in text, expected
    assert "Mengirim contoh SOP Sleman" not in text  # the other side's follow-up


def test_the_hosts_report_is_its_own_with_its_own_signatory(client_of, other_staff, story):
    response = client_of(other_staff).get(report_url(story))

    text = " ".join(response.content.decode().split())
    assert response.context["body"] == story.host_body
    assert "LKKS Kabupaten Sleman" in text
    assert "Aly Manshur" in text
    assert "Mengirim contoh SOP Sleman" in text
    assert "Menyusun pedoman pendampingan LKS" not in text
    # Not numbered yet: it says so, and its staff may number it.
    assert response.context["report"].letter is None
    assert response.context["can_number"]
    # Sleman's Dinas Sosial head is not recorded: the page names what to fill.
    assert "Kepala Dinas Sosial Kabupaten Sleman belum tercatat" in text


def test_a_side_the_user_does_not_read_is_a_404(client_of, other_staff, story):
    assert client_of(other_staff).get(report_url(story, "kampar")).status_code == 404


def test_staff_of_a_side_number_its_report_once(client_of, other_staff, sleman_official, story):
    address = reverse("visits:visit-report-number", args=[story.pk])

    refused = client_of(sleman_official).post(address, {"side": "sleman"})
    numbered = client_of(other_staff).post(address, {"side": "sleman"})
    again = client_of(other_staff).post(address, {"side": "sleman"})

    assert refused.status_code == 403
    assert numbered.status_code == again.status_code == 302
    letter = Letter.objects.get(body=story.host_body)
    today = timezone.localdate()
    assert letter.number == f"001/LKKS/LAP/{ROMAN_MONTHS[today.month - 1]}/{today.year}"
    assert letter.reference == report_reference(story)
    page = client_of(other_staff).get(report_url(story))
    assert letter.number in page.content.decode()
    assert not page.context["can_number"]


def test_the_visitor_cannot_number_the_hosts_report(client_of, staff, story):
    response = client_of(staff).post(
        reverse("visits:visit-report-number", args=[story.pk]), {"side": "sleman"}
    )

    assert response.status_code == 404
    assert not Letter.objects.filter(body=story.host_body).exists()


def test_the_report_of_a_missing_signatory_names_the_position(client_of, staff, visit):
    text = " ".join(client_of(staff).get(report_url(visit, "kampar")).content.decode().split())

    assert "Ketua Umum belum tercatat" in text
    assert f"{reverse('officer-create')}?body=kampar&amp;position={Officer.Position.CHAIR}" in text

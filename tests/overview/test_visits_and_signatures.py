"""What the roof shows of the body's people, paper and visits: follow-ups of study
visits on /due/, on the dashboard and in the reminder digest; the visits between the
bodies compared; the annual report's number and signatories."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from jobs.models import Job
from lkks.models import Letter, Membership, Officer
from overview import dashboard, reminders
from overview.models import ReminderSent
from overview.reports import annual_report_reference
from tests.factories import (
    FollowUpFactory,
    OfficerFactory,
    StudyVisitFactory,
    UserFactory,
)
from visits.models import FollowUp

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2024, 10, 16)


def days(count):
    return TODAY + datetime.timedelta(days=count)


def pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


@pytest.fixture
def follow_ups(kampar, sleman):
    """Kampar's follow-ups of its visit to Sleman: one overdue, one due in 30 days, one
    in 31, one done; and one of Sleman's, due tomorrow."""
    visit = StudyVisitFactory(visiting_body=kampar, host_body=sleman, date=days(-30))
    return {
        "overdue": FollowUpFactory(visit=visit, action="Menyusun pedoman", due_on=days(-1)),
        "due": FollowUpFactory(visit=visit, action="Mendata LKS", due_on=days(30)),
        "later": FollowUpFactory(visit=visit, action="Rapat evaluasi", due_on=days(31)),
        "done": FollowUpFactory(
            visit=visit,
            action="Mengirim surat terima kasih",
            due_on=days(-5),
            status=FollowUp.Status.DONE,
            outcome="Terkirim.",
        ),
        "sleman": FollowUpFactory(
            visit=visit, body=sleman, action="Mengirim SOP Sleman", due_on=days(1)
        ),
    }


def test_the_due_items_hold_the_bodys_open_follow_ups_due_within_30_days(kampar, follow_ups):
    items = [item for item in reminders.due_items(kampar, TODAY) if item.kind.startswith("visit")]

    assert [(item.title, item.kind, item.days_left, item.threshold) for item in items] == [
        ("Menyusun pedoman", ReminderSent.Kind.FOLLOW_UP_OVERDUE, -1, "overdue-0"),
        ("Mendata LKS", ReminderSent.Kind.FOLLOW_UP_DUE, 30, "due"),
    ]
    assert items[0].url == follow_ups["overdue"].visit.get_absolute_url() + "#follow-ups"


def test_the_digest_reminds_of_a_follow_up_once_per_threshold(kampar, follow_ups):
    user = UserFactory(email="staf-kampar@example.org")
    Membership.objects.create(user=user, body=kampar, role=Membership.Role.STAFF)

    call_command("send_reminders", f"--date={TODAY}", "--body=kampar")
    call_command("send_reminders", f"--date={TODAY}", "--body=kampar")

    assert len(mail.outbox) == 1
    text = mail.outbox[0].body
    assert "Tindak lanjut studi tiru yang jatuh tempo atau terlambat" in text
    assert "Menyusun pedoman" in text
    assert "Mengirim SOP Sleman" not in text  # Sleman's own, in Sleman's digest
    assert ReminderSent.objects.filter(kind__startswith="visit").count() == 2


def test_the_due_list_shows_the_follow_ups(client_of, staff, follow_ups, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)

    response = client_of(staff).get(reverse("due-list"))

    titles = [item.title for item in response.context["items"]]
    assert "Menyusun pedoman" in titles
    assert "Rapat evaluasi" not in titles
    assert "Menyusun pedoman" in response.content.decode()


def test_the_dashboard_lists_the_follow_ups_due(kampar, follow_ups):
    board = dashboard.dashboard(kampar, 2024, years=[2024], today=TODAY)

    assert [(row.action.label, row.days) for row in board.follow_ups] == [
        ("Menyusun pedoman", -1),
        ("Mendata LKS", 30),
    ]


def test_the_dashboard_page_shows_the_follow_ups_section(client_of, staff, follow_ups):
    page = client_of(staff).get(reverse("home"), {"year": 2024}).content.decode()

    assert "Tindak lanjut studi tiru" in page


def test_a_follow_up_changed_refreshes_the_cached_dashboard(kampar, follow_ups):
    before = dashboard.data_version()
    follow_ups["due"].status = FollowUp.Status.DONE
    follow_ups["due"].outcome = "Selesai."
    follow_ups["due"].save()

    assert dashboard.data_version() != before


def test_the_comparison_links_to_the_visits_between_the_bodies(
    client_of, provincial, kampar, sleman
):
    between = StudyVisitFactory(visiting_body=kampar, host_body=sleman)
    StudyVisitFactory(visiting_body=kampar, host_body=None, host_name="Dinas Sosial DIY")

    response = client_of(provincial).get(reverse("compare"))

    assert list(response.context["visits"]) == [between]
    assert between.get_absolute_url() in response.content.decode()


# The annual report: its number and its signatories


@pytest.fixture
def signed(kampar):
    kampar.signing_place = "Bangkinang"
    kampar.letter_number_pattern = "{seq:03d}/LKKS-KPR/{kind}/{month_roman}/{year}"
    kampar.save()
    chair = OfficerFactory(
        decree__body=kampar, name="Ricana Djayanti Hambali, B.Dsg", term_end=None
    )
    OfficerFactory(
        decree=chair.decree,
        position=Officer.Position.SECRETARY,
        name="Nurhayati, S.Sos",
        term_end=None,
    )
    return kampar


def annual_url(**query):
    return reverse("report-annual") + "?" + "&".join(f"{k}={v}" for k, v in query.items())


def test_staff_number_the_annual_report_once_and_it_prints_number_place_and_signers(
    client_of, staff, signed, run_worker, django_capture_on_commit_callbacks
):
    client = client_of(staff)
    number_url = reverse("report-annual-number")

    first = client.post(number_url, {"body": "kampar", "year": "2024"})
    again = client.post(number_url, {"body": "kampar", "year": "2024"})
    # The PDF is made by the worker (jobs/).
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("report-annual-pdf"), {"body": "kampar", "year": "2024"})
    run_worker()

    assert first.status_code == again.status_code == 302
    letter = Letter.objects.get(reference=annual_report_reference(2024))
    assert Letter.objects.count() == 1
    job = Job.objects.get()
    assert job.status == Job.Status.SUCCEEDED, job.message
    text = pdf_text(job.result.read())
    date = letter.date.strftime("%d").lstrip("0")
    for expected in [
        f"Nomor: {letter.number}",
        f"Bangkinang, {date}",
        "Sekretaris LKKS Kabupaten Kampar",
        "Nurhayati, S.Sos",
        "Ketua Umum LKKS Kabupaten Kampar",
        "Ricana Djayanti Hambali, B.Dsg",
    ]:
        assert expected in text, expected


def test_an_unnumbered_annual_report_says_so_and_names_a_missing_signer(client_of, staff, kampar):
    OfficerFactory(decree__body=kampar, name="Ricana Djayanti Hambali, B.Dsg", term_end=None)

    response = client_of(staff).get(annual_url(body="kampar", year=2024))

    text = " ".join(response.content.decode().split())
    assert "belum bernomor" in text
    assert "Sekretaris belum tercatat" in text
    assert response.context["can_number"]


def test_only_the_bodys_staff_number_its_annual_report(
    client_of, official, other_staff, provincial, kampar
):
    data = {"body": "kampar", "year": "2024"}
    number_url = reverse("report-annual-number")

    assert client_of(official).post(number_url, data).status_code == 403
    assert client_of(provincial).post(number_url, data).status_code == 403
    assert client_of(other_staff).post(number_url, data).status_code == 404
    assert (
        client_of(official).get(annual_url(body="kampar", year=2024)).context["can_number"] is False
    )
    assert not Letter.objects.exists()


def test_a_bad_year_takes_no_number(client_of, staff, kampar):
    response = client_of(staff).post(
        reverse("report-annual-number"), {"body": "kampar", "year": "1999"}
    )

    assert response.status_code == 400
    assert not Letter.objects.exists()

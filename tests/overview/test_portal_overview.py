"""What the roof reads of the LKS portal: applications waiting too long and verified
documents expiring (dashboard, due list and its export, staff digest), and the digest
each LKS receives of its own papers. Only verified documents ever count."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lkks.models import Membership
from members.applications import Application
from overview import dashboard, reminders
from overview.models import ReminderSent
from tests.factories import (
    AccreditationFactory,
    ApplicationFactory,
    LegalDocumentFactory,
    LksAccountFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    UploadedDocumentFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 1, 15)
Kind = ReminderSent.Kind


def days(count):
    return TODAY + datetime.timedelta(days=count)


def in_process_since(body, name, submitted_on):
    organisation = OrganisationFactory(body=body, name=name)
    RegistrationFactory(
        organisation=organisation,
        status="submitted",
        number="",
        issued_on=None,
        valid_until=None,
        submitted_on=submitted_on,
    )
    return organisation


@pytest.fixture
def sleman_waiting(sleman):
    """Sleman on 15 January 2025: an LKS in process since September 2024 (too long), one
    since November (not yet); a portal application submitted in August (too long)."""
    in_process_since(sleman, "Al Ghifari Turi", datetime.date(2024, 9, 2))
    in_process_since(sleman, "Baru Mengajukan", datetime.date(2024, 11, 20))
    ApplicationFactory(
        organisation=OrganisationFactory(body=sleman, name="Lewat Portal"),
        kind=Application.Kind.RECOMMENDATION,
        purpose="Hibah",
        status=Application.Status.SUBMITTED,
        submitted_on=datetime.date(2024, 8, 1),
    )
    return sleman


@pytest.fixture
def expiring_documents(kampar):
    """A verified operating permit ending in 30 days; the same, awaiting verification
    or refused, which never count; a renewed one outlasted by its successor."""
    lks = OrganisationFactory(body=kampar, name="Panti Berizin")
    LegalDocumentFactory(organisation=lks, number="IO/30", valid_until=days(30))
    UploadedDocumentFactory(organisation=lks, number="IO/BELUM", valid_until=days(30))
    UploadedDocumentFactory(
        organisation=lks, number="IO/TOLAK", valid_until=days(30), verification="refused"
    )
    renewed = OrganisationFactory(body=kampar, name="Panti Diperpanjang")
    LegalDocumentFactory(organisation=renewed, number="IO/LAMA", valid_until=days(60))
    LegalDocumentFactory(organisation=renewed, number="IO/BARU", valid_until=days(2000))
    return lks


def test_the_dashboard_lists_what_waits_too_long(sleman_waiting):
    board = dashboard.dashboard(sleman_waiting, 2025, years=[], today=TODAY)

    assert [(row.organisation_name, row.days) for row in board.waiting_too_long] == [
        ("Lewat Portal", 167),
        ("Al Ghifari Turi", 135),
    ]


def test_the_dashboard_page_flags_them(client_of, sleman, member):
    today = timezone.localdate()
    in_process_since(sleman, "Al Ghifari Turi", today - datetime.timedelta(days=120))
    in_process_since(sleman, "Baru Mengajukan", today - datetime.timedelta(days=10))
    client = client_of(member(sleman))

    response = client.get(reverse("home"))

    assert "1 permohonan menunggu lebih dari 90 hari" in response.text
    assert "Al Ghifari Turi" in response.text


def test_the_dashboard_counts_only_verified_documents(kampar, expiring_documents):
    board = dashboard.dashboard(kampar, 2025, years=[], today=TODAY)

    assert [row.number for row in board.expiring_documents] == ["IO/30"]


def test_the_due_list_and_its_export_hold_the_waiting_and_verified_documents(
    client_of, sleman_waiting, expiring_documents, member
):
    items = reminders.due_items(sleman_waiting, TODAY)
    kampar_items = reminders.due_items(expiring_documents.body, TODAY)
    client = client_of(member(sleman_waiting))

    export = client.get(reverse("due-export"), {"format": "csv"})

    assert [(item.kind, item.title, item.days_left) for item in items] == [
        (Kind.WAITING, "Lewat Portal", -77),
        (Kind.WAITING, "Al Ghifari Turi", -45),
    ]
    assert [(item.kind, item.detail.split()[-1]) for item in kampar_items] == [
        (Kind.DOCUMENT, "IO/30")
    ]
    assert "Al Ghifari Turi" in b"".join(export.streaming_content).decode("utf-8-sig")


def test_the_staff_digest_reminds_of_a_wait_when_it_begins_and_every_30_days(sleman):
    MembershipFactory(body=sleman, user=UserFactory(email="staf@example.org"))
    in_process_since(sleman, "Al Ghifari Turi", datetime.date(2024, 9, 2))
    first_day = datetime.date(2024, 12, 2)  # 91 days

    sent = {
        day: bool(reminders.send_digest(sleman, day).sent)
        for day in [
            first_day - datetime.timedelta(days=1),
            first_day,
            first_day + datetime.timedelta(days=1),
            first_day + datetime.timedelta(days=30),
        ]
    }

    assert list(sent.values()) == [False, True, False, True]
    assert "Permohonan yang menunggu terlalu lama" in mail.outbox[0].body


# Each LKS's own digest


@pytest.fixture
def lks_papers(kampar):
    """An LKS whose registration ends in 90 days, accreditation in 30, verified permit
    today, and awaiting permit in 30 (never reminded); two people, one disabled."""
    lks = OrganisationFactory(body=kampar, name="Panti Asuhan Al-Ikhlas", email="lks@example.org")
    RegistrationFactory(
        organisation=lks,
        number="460/1/TD",
        submitted_on=datetime.date(2020, 3, 2),
        issued_on=datetime.date(2020, 4, 15),
        valid_until=days(90),
    )
    AccreditationFactory(
        organisation=lks,
        accredited_on=datetime.date(2022, 2, 14),
        valid_until=days(30),
        certificate_number="BALKS/B/7",
    )
    LegalDocumentFactory(organisation=lks, number="IO/HARI-INI", valid_until=TODAY)
    UploadedDocumentFactory(organisation=lks, number="IO/BELUM", valid_until=days(30))
    LksAccountFactory(organisation=lks, user__email="rina@example.org")
    LksAccountFactory(organisation=lks, user__email="lama@example.org", active=False)
    return lks


def test_each_lks_receives_its_own_papers_once(kampar, lks_papers, settings):
    settings.SITE_URL = "https://lkks.example.go.id"
    other = OrganisationFactory(body=kampar, name="LKS Lain", email="lain@example.org")

    digests = reminders.send_lks_digests(kampar, TODAY)
    again = reminders.send_lks_digests(kampar, TODAY)

    [message] = mail.outbox
    assert [digest.organisation for digest in digests] == [lks_papers]
    assert message.to == ["lks@example.org", "rina@example.org"]
    assert message.subject == "Panti Asuhan Al-Ikhlas: 3 dokumen segera berakhir"
    assert "460/1/TD" in message.body
    assert "BALKS/B/7" in message.body
    assert "IO/HARI-INI" in message.body
    assert "hari ini hari terakhirnya" in message.body
    assert "IO/BELUM" not in message.body
    assert "https://lkks.example.go.id/portal/" in message.body
    assert other.name not in message.body
    assert [digest.items for digest in again] == [[]]
    assert ReminderSent.objects.filter(item__startswith="lks:").count() == 3


def test_the_lks_digest_is_apart_from_the_staffs(kampar, lks_papers):
    MembershipFactory(body=kampar, user=UserFactory(email="staf@example.org"))

    reminders.send_digest(kampar, TODAY)
    reminders.send_lks_digests(kampar, TODAY)

    assert sorted(tuple(message.to) for message in mail.outbox) == [
        ("lks@example.org", "rina@example.org"),
        ("staf@example.org",),
    ]


def test_an_lks_without_any_address_records_nothing(kampar, lks_papers):
    lks_papers.email = ""
    lks_papers.save()
    lks_papers.lks_accounts.update(active=False)

    [digest] = reminders.send_lks_digests(kampar, TODAY)

    assert digest.items
    assert not digest.sent
    assert mail.outbox == []
    assert not ReminderSent.objects.exists()


def test_the_command_sends_the_lks_digests_too(kampar, lks_papers, capsys):
    MembershipFactory(body=kampar, role=Membership.Role.STAFF)

    call_command("send_reminders", "--date", TODAY.isoformat())

    assert "Panti Asuhan Al-Ikhlas: sent 3 item(s) to the LKS." in capsys.readouterr().out

"""The reminder digest: what is due, who gets it, and that nothing is sent twice."""

import datetime
import io
import smtplib

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jobs import jobs
from jobs.models import Job
from lkks.models import Membership
from members.models import Registration
from overview import reminders
from overview.models import ReminderSent
from tests.factories import (
    AccreditationFactory,
    FunderFactory,
    GrantFactory,
    LpjSubmissionFactory,
    MembershipFactory,
    OrganisationFactory,
    RegistrationFactory,
    UserFactory,
)

TODAY = datetime.date(2024, 10, 16)


def days(count):
    return TODAY + datetime.timedelta(days=count)


def registered(body, name, valid_until, **fields):
    organisation = OrganisationFactory(body=body, name=name)
    fields.setdefault("submitted_on", datetime.date(2021, 12, 1))
    fields.setdefault("issued_on", datetime.date(2022, 1, 10))
    RegistrationFactory(organisation=organisation, valid_until=valid_until, **fields)
    return organisation


def staff_with_email(body, email, role=Membership.Role.STAFF, **fields):
    user = UserFactory(email=email, **fields)
    MembershipFactory(user=user, body=body, role=role)
    return user


@pytest.fixture
def kampar_due(kampar):
    """Kampar on 16 October 2024: a registration expiring in 90 days, an accreditation
    in 30, a registration today, one in 89 days (no threshold), and records that must
    not be reminded; an LPJ due in 10 days and one 5 days overdue."""
    registered(kampar, "LKS Sembilan Puluh", days(90))
    accredited = OrganisationFactory(body=kampar, name="LKS Akreditasi Tiga Puluh")
    AccreditationFactory(
        organisation=accredited,
        grade="C",
        accredited_on=datetime.date(2022, 11, 15),
        valid_until=days(30),
        certificate_number="BALKS/C/01",
    )
    registered(kampar, "LKS Hari Ini", TODAY)
    registered(kampar, "LKS Delapan Puluh Sembilan", days(89))
    renewed = registered(kampar, "LKS Sudah Diperpanjang", days(30))
    RegistrationFactory(
        organisation=renewed,
        submitted_on=datetime.date(2024, 8, 1),
        issued_on=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2029, 8, 31),
        is_renewal=True,
    )
    revoked = registered(kampar, "LKS Dicabut", days(30))
    RegistrationFactory(
        organisation=revoked,
        status=Registration.Status.REVOKED,
        number="",
        submitted_on=None,
        issued_on=datetime.date(2024, 5, 1),
        valid_until=None,
    )
    renewed_accreditation = OrganisationFactory(body=kampar, name="LKS Akreditasi Baru")
    AccreditationFactory(
        organisation=renewed_accreditation,
        accredited_on=datetime.date(2021, 11, 15),
        valid_until=days(30),
    )
    AccreditationFactory(
        organisation=renewed_accreditation,
        grade="A",
        accredited_on=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2029, 9, 1),
    )
    funder = FunderFactory(body=kampar, name="Pemerintah Kabupaten Kampar")
    GrantFactory(funder=funder, name="Hibah jatuh tempo", lpj_due_on=days(10))
    GrantFactory(funder=funder, name="Hibah terlambat", lpj_due_on=days(-5))
    LpjSubmissionFactory(
        grant=GrantFactory(funder=funder, name="Hibah sudah LPJ", lpj_due_on=days(10)),
        submitted_on=days(-1),
    )
    GrantFactory(funder=funder, name="Hibah usulan", lpj_due_on=days(10), proposed=True)
    GrantFactory(funder=funder, name="Hibah masih lama", lpj_due_on=days(31))
    return kampar


@pytest.fixture
def sleman_due(sleman):
    registered(sleman, "LKS Sleman Tiga Puluh", days(30))
    return sleman


@pytest.fixture
def people(kampar, sleman):
    """Who gets the digests: active staff with an email, of their own body only."""
    return {
        "kampar": staff_with_email(kampar, "staf@kampar.example.org"),
        "kampar_2": staff_with_email(kampar, "operator@kampar.example.org"),
        "no_email": staff_with_email(kampar, ""),
        "official": staff_with_email(
            kampar, "pejabat@kampar.example.org", Membership.Role.OFFICIAL
        ),
        "inactive": staff_with_email(kampar, "lama@kampar.example.org", is_active=False),
        "sleman": staff_with_email(sleman, "staf@sleman.example.org"),
    }


def digest_of(slug):
    [message] = [m for m in mail.outbox if slug.capitalize() in m.subject]
    return message


# What is due


@pytest.mark.django_db
def test_due_items_are_the_current_records_expiring_within_90_days_and_open_lpjs(
    kampar_due, sleman_due
):
    items = reminders.due_items(kampar_due, TODAY)

    assert [(item.title, item.kind, item.days_left, item.threshold) for item in items] == [
        ("Hibah terlambat (2024)", "lpj_overdue", -5, "overdue-0"),
        ("LKS Hari Ini", "registration", 0, "0"),
        ("Hibah jatuh tempo (2024)", "lpj_due", 10, "due"),
        ("LKS Akreditasi Tiga Puluh", "accreditation", 30, "30"),
        ("LKS Delapan Puluh Sembilan", "registration", 89, None),
        ("LKS Sembilan Puluh", "registration", 90, "90"),
    ]


@pytest.mark.django_db
def test_due_items_take_seven_queries_however_many_there_are(kampar_due):
    with CaptureQueriesContext(connection) as few:
        reminders.due_items(kampar_due, TODAY)
    for number in range(10):
        registered(kampar_due, f"LKS tambahan {number}", days(number))
    with CaptureQueriesContext(connection) as many:
        assert len(reminders.due_items(kampar_due, TODAY)) == 16
    assert len(many) == len(few) == 7


# The digest


@pytest.mark.django_db
def test_each_body_gets_one_digest_of_its_own_items_sent_to_its_staff(
    kampar_due, sleman_due, people
):
    call_command("send_reminders", f"--date={TODAY}")

    assert len(mail.outbox) == 2
    kampar = digest_of("kampar")
    assert kampar.to == ["operator@kampar.example.org", "staf@kampar.example.org"]
    assert "5" in kampar.subject  # five items
    text = kampar.body
    for name in (
        "LKS Sembilan Puluh",
        "LKS Akreditasi Tiga Puluh",
        "LKS Hari Ini",
        "Hibah jatuh tempo",
        "Hibah terlambat",
    ):
        assert name in text
        assert name in kampar.alternatives[0].content
    for name in (
        "Delapan Puluh Sembilan",
        "Diperpanjang",
        "Dicabut",
        "Akreditasi Baru",
        "sudah LPJ",
        "usulan",
        "masih lama",
        "Sleman",
    ):
        assert name not in text
    sleman = digest_of("sleman")
    assert sleman.to == ["staf@sleman.example.org"]
    assert "LKS Sleman Tiga Puluh" in sleman.body
    assert "Kampar" not in sleman.body


@pytest.mark.django_db
def test_a_second_run_on_the_same_day_sends_nothing(kampar_due, sleman_due, people):
    call_command("send_reminders", f"--date={TODAY}")
    recorded = ReminderSent.objects.count()

    call_command("send_reminders", f"--date={TODAY}")

    assert len(mail.outbox) == 2
    assert recorded == 6
    assert ReminderSent.objects.count() == recorded


@pytest.mark.django_db
def test_the_next_threshold_day_sends_again(kampar_due, people):
    call_command("send_reminders", f"--date={TODAY}")
    mail.outbox.clear()

    call_command("send_reminders", f"--date={days(1)}")  # an LPJ comes within 30 days
    [message] = mail.outbox
    assert "Hibah masih lama" in message.body
    assert "LKS" not in message.body
    mail.outbox.clear()

    call_command("send_reminders", f"--date={days(2)}")  # nothing reaches a threshold
    assert mail.outbox == []

    call_command("send_reminders", f"--date={days(60)}")  # 90 days → 30 days left
    [message] = mail.outbox
    assert "LKS Sembilan Puluh" in message.body
    assert "LKS Akreditasi Tiga Puluh" not in message.body  # expired a month ago
    assert ReminderSent.objects.filter(sent_on=days(60), threshold="30").count() == 1


@pytest.mark.django_db
def test_an_overdue_lpj_is_reminded_again_every_30_days(kampar, people):
    GrantFactory(funder=FunderFactory(body=kampar), name="Hibah terlambat", lpj_due_on=days(-1))

    sent = []
    for offset in range(65):
        mail.outbox.clear()
        reminders.send_digest(kampar, days(offset))
        if mail.outbox:
            sent.append(offset)

    assert sent == [0, 30, 60]  # 1, 31 and 61 days overdue


@pytest.mark.django_db
def test_a_due_lpj_is_reminded_once_when_it_comes_within_30_days(kampar, people):
    GrantFactory(funder=FunderFactory(body=kampar), name="Hibah", lpj_due_on=days(40))

    sent = []
    for offset in range(41):
        mail.outbox.clear()
        reminders.send_digest(kampar, days(offset))
        if mail.outbox:
            sent.append(offset)

    assert sent == [10]


@pytest.mark.django_db
def test_a_dry_run_sends_and_records_nothing(kampar_due, people, capsys):
    call_command("send_reminders", f"--date={TODAY}", dry_run=True)

    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "LKS Sembilan Puluh" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_body_without_staff_emails_records_nothing_so_nothing_is_lost(kampar_due, capsys):
    call_command("send_reminders", f"--date={TODAY}")

    assert mail.outbox == []
    assert not ReminderSent.objects.exists()
    assert "no staff with an email" in capsys.readouterr().err


@pytest.mark.django_db
def test_when_the_mail_server_fails_nothing_is_recorded_and_the_run_fails(
    kampar_due, people, monkeypatch
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)

    with pytest.raises(CommandError, match="could not be sent"):
        call_command("send_reminders", f"--date={TODAY}")
    assert not ReminderSent.objects.exists()

    monkeypatch.undo()
    call_command("send_reminders", f"--date={TODAY}")
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_one_body_only(kampar_due, sleman_due, people):
    call_command("send_reminders", f"--date={TODAY}", body=["sleman"])

    [message] = mail.outbox
    assert message.to == ["staf@sleman.example.org"]


@pytest.mark.django_db
def test_an_unknown_body_or_date_is_refused(kampar):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("send_reminders", body=["nowhere"])
    with pytest.raises(CommandError, match="not a date"):
        call_command("send_reminders", "--date", "2024-13-01")


@pytest.mark.django_db
def test_the_digest_links_to_the_site_when_its_address_is_known(kampar_due, people, settings):
    settings.SITE_URL = "https://lkks.example.go.id"

    reminders.send_digest(kampar_due, TODAY)

    [message] = mail.outbox
    assert "https://lkks.example.go.id/members/" in message.body
    assert 'href="https://lkks.example.go.id/grants/' in message.alternatives[0].content


@pytest.mark.django_db
def test_the_reminder_is_recorded_per_item_threshold_and_due_date(kampar_due, people):
    reminders.send_digest(kampar_due, TODAY)

    row = ReminderSent.objects.get(threshold="90")
    assert row.body == kampar_due
    assert row.kind == ReminderSent.Kind.REGISTRATION
    assert row.item.startswith("members.registration:")
    assert (row.due_on, row.sent_on) == (days(90), TODAY)
    assert ReminderSent.objects.filter(kind="lpj_overdue").count() == 1


def test_what_was_sent_sorts_without_joining_the_bodies():
    assert "JOIN" not in str(ReminderSent.objects.all().query)


# The digests as a job of the worker (the daily timer runs send_reminders --enqueue)


@pytest.mark.django_db
def test_the_timer_hands_the_digests_to_the_worker(
    kampar_due, sleman_due, people, run_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", f"--date={TODAY}", "--enqueue", stdout=io.StringIO())
    job = Job.objects.get()
    assert (job.user, job.kind, job.title) == (None, "reminders", "Pengingat harian 2024-10-16")
    assert job.params == {"date": "2024-10-16", "bodies": None}
    assert mail.outbox == []

    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert job.message == "6 pengingat terkirim untuk 2 lembaga."
    assert len(mail.outbox) == 2
    assert ReminderSent.objects.count() == 6


@pytest.mark.django_db
def test_a_digest_job_the_mail_server_refused_says_so_and_sends_on_retry(
    kampar_due, people, run_worker, django_capture_on_commit_callbacks, monkeypatch
):
    def refuse(self, messages):
        raise smtplib.SMTPServerDisconnected("connection closed")

    # Not monkeypatch.undo(): that would undo run_worker's own patch too.
    with monkeypatch.context() as patched:
        patched.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_reminders", f"--date={TODAY}", "--enqueue", stdout=io.StringIO())
        run_worker()

    job = Job.objects.get()
    assert job.status == Job.Status.FAILED
    assert job.message == (
        "Ringkasan untuk LKKS Kabupaten Kampar tidak dapat dikirim: server surel menolaknya."
    )
    assert not ReminderSent.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.retry(job)
    run_worker()

    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_dry_run_is_never_enqueued(kampar_due):
    with pytest.raises(CommandError, match="dry-run"):
        call_command("send_reminders", "--enqueue", "--dry-run")
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_the_digest_columns_fit_every_kind_of_row(kampar_due, people):
    """Follow-ups, documents and applications are in the digest too, so its columns
    are headed as on /due/, not "Name" and "Number"."""
    reminders.send_digest(kampar_due, TODAY)

    [message] = mail.outbox
    html = message.alternatives[0].content
    assert "<th>Perihal</th><th>Rincian</th><th>Jatuh tempo</th><th>Sisa hari</th>" in html

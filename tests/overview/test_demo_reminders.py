"""A fresh demo sends its reminders: its staff have (example) addresses, and the LPJ
rows of the digest name each grant by its agreement number, linked to the grant."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.test.utils import override_settings

from grants.models import Grant
from lkks.models import Body, Membership, User
from overview import reminders

pytestmark = pytest.mark.django_db

# 30 days before the LPJ of the demo's 2024 grants is due (10 January 2025).
LPJ_REMINDER_DAY = datetime.date(2024, 12, 11)


@pytest.fixture
def demo(settings):
    settings.SITE_URL = "https://lkks.example.go.id"
    with override_settings(DEBUG=True):
        call_command("load_demo", stdout=StringIO())


def test_every_demo_user_has_an_example_address(demo):
    users = User.objects.exclude(username="admin")

    assert users.exists()
    assert {user.email for user in users} == {f"{user.username}@example.org" for user in users}
    staff = Membership.objects.filter(role=Membership.Role.STAFF).values_list(
        "user__email", flat=True
    )
    assert set(staff) == {"staf-kampar@example.org", "staf-sleman@example.org"}


def test_a_fresh_demo_sends_each_body_its_digest(demo):
    call_command("send_reminders", f"--date={LPJ_REMINDER_DAY}", stdout=StringIO())

    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == ["staf-kampar@example.org", "staf-sleman@example.org"]


def test_the_lpj_rows_show_the_agreement_number_and_link_to_the_grant(demo):
    kampar = Body.objects.get(slug="kampar")
    due = [
        item
        for item in reminders.digest_items(kampar, LPJ_REMINDER_DAY)
        if item.kind == reminders.Kind.LPJ_DUE
    ]
    assert due

    reminders.send_digest(kampar, LPJ_REMINDER_DAY)

    [message] = mail.outbox
    html = message.alternatives[0].content
    for item in due:
        grant = Grant.objects.with_agreement().get(pk=item.item.split(":")[1])
        assert grant.agreement_number
        assert item.detail == grant.agreement_number
        assert f"<td>{grant.agreement_number}</td>" in html
        assert f'href="https://lkks.example.go.id{grant.get_absolute_url()}"' in html
        assert f"https://lkks.example.go.id{grant.get_absolute_url()}" in message.body
        assert grant.funder.name not in html

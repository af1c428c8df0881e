"""The list of what is due (registrations, accreditations, LPJ) and its export."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from overview import dashboard, policy, reminders
from tests.factories import FunderFactory, GrantFactory, OrganisationFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def expiring(body, days, name):
    today = timezone.localdate()
    return RegistrationFactory(
        organisation=OrganisationFactory(body=body, name=name),
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today + datetime.timedelta(days=days),
    )


def test_the_list_shows_what_expires_within_90_days_of_the_body_only(kampar, sleman, staff_client):
    expiring(kampar, 30, "LKS Habis Sebulan")
    expiring(kampar, 120, "LKS Masih Lama")
    expiring(sleman, 10, "LKS Sleman Lain")
    page = staff_client.get("/due/").content.decode()
    assert "LKS Habis Sebulan" in page
    assert "LKS Masih Lama" not in page
    assert "LKS Sleman Lain" not in page


def test_the_export_holds_the_same_rows(kampar, staff_client):
    registration = expiring(kampar, 30, "=LKS Rumus")
    response = staff_client.get("/due/export/?format=csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][1] == "'=LKS Rumus"  # a formula is neutralised
    assert rows[1][2] == registration.number
    assert rows[1][4] == "30"


def test_an_unknown_format_is_refused(staff_client):
    assert staff_client.get("/due/export/?format=pdf").status_code == 400


@pytest.mark.parametrize("url", ["/due/", "/due/export/?format=xlsx"])
def test_the_query_count_does_not_grow_with_the_rows(kampar, staff_client, url):
    def count(rows):
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        assert response.status_code == 200
        return len(queries)

    for number in range(5):
        expiring(kampar, 10 + number, f"LKS {number}")
    five = count(5)
    for number in range(5, 50):
        expiring(kampar, 10 + number, f"LKS {number}")
    assert count(50) == five


def test_the_dashboard_the_list_and_the_digest_share_one_policy(kampar):
    """What the dashboard calls expiring or due is what /due/ lists and what the digest
    reminds of: the windows of overview.policy, their last day included."""
    today = timezone.localdate()
    expiring(kampar, policy.EXPIRY_WINDOW_DAYS, "LKS Tepat Waktu")
    expiring(kampar, policy.EXPIRY_WINDOW_DAYS + 1, "LKS Masih Lama")
    funder = FunderFactory(body=kampar)
    lpj_due = GrantFactory(
        funder=funder, lpj_due_on=today + datetime.timedelta(days=policy.LPJ_DUE_WINDOW_DAYS)
    )
    GrantFactory(
        funder=funder, lpj_due_on=today + datetime.timedelta(days=policy.LPJ_DUE_WINDOW_DAYS + 1)
    )

    board = dashboard.dashboard(kampar, today.year, years=[today.year], today=today)
    items = reminders.due_items(kampar, today)

    assert [row.organisation.label for row in board.expiring_registrations] == ["LKS Tepat Waktu"]
    assert [row.grant.url for row in board.lpj_due] == [lpj_due.get_absolute_url()]
    assert [(item.title, item.threshold) for item in items] == [
        (str(lpj_due), "due"),
        ("LKS Tepat Waktu", str(policy.EXPIRY_WINDOW_DAYS)),
    ]
    assert max(policy.EXPIRY_REMINDER_DAYS) == policy.EXPIRY_WINDOW_DAYS

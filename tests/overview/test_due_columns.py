"""The columns of /due/ and its export fit every kind of row (#12): what is due, what it
concerns (an LKS, a grant, a follow-up action) and its details (a number, a document,
the agreement, the visit), in the user's language."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import (
    FollowUpFactory,
    FunderFactory,
    GrantFactory,
    LegalDocumentFactory,
    OrganisationFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db

HEADINGS = {
    "id": ["Jenis", "Perihal", "Rincian", "Jatuh tempo", "Sisa hari"],
    "en": ["What", "Subject", "Details", "Due on", "Days left"],
}
OLD_HEADINGS = ["LKS atau hibah", "Nomor, peringkat atau pemberi dana", "LKS or grant"]


@pytest.fixture
def due(kampar, sleman):
    """One row of four kinds: a registration and an operating permit expiring, an LPJ
    overdue, a follow-up of a visit due; as (subject, what its details hold) of each."""
    today = timezone.localdate()
    lks = OrganisationFactory(body=kampar, name="Panti Asuhan Al-Ikhlas")
    registration = RegistrationFactory(
        organisation=lks,
        issued_on=today - datetime.timedelta(days=400),
        valid_until=today + datetime.timedelta(days=20),
    )
    document = LegalDocumentFactory(
        organisation=lks,
        number="IO/0042",
        valid_until=today + datetime.timedelta(days=40),
    )
    grant = GrantFactory(
        funder=FunderFactory(body=kampar, name="Pemerintah Kabupaten Kampar"),
        name="Hibah APBD Kampar",
        agreement__number="NPHD/001/2024",
    )
    grant.lpj_due_on = today - datetime.timedelta(days=5)
    grant.save()
    follow_up = FollowUpFactory(
        visit__visiting_body=kampar,
        visit__host_body=sleman,
        action="Menyusun SOP pendampingan LKS",
        due_on=today + datetime.timedelta(days=10),
    )
    return [
        ("Panti Asuhan Al-Ikhlas", registration.number),
        ("Panti Asuhan Al-Ikhlas", document.number),
        (str(grant), "NPHD/001/2024"),
        ("Menyusun SOP pendampingan LKS", str(follow_up.visit)),
    ]


def export_rows(client):
    response = client.get("/due/export/?format=csv")
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_export_names_its_columns_for_every_kind_of_row(due, staff_client, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    heading, *rows = export_rows(staff_client)

    assert heading == HEADINGS[language]
    assert len(rows) == len(due)
    for subject, details in due:
        assert any(row[1] == subject and details in row[2] for row in rows), subject


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_list_names_its_columns_for_every_kind_of_row(due, staff_client, language):
    staff_client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = staff_client.get("/due/").text

    head = page[page.index("<thead>") : page.index("</thead>")]
    assert [heading for heading in HEADINGS[language] if f">{heading}</th>" in head] == (
        HEADINGS[language]
    )
    for old in OLD_HEADINGS:
        assert old not in page
    for subject, details in due:
        assert subject in page
        assert details in page

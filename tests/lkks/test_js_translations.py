"""The admin's date and time widgets speak Indonesian: every message of the admin's
scripts (calendar, clock, shortcuts) is in the JavaScript catalogue the admin loads,
Django 6.1's own Indonesian catalogue completed by locale/id/LC_MESSAGES/djangojs.po."""

import json
import re
from pathlib import Path

import django
import pytest
from django.conf import settings
from django.urls import reverse

from tests.lkks.test_translations import msgids

ADMIN_MESSAGES = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
OUR_CATALOGUE = Path(settings.BASE_DIR) / "locale/id/LC_MESSAGES/djangojs.po"

pytestmark = pytest.mark.django_db


def javascript_catalogue(client, language):
    """The messages of the admin's /jsi18n/ for a language, as its script holds them."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("admin:jsi18n"))
    assert response.status_code == 200
    found = re.search(r"const newcatalog = (\{.*?\});", response.text, re.S)
    return json.loads(found.group(1)) if found else {}  # none in English


def key(context, msgid):
    return f"{context}\x04{msgid}" if context else msgid


def test_every_message_of_the_admins_scripts_is_indonesian(admin_client):
    catalogue = javascript_catalogue(admin_client, "id")
    english = msgids(ADMIN_MESSAGES.read_text(encoding="utf-8"))

    assert len(english) > 80
    missing = sorted(msgid for context, msgid in english if key(context, msgid) not in catalogue)
    assert missing == []


@pytest.mark.parametrize(
    ("english", "indonesian"),
    [
        ("January", "Januari"),
        ("Today", "Hari ini"),
        ("Now", "Sekarang"),
        ("Choose a Date", "Pilih Tanggal"),
        ("Today (%(date)s)", "Hari ini (%(date)s)"),
        ("Yesterday (%(date)s)", "Kemarin (%(date)s)"),
        ("Next (%(month)s %(year)s)", "Berikutnya (%(month)s %(year)s)"),
        ("%(month)s %(day)s, %(year)s", "%(day)s %(month)s %(year)s"),
        ("%s (today)", "%s (hari ini)"),
    ],
)
def test_the_calendar_and_the_clock_speak_indonesian(admin_client, english, indonesian):
    assert javascript_catalogue(admin_client, "id")[english] == indonesian


def test_the_note_on_time_zones_has_its_indonesian_form(admin_client):
    catalogue = javascript_catalogue(admin_client, "id")

    ahead = next(value for msgid, value in catalogue.items() if msgid.endswith("hour ahead.)"))
    note = "Catatan: Isikan waktu menurut zona waktu %(timezone)s. (Waktu Anda %(offset)s "
    assert ahead == [note + "jam lebih awal.)"]


def test_english_keeps_the_admins_own_words(admin_client):
    assert "Hari ini" not in javascript_catalogue(admin_client, "en").values()


def test_our_catalogue_holds_only_what_django_lacks():
    """An entry Django's Indonesian catalogue has since translated is dropped here, so
    that a better translation upstream is not hidden by ours."""
    django_id = (
        Path(django.__file__).parent / "contrib/admin/locale/id/LC_MESSAGES/djangojs.po"
    ).read_text(encoding="utf-8")
    translated_upstream = {
        match.group(1) for match in re.finditer(r'^msgid "(.+)"\nmsgstr "(.+)"$', django_id, re.M)
    }
    ours = {msgid for _context, msgid in msgids(OUR_CATALOGUE.read_text(encoding="utf-8"))}

    assert ours
    assert ours & translated_upstream == set()

"""The interface speaks Indonesian by default and English on request."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from lkks.money import rupiah, rupiah_short

PO_FILE = Path(settings.BASE_DIR) / "locale" / "id" / "LC_MESSAGES" / "django.po"


def untranslated_msgids(text):
    """msgids whose msgstr is empty, parsed from a .po file without extra libraries."""
    missing = []
    for block in text.split("\n\n"):
        if "#, fuzzy" in block and 'msgid ""\nmsgstr ""' not in block:
            missing.append(block)
            continue
        msgid = re.search(r'^msgid "(.*)"', block, re.M)
        if not msgid or (msgid.group(1) == "" and block.lstrip().startswith("#")):
            continue
        if "msgid_plural" in block:
            forms = re.findall(r'^msgstr\[\d+\] "(.*)"((?:\n".*")*)', block, re.M)
            if not forms or any(not (first or rest.strip()) for first, rest in forms):
                missing.append(msgid.group(1))
            continue
        msgstr = re.search(r'^msgstr "(.*)"((?:\n".*")*)', block, re.M)
        if msgid.group(1) == "" and '\n"' not in block.split("msgstr")[0]:
            continue  # the header
        if msgstr and not (msgstr.group(1) or msgstr.group(2).strip()):
            missing.append(msgid.group(1))
    return missing


def test_indonesian_translation_is_complete():
    assert untranslated_msgids(PO_FILE.read_text(encoding="utf-8")) == []


def test_indonesian_is_the_default_language(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="id"' in response.text
    assert "Masuk ke SI-LKKS" in response.text


def test_english_is_available(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert "Log in to SI-LKKS" in response.text


@pytest.mark.parametrize(
    ("amount", "language", "full", "short"),
    [
        (1_128_000_000, "id", "Rp 1.128.000.000", "Rp 1,13 miliar"),
        (85_000_000, "id", "Rp 85.000.000", "Rp 85 juta"),
        (85_000_000, "en", "Rp 85.000.000", "Rp 85 million"),
    ],
)
def test_rupiah_in_both_languages(amount, language, full, short):
    with translation.override(language):
        assert rupiah(amount) == full
        assert rupiah_short(amount) == short


def test_dates_are_written_in_full_in_indonesian():
    import datetime

    from django.utils.formats import date_format

    with translation.override("id"):
        assert date_format(datetime.date(2024, 10, 16)) == "16 Oktober 2024"


def test_an_english_browser_still_gets_indonesian_until_english_is_chosen(client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Masuk ke SI-LKKS" in response.text

import datetime
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from lkks.dates import add_years
from lkks.money import rupiah, rupiah_short

PROJECT_ROOT = Path(__file__).resolve().parents[2]


PRODUCTION_DATABASE = "postgres://si_lkks@127.0.0.1:5432/si_lkks"
LONG_KEY = "a-long-random-test-key-" * 3


def import_settings(**env):
    """Import lkks.settings in a fresh interpreter with only the given DJANGO_* variables
    and DATABASE_URL."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("DJANGO_") and name != "DATABASE_URL"
    }
    return subprocess.run(
        [sys.executable, "-c", "import lkks.settings"],
        cwd=PROJECT_ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.parametrize("debug", [None, "false", "0"], ids=["unset", "false", "zero"])
def test_settings_without_secret_key_and_debug_off_refuse_to_start_naming_the_variable(debug):
    result = import_settings(
        DATABASE_URL=PRODUCTION_DATABASE, **({"DJANGO_DEBUG": debug} if debug is not None else {})
    )

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


@pytest.mark.parametrize("length", [1, 20, 49])
def test_production_refuses_a_secret_key_shorter_than_50_characters(length):
    result = import_settings(DJANGO_SECRET_KEY="k" * length, DATABASE_URL=PRODUCTION_DATABASE)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_SECRET_KEY has {length} characters; at least 50" in result.stderr


def test_production_refuses_to_start_without_a_database_url():
    result = import_settings(DJANGO_SECRET_KEY=LONG_KEY)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DATABASE_URL is not set" in result.stderr


def test_settings_start_with_a_50_character_secret_key_a_database_and_debug_off():
    result = import_settings(DJANGO_SECRET_KEY="k" * 50, DATABASE_URL=PRODUCTION_DATABASE)

    assert result.returncode == 0, result.stderr


def test_settings_start_without_a_secret_key_or_a_database_in_debug():
    """make run and the tests: development defaults, SQLite beside the code."""
    result = import_settings(DJANGO_DEBUG="true")

    assert result.returncode == 0, result.stderr


def test_settings_speak_indonesian_in_jakarta_time():
    assert settings.LANGUAGE_CODE == "id"
    assert dict(settings.LANGUAGES).keys() == {"id", "en"}
    assert settings.TIME_ZONE == "Asia/Jakarta"
    assert settings.USE_THOUSAND_SEPARATOR
    assert settings.AUTH_USER_MODEL == "lkks.User"


# Rupiah


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1128000000"), "Rp 1.128.000.000"),
        (Decimal("85000000"), "Rp 85.000.000"),
        (Decimal(1000), "Rp 1.000"),
        (Decimal(999), "Rp 999"),
        (0, "Rp 0"),
        (Decimal("-5000"), "-Rp 5.000"),
        (Decimal("1499.5"), "Rp 1.500"),
        ("2500", "Rp 2.500"),
        (None, ""),
    ],
)
def test_rupiah_groups_thousands_with_dots(amount, text):
    assert rupiah(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1128000000"), "Rp 1.13 billion"),
        (Decimal("85000000"), "Rp 85 million"),
        (Decimal("1500000"), "Rp 1.5 million"),
        (Decimal("950000"), "Rp 950 thousand"),
        (Decimal("2000000000000"), "Rp 2 trillion"),
        (Decimal("-85000000"), "-Rp 85 million"),
        (Decimal(500), "Rp 500"),
        (None, ""),
    ],
)
def test_rupiah_short_rounds_to_two_decimals_with_the_english_point(amount, text):
    with translation.override("en"):
        assert rupiah_short(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1128000000"), "Rp 1,13 miliar"),
        (Decimal("85000000"), "Rp 85 juta"),
        (Decimal("76500000"), "Rp 76,5 juta"),
        (Decimal("950000"), "Rp 950 ribu"),
    ],
)
def test_rupiah_short_speaks_indonesian_with_a_comma(amount, text):
    with translation.override("id"):
        assert rupiah_short(amount) == text


@pytest.mark.parametrize(
    ("amount", "indonesian", "english"),
    [
        (Decimal("999999999999"), "Rp 1 triliun", "Rp 1 trillion"),
        (Decimal("999995000"), "Rp 1 miliar", "Rp 1 billion"),
        (Decimal("999999"), "Rp 1 juta", "Rp 1 million"),
        (Decimal("994999"), "Rp 995 ribu", "Rp 995 thousand"),
        (Decimal("994999999"), "Rp 995 juta", "Rp 995 million"),
        (Decimal("12345678"), "Rp 12,35 juta", "Rp 12.35 million"),
    ],
)
def test_rupiah_short_rounds_before_it_picks_the_unit(amount, indonesian, english):
    with translation.override("id"):
        assert rupiah_short(amount) == indonesian
    with translation.override("en"):
        assert rupiah_short(amount) == english


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "Rp 76.5 million · 90.0%"), ("id", "Rp 76,5 juta · 90,0%")],
)
def test_short_rupiah_and_percentages_share_the_decimal_separator(language, expected):
    template = Template("{% load lkks %}{{ amount|rupiah_short }} · {{ share|floatformat:1 }}%")

    with translation.override(language):
        rendered = template.render(Context({"amount": Decimal(76_500_000), "share": 90.0}))

    assert rendered == expected


def test_rupiah_filters_are_available_in_templates():
    template = Template("{% load lkks %}{{ amount|rupiah }} / {{ amount|rupiah_short }}")

    with translation.override("en"):
        rendered = template.render(Context({"amount": Decimal("1128000000")}))

    assert rendered == "Rp 1.128.000.000 / Rp 1.13 billion"


# Dates


@pytest.mark.parametrize(
    ("day", "years", "result"),
    [
        (datetime.date(2024, 2, 29), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 2, 29), 5, datetime.date(2029, 2, 28)),
        (datetime.date(2024, 2, 29), 4, datetime.date(2028, 2, 29)),
        (datetime.date(2024, 3, 1), 3, datetime.date(2027, 3, 1)),
        (datetime.date(2023, 12, 31), 2, datetime.date(2025, 12, 31)),
    ],
)
def test_add_years_keeps_the_day_and_turns_29_february_into_28(day, years, result):
    assert add_years(day, years) == result

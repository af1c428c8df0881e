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


def import_settings(**env):
    """Import lkks.settings in a fresh interpreter with only the given DJANGO_* variables."""
    clean = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DJANGO_DEBUG", "DJANGO_SECRET_KEY", "DJANGO_SETTINGS_MODULE"}
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
    result = import_settings(**({"DJANGO_DEBUG": debug} if debug is not None else {}))

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_settings_start_with_a_secret_key_and_debug_off():
    result = import_settings(DJANGO_SECRET_KEY="a-long-random-test-key-" * 3)

    assert result.returncode == 0, result.stderr


def test_settings_start_without_a_secret_key_in_debug():
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
        (Decimal("1128000000"), "Rp 1,13 billion"),
        (Decimal("85000000"), "Rp 85 million"),
        (Decimal("1500000"), "Rp 1,5 million"),
        (Decimal("950000"), "Rp 950 thousand"),
        (Decimal("2000000000000"), "Rp 2 trillion"),
        (Decimal("-85000000"), "-Rp 85 million"),
        (Decimal(500), "Rp 500"),
        (None, ""),
    ],
)
def test_rupiah_short_rounds_to_two_decimals_with_a_comma(amount, text):
    with translation.override("en"):
        assert rupiah_short(amount) == text


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("1128000000"), "Rp 1,13 miliar"),
        (Decimal("85000000"), "Rp 85 juta"),
        (Decimal("950000"), "Rp 950 ribu"),
    ],
)
def test_rupiah_short_speaks_indonesian(amount, text):
    with translation.override("id"):
        assert rupiah_short(amount) == text


def test_rupiah_filters_are_available_in_templates():
    template = Template("{% load lkks %}{{ amount|rupiah }} / {{ amount|rupiah_short }}")

    with translation.override("en"):
        rendered = template.render(Context({"amount": Decimal("1128000000")}))

    assert rendered == "Rp 1.128.000.000 / Rp 1,13 billion"


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

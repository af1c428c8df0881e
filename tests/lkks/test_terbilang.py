"""Amounts in Indonesian words, as official documents write them beside the figures."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from lkks.terbilang import number_words, terbilang


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "nol"),
        (1, "satu"),
        (2, "dua"),
        (9, "sembilan"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (15, "lima belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (45, "empat puluh lima"),
        (99, "sembilan puluh sembilan"),
    ],
)
def test_units_tens_and_belasan(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (100, "seratus"),
        (101, "seratus satu"),
        (110, "seratus sepuluh"),
        (111, "seratus sebelas"),
        (115, "seratus lima belas"),
        (120, "seratus dua puluh"),
        (200, "dua ratus"),
        (305, "tiga ratus lima"),
        (999, "sembilan ratus sembilan puluh sembilan"),
    ],
)
def test_ratusan_say_seratus_for_one_hundred(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1_000, "seribu"),
        (1_001, "seribu satu"),
        (1_011, "seribu sebelas"),
        (1_100, "seribu seratus"),
        (1_999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2_000, "dua ribu"),
        (10_000, "sepuluh ribu"),
        (11_000, "sebelas ribu"),
        (12_500, "dua belas ribu lima ratus"),
        (21_000, "dua puluh satu ribu"),  # not "dua puluh seribu"
        (100_000, "seratus ribu"),
        (101_000, "seratus satu ribu"),
        (111_111, "seratus sebelas ribu seratus sebelas"),
        (950_000, "sembilan ratus lima puluh ribu"),
    ],
)
def test_ribuan_say_seribu_only_for_one_thousand_alone(number, words):
    assert number_words(number) == words


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (1_000_000, "satu juta"),  # never "sejuta" in documents
        (1_001_000, "satu juta seribu"),
        (2_500_000, "dua juta lima ratus ribu"),
        (11_000_000, "sebelas juta"),
        (85_000_000, "delapan puluh lima juta"),
        (100_000_000, "seratus juta"),
        (1_000_000_000, "satu miliar"),
        (1_128_000_000, "satu miliar seratus dua puluh delapan juta"),
        (
            12_345_678_901,
            (
                "dua belas miliar tiga ratus empat puluh lima juta enam ratus tujuh puluh delapan "
                "ribu sembilan ratus satu"
            ),
        ),
        (1_000_000_000_000, "satu triliun"),
        (1_000_001_000_000, "satu triliun satu juta"),
        (
            999_999_999_999_999,
            (
                "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh "
                "sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus "
                "sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"
            ),
        ),
        # Beyond the largest money field, still said in trillions.
        (1_000_000_000_000_000, "seribu triliun"),
    ],
)
def test_juta_miliar_triliun(number, words):
    assert number_words(number) == words


def test_the_seed_story_total_in_rupiah():
    assert terbilang(Decimal(1_128_000_000)) == "satu miliar seratus dua puluh delapan juta rupiah"


def test_zero_rupiah():
    assert terbilang(0) == "nol rupiah"


def test_decimals_strings_and_other_units():
    assert terbilang(Decimal("85000000")) == "delapan puluh lima juta rupiah"
    assert terbilang("2000") == "dua ribu rupiah"
    assert terbilang(40, unit="orang") == "empat puluh orang"


def test_fractions_are_rounded_half_up_to_whole_rupiah():
    assert number_words(Decimal("1500.5")) == "seribu lima ratus satu"
    assert number_words(Decimal("1500.49")) == "seribu lima ratus"


def test_negative_amounts_say_minus():
    assert terbilang(-5_000) == "minus lima ribu rupiah"


def test_nothing_says_nothing():
    assert terbilang(None) == ""
    assert terbilang("") == ""


def test_every_number_up_to_ten_thousand_has_words_and_no_double_spaces():
    for number in range(10_001):
        words = number_words(number)
        assert words, number
        assert "  " not in words, number
        assert words == words.strip(), number
        # A one before ratus or ribu fuses: seratus, seribu.
        assert "satu ratus" not in words, number
        assert "satu ribu" not in words, number


def test_the_template_filter_capitalised_as_documents_write_it():
    template = Template("{% load documents %}{{ amount|terbilang|capfirst }}|{{ text|terbilang }}")
    rendered = template.render(Context({"amount": Decimal(893_100_000), "text": "abc"}))
    assert rendered == "Delapan ratus sembilan puluh tiga juta seratus ribu rupiah|"

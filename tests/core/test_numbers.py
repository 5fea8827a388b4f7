"""Numbers as people type them in each language, read with Babel (core.numbers)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from core.forms import LocalizedDecimalField
from core.numbers import number_example, parse_localized_decimal

SPACES = {
    "plain": " ",
    "no-break": "\u00a0",
    "narrow no-break": "\u202f",
    "thin": "\u2009",
}


@pytest.mark.parametrize("language", ["fi", "sv"])
@pytest.mark.parametrize("space", SPACES.values(), ids=SPACES.keys())
def test_finnish_and_swedish_read_a_decimal_comma_and_any_space_between_groups(language, space):
    assert parse_localized_decimal(f"3{space}400,50", language) == Decimal("3400.50")
    assert parse_localized_decimal(f"1{space}234{space}567", language) == Decimal("1234567")


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_finnish_and_swedish_also_read_a_decimal_point_and_a_minus_sign(language):
    assert parse_localized_decimal("3400.50", language) == Decimal("3400.50")
    assert parse_localized_decimal("37,5", language) == Decimal("37.5")
    assert parse_localized_decimal("\u22125", language) == Decimal("-5")


def test_english_reads_comma_groups_and_falls_back_to_a_lone_decimal_comma():
    assert parse_localized_decimal("3,400.50", "en") == Decimal("3400.50")
    assert parse_localized_decimal("3400.50", "en") == Decimal("3400.50")
    # A Finnish speaker on the English page: one comma and no grouping can only be decimals.
    assert parse_localized_decimal("3 400,50", "en") == Decimal("3400.50")
    assert parse_localized_decimal("37,5", "en") == Decimal("37.5")


@pytest.mark.parametrize(
    "text", ["", "   ", "NaN", "Infinity", "1e5", "3.400,50", "1.2.3", "12 €", "abc", "9" * 60]
)
@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_anything_else_is_refused(text, language):
    with pytest.raises(ValueError):
        parse_localized_decimal(text, language)


def test_the_example_is_written_as_each_language_writes_numbers():
    assert number_example("fi") == "3\u00a0400,50"
    assert number_example("sv") == "3\u00a0400,50"
    assert number_example("en") == "3,400.50"


@pytest.mark.parametrize(
    ("language", "typed"), [("fi", "3 400,50"), ("sv", "3\u202f400,50"), ("en", "3,400.50")]
)
def test_the_form_field_reads_the_active_language(language, typed):
    field = LocalizedDecimalField(decimal_places=2, max_digits=10)
    with translation.override(language):
        assert field.clean(typed) == Decimal("3400.50")


def test_the_form_field_leaves_the_browsers_own_number_checks_out():
    field = LocalizedDecimalField(min_value=0, max_value=10, decimal_places=2)
    attributes = field.widget_attrs(field.widget)
    assert field.widget.attrs["inputmode"] == "decimal"
    assert not {"min", "max", "step"} & attributes.keys()

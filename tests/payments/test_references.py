"""Finnish reference numbers and RF creditor references, against published examples."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from payments.references import (
    creditor_reference,
    finnish_reference,
    grouped,
    is_valid_creditor_reference,
    is_valid_finnish_reference,
)


@pytest.mark.parametrize(
    ("base", "reference"),
    [
        # Worked by hand: 3*7 + 2*3 + 1*1 = 28, and 30 - 28 = 2.
        ("123", "1232"),
        ("1000", "10003"),
        ("12345", "123453"),
    ],
)
def test_the_check_digit_follows_the_7_3_1_rule(base, reference):
    assert finnish_reference(base) == reference
    assert is_valid_finnish_reference(reference)


def test_the_iso_11649_example_is_valid_and_rebuilt():
    assert is_valid_creditor_reference("RF18 5390 0754 7034")
    assert creditor_reference("539007547034") == "RF18539007547034"


def test_a_finnish_reference_becomes_its_published_rf_form():
    # Finanssiala's example: reference number 2348236 is RF33 2348 236 in the international form.
    assert creditor_reference("2348236") == "RF332348236"


@pytest.mark.parametrize("value", ["1233", "12", "0000", "12a2", "1" * 21])
def test_wrong_reference_numbers_are_refused(value):
    assert not is_valid_finnish_reference(value)


@pytest.mark.parametrize(
    "value", ["RF19539007547034", "RF18", "XX18539007547034", "RF1853900754703!"]
)
def test_wrong_creditor_references_are_refused(value):
    assert not is_valid_creditor_reference(value)


@given(st.integers(min_value=100, max_value=10**18))
def test_every_reference_made_is_valid_and_a_changed_digit_is_caught(number):
    reference = finnish_reference(number)
    assert is_valid_finnish_reference(reference)
    assert is_valid_creditor_reference(creditor_reference(reference))
    last = int(reference[-1])
    assert not is_valid_finnish_reference(reference[:-1] + str((last + 1) % 10))


def test_references_are_grouped_as_printed_on_invoices():
    assert grouped("RF18539007547034") == "RF18 5390 0754 7034"
    assert grouped("12345678901234") == "1234 56789 01234"

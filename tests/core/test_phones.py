"""One normalisation of phone numbers (core.phones), used by codes, SMS and the check engine."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.phones import MAX_PHONE_TEXT, normalize_phone

SPELLINGS = (
    "040 123 4567",
    "0401234567",
    "040-123 4567",
    "(040) 123 4567",
    "+358 40 123 4567",
    "+358401234567",
    "00358401234567",
    "00358 40 123 4567",
    " +358-40-1234567 ",
)


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_one_number_gives_one_e164(spelling):
    assert normalize_phone(spelling, "FI") == "+358401234567"


def test_a_national_number_is_read_in_the_region_the_caller_names():
    assert normalize_phone("070 123 45 67", "SE") == "+46701234567"
    assert normalize_phone("070 123 45 67", "FI") != "+46701234567"
    # An international number is the same whatever the region.
    assert normalize_phone("+46 70 123 45 67", "FI") == "+46701234567"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "040 ABC DEFG",
        "person@example.org",
        "+",
        "00",
        "12",
        "+358 1",
        "1" * 40,
        "0" * (MAX_PHONE_TEXT + 1),
        "+358 40 123 4567 " + "1" * MAX_PHONE_TEXT,
    ],
)
def test_text_that_is_no_number_gives_an_empty_string(text):
    assert normalize_phone(text, "FI") == ""


def test_a_region_that_does_not_exist_gives_an_empty_string_for_a_national_number():
    assert normalize_phone("040 123 4567", "XX") == ""
    assert normalize_phone("+358 40 123 4567", "XX") == "+358401234567"


@settings(max_examples=300, deadline=None)
@given(
    text=st.text(max_size=80),
    region=st.sampled_from(["FI", "SE", "US", "GB", "", "xx", "fi"]),
)
def test_arbitrary_text_never_raises_and_gives_e164_or_nothing(text, region):
    result = normalize_phone(text, region)
    assert result == "" or (result.startswith("+") and result[1:].isdigit() and len(result) <= 16)
    # Normalising is idempotent: the stored form reads back as itself.
    if result:
        assert normalize_phone(result, region) == result


@settings(max_examples=200, deadline=None)
@given(digits=st.from_regex(r"\A0[1-9][0-9]{6,9}\Z", fullmatch=True))
def test_national_and_international_spellings_agree(digits):
    national = normalize_phone(digits, "FI")
    if national:
        assert normalize_phone("+358" + digits[1:], "FI") == national
        assert normalize_phone("00358" + digits[1:], "FI") == national
        spaced = " ".join(digits[i : i + 3] for i in range(0, len(digits), 3))
        assert normalize_phone(spaced, "FI") == national


@pytest.mark.parametrize(
    ("value", "valid"), [("040 123 4567", True), ("+358 40 1234567", True), ("040 12", False)]
)
def test_the_application_form_accepts_only_what_can_receive_the_sms(value, valid):
    from django.core.exceptions import ValidationError

    from applications.forms import PHONE_MESSAGE, _possible_phone_number

    if valid:
        _possible_phone_number(value)
    else:
        with pytest.raises(ValidationError) as error:
            _possible_phone_number(value)
        assert error.value.messages == [str(PHONE_MESSAGE)]


def test_valid_only_refuses_numbers_in_no_allocated_range():
    assert normalize_phone("+44 7700 900123", "FI") == "+447700900123"
    assert normalize_phone("+44 7700 900123", "FI", valid_only=True) == ""
    assert normalize_phone("040 123 4567", "FI", valid_only=True) == "+358401234567"

"""Phone numbers in the text and in the sender, normalised as codes and SMS are (core.phones)."""

from __future__ import annotations

from trust.engine.link_extraction import find_phone_numbers


def test_one_number_in_every_spelling_is_one_indicator():
    text = "Call 040 123 4567, or +358 40 123 4567, or 00358401234567, or 0401234567."
    assert find_phone_numbers(text) == ["+358401234567"]


def test_eight_digits_in_one_run_are_a_code_not_a_number():
    assert find_phone_numbers("Your code is 04012345.") == []
    assert find_phone_numbers("Call 040 123 45.") == ["+3584012345"]


def test_national_numbers_are_read_in_the_engines_region(make_engine):
    text = "Ring oss på 070 123 45 67 och uppge ditt personnummer."
    assert find_phone_numbers(text, "SE") == ["+46701234567"]
    result = make_engine(phone_region="SE").check_text(text, "sms", "Migri")
    assert result.indicators["phone_numbers"] == ["+46701234567"]


def test_the_official_number_in_national_form_is_not_an_indicator(make_engine):
    engine = make_engine(phone_numbers=("+358 29 543 0431",))
    text = "Migri: call us at 029 543 0431 or at 040 765 4321 about your permit."
    result = engine.check_text(text, "sms", "029 5430431")
    assert result.indicators["phone_numbers"] == ["+358407654321"]
    assert not result.has("sms_sender_not_official")


def test_a_private_sender_number_in_national_form_is_an_indicator_in_e164(engine):
    result = engine.check_text("Migri: your residence permit is cancelled.", "sms", "046 552 0391")
    assert result.indicators["phone_numbers"] == ["+358465520391"]


def test_the_official_numbers_are_read_once_per_engine_not_once_per_check(engine, monkeypatch):
    """Parsing them on every check was a tenth of a short message's check."""
    import phonenumbers

    parsed = []
    original = phonenumbers.parse
    monkeypatch.setattr(phonenumbers, "parse", lambda *args: parsed.append(args) or original(*args))
    engine.check_text("Migri: your permit decision is ready at https://migri.fi/", "sms", "Migri")
    assert parsed == []  # no number in the message or its sender, so none to read

"""One normalisation of phone numbers, for issuing and checking codes, sending SMS, and the
trust center's check engine.

A plain module with no Django import: trust/engine/ (which imports no Django) uses it too. The
default region is passed in by the caller (the authority profile's `country`), never read here.
"""

from __future__ import annotations

import phonenumbers

# Longer text is not a phone number; the cap bounds what the parser is given (phonenumbers itself
# refuses over 250 characters, but only after copying them).
MAX_PHONE_TEXT = 64

# The region when a caller names none: the profile shipped with the project is Finnish.
DEFAULT_PHONE_REGION = "FI"


def normalize_phone(
    text: str, default_region: str = DEFAULT_PHONE_REGION, *, valid_only: bool = False
) -> str:
    """The number in E.164 form (+358401234567), or "" when `text` is not a possible number.

    "040 123 4567", "0401234567", "+358 40 123 4567" and "00358401234567" give the same result
    with the default region FI. Never raises.

    `valid_only`: also "" for a number in no range the library knows to be allocated (for input
    that must reach a phone: the application form). The check engine and the codes keep the
    looser test: a scammer's number from a range newer than the library's data, or a fictional
    one (+44 7700 900123), is still a number in the text."""
    if not isinstance(text, str):
        return ""
    value = text.strip()
    # Letters make no number here: phonenumbers would read "040 ABC DEFG" as a vanity number.
    if not value or len(value) > MAX_PHONE_TEXT or any(char.isalpha() for char in value):
        return ""
    # 00 is the international prefix in most of the world (ITU-T E.164 recommends it), but
    # phonenumbers strips it only where the default region's own prefix is 00.
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        number = phonenumbers.parse(value, (default_region or DEFAULT_PHONE_REGION).upper())
    except phonenumbers.NumberParseException:
        return ""
    except Exception:  # noqa: BLE001 - adversarial text must never break a check or a send
        return ""
    possible = phonenumbers.is_possible_number(number)
    if not possible or (valid_only and not phonenumbers.is_valid_number(number)):
        return ""
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)

"""Finnish reference numbers (viitenumero) and their RF creditor references (ISO 11649).

Written by hand because python-stdnum is not in the lock file; both checks are a few lines and are
tested against the published examples (Finanssiala's guide and ISO 11649's RF18 5390 0754 7034).
"""

from __future__ import annotations

import re

_WEIGHTS = (7, 3, 1)
_DIGITS = re.compile(r"^[0-9]+$")
_RF_BODY = re.compile(r"^[0-9A-Z]{1,21}$")


def _compact(value: str) -> str:
    return value.replace(" ", "").upper()


def finnish_check_digit(base: str) -> str:
    """The check digit of a reference number's base: weights 7, 3, 1 from the right, then the
    difference to the next multiple of ten."""
    if not _DIGITS.match(base) or not 3 <= len(base) <= 19:
        raise ValueError("a reference number's base has 3 to 19 digits")
    total = sum(int(digit) * _WEIGHTS[i % 3] for i, digit in enumerate(reversed(base)))
    return str(-total % 10)


def finnish_reference(base: str | int) -> str:
    """The reference number (base and check digit) of a positive number or digit string."""
    base = str(base)
    return base + finnish_check_digit(base)


def is_valid_finnish_reference(value: str) -> bool:
    value = _compact(value)
    if not _DIGITS.match(value) or not 4 <= len(value) <= 20 or set(value[:-1]) == {"0"}:
        return False
    return finnish_check_digit(value[:-1]) == value[-1]


def _mod97(text: str) -> int:
    # ISO 7064 MOD 97-10 over the letters as numbers (A=10 ... Z=35), as IBAN does.
    return int("".join(str(int(character, 36)) for character in text)) % 97


def creditor_reference(reference: str) -> str:
    """The RF creditor reference of a reference (Finnish reference numbers are the usual body)."""
    body = _compact(reference)
    if not _RF_BODY.match(body):
        raise ValueError("a creditor reference's body has 1 to 21 letters or digits")
    check = 98 - _mod97(body + "RF00")
    return f"RF{check:02d}{body}"


def is_valid_creditor_reference(value: str) -> bool:
    value = _compact(value)
    if not value.startswith("RF") or not 5 <= len(value) <= 25:
        return False
    if not value[2:4].isdigit() or not _RF_BODY.match(value[4:]):
        return False
    return _mod97(value[4:] + value[:4]) == 1


def grouped(value: str) -> str:
    """For people: RF references in groups of four from the left, reference numbers in groups
    of five from the right, as printed on Finnish invoices."""
    value = _compact(value)
    if value.startswith("RF"):
        return " ".join(value[i : i + 4] for i in range(0, len(value), 4))
    head = len(value) % 5
    groups = [value[:head]] if head else []
    groups += [value[i : i + 5] for i in range(head, len(value), 5)]
    return " ".join(groups)

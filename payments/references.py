"""Finnish reference numbers (viitenumero) and their RF creditor references (ISO 11649).

RF creditor references come from python-stdnum (stdnum.iso11649). The Finnish reference number's
check digit (weights 7, 3, 1) is written here because python-stdnum has no module for it (it covers
Finnish VAT, business and personal identity codes only); tested against Finanssiala's examples.
"""

from __future__ import annotations

import re

from stdnum import iso11649
from stdnum.iso7064 import mod_97_10

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


def creditor_reference(reference: str) -> str:
    """The RF creditor reference of a reference (Finnish reference numbers are the usual body)."""
    body = _compact(reference)
    if not _RF_BODY.match(body):
        raise ValueError("a creditor reference's body has 1 to 21 letters or digits")
    # ISO 11649 moves "RF" and the check digits to the end, as IBAN does: the same MOD 97-10.
    return "RF" + mod_97_10.calc_check_digits(body + "RF") + body


def is_valid_creditor_reference(value: str) -> bool:
    return iso11649.is_valid(value)


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

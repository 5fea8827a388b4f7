"""Numbers as people type them: "3 400,50" in Finnish and Swedish, "3,400.50" in English."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel.core import Locale, UnknownLocaleError
from babel.numbers import NumberFormatError, format_decimal, get_group_symbol, parse_decimal
from django.utils.translation import get_language, to_locale

MAX_NUMBER_LENGTH = 50
# Word processors and CLDR put non-breaking (U+00A0), narrow no-break (U+202F) and thin (U+2009)
# spaces between groups of digits; a keyboard gives a plain one. All mean the same here.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
# Babel also reads "NaN" and "1e5": a field for euros or days accepts digits and separators only.
_NUMBER_CHARACTERS = re.compile(r"^[+-]?[0-9][0-9 .,]*$")
_PLAIN_NUMBER = re.compile(r"^[+-]?[0-9]+(?:[.,][0-9]+)?$")
_MINUS_SIGNS = str.maketrans({"\u2212": "-", "\u2013": "-"})


def _babel_locale(language: str | None) -> Locale:
    try:
        return Locale.parse(to_locale(language or get_language() or "en"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


def parse_localized_decimal(text: str, language: str | None = None) -> Decimal:
    """The number in `text` read with the conventions of the language (the active one by default).

    Babel's parse_decimal reads the locale's decimal and group symbols; any kind of space counts
    as the group symbol where the locale groups with a space. When that fails, one unambiguous
    reading remains: digits with a single decimal comma or point and no grouping ("3400,5" on an
    English page). Raises ValueError for anything else.
    """
    text = (text or "").strip().translate(_MINUS_SIGNS)
    if not text or len(text) > MAX_NUMBER_LENGTH:
        raise ValueError("not a number")
    locale = _babel_locale(language)
    group = get_group_symbol(locale)
    spaced = _SPACES.sub(" ", text)
    if not _NUMBER_CHARACTERS.match(spaced):
        raise ValueError("not a number")
    if _SPACES.fullmatch(group):
        spaced = spaced.replace(" ", group)
    try:
        value = parse_decimal(spaced, locale=locale, strict=True)
    except NumberFormatError:
        compact = _SPACES.sub("", text)
        if not _PLAIN_NUMBER.match(compact):
            raise ValueError("not a number") from None
        try:
            value = Decimal(compact.replace(",", "."))
        except InvalidOperation:
            raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    return value


def number_example(language: str | None = None) -> str:
    """3400.50 written as the language writes it, for hints and error messages."""
    return format_decimal(Decimal("3400.50"), format="#,##0.00", locale=_babel_locale(language))

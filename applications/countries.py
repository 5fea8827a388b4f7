"""Countries for the applications' forms: ISO 3166 codes stored, CLDR's names shown (through Babel),
sorted as each language sorts its alphabet."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language

# CLDR's locale for each interface language: English is British English throughout (dates too).
CLDR_LOCALES = {"fi": "fi", "sv": "sv", "en": "en_GB"}

# CLDR's two-letter territories that are not countries a person is a national of or lives in:
# groupings (EU, euro area, UN, outlying Oceania), the unknown region, pseudo-locales, and the
# codes ISO 3166 only reserves for parts of other countries (Ascension, Canary Islands, ...).
NOT_COUNTRIES = frozenset({
    "EU", "EZ", "UN", "QO", "ZZ", "XA", "XB",
    "AC", "CP", "CQ", "DG", "EA", "IC", "TA",
})  # fmt: skip

# Finnish and Swedish end the alphabet with Å, Ä, Ö (in that order, after Z); Æ and Ø sort as Ä
# and Ö, Ü as Y, and other accented letters as their base letter. Babel has no collator and PyICU
# is not in the lock, so the sort key maps the three letters past "z" ("{", "|", "}" follow "z"
# in code-point order) and drops other accents, which is what CLDR's fi and sv collations do for
# the letters in country names.
_NORDIC_LAST_LETTERS = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}", "ü": "y"}
_NORDIC_LANGUAGES = frozenset({"fi", "sv"})


def _language(language: str | None) -> str:
    code = (language or get_language() or "en")[:2]
    return code if code in CLDR_LOCALES else "en"


def collation_key(text: str, language: str | None = None) -> str:
    """A sort key for `text` in the alphabetical order of `language` (see the comment above)."""
    nordic = _language(language) in _NORDIC_LANGUAGES
    key = []
    for character in text.casefold():
        if nordic and character in _NORDIC_LAST_LETTERS:
            key.append(_NORDIC_LAST_LETTERS[character])
            continue
        base = unicodedata.normalize("NFKD", character)
        letters = "".join(c for c in base if not unicodedata.combining(c))
        key.append(letters if letters.isalnum() else " ")
    return "".join(key)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    """Every two-letter territory CLDR names that is a country (ISO 3166-1 and Kosovo's XK)."""
    territories = Locale.parse("en").territories
    return frozenset(
        code
        for code in territories
        if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
    )


@lru_cache(maxsize=len(CLDR_LOCALES))
def _names(language: str) -> dict[str, str]:
    territories = Locale.parse(CLDR_LOCALES[language]).territories
    return {code: territories[code] for code in country_codes()}


@lru_cache(maxsize=len(CLDR_LOCALES))
def _choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _names(language)
    ordered = sorted(names.items(), key=lambda item: (collation_key(item[1], language), item[0]))
    return tuple(ordered)


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(ISO code, name) for every country, in the language's alphabetical order."""
    return list(_choices(_language(language)))


def country_name(code: str, language: str | None = None) -> str:
    return _names(_language(language)).get(code) or code

"""Which sensitive data a sentence names as wanted, less what only looks like it: a permit's
validity read as a card's expiry date, the reader's own way into their bank read as its codes."""

from __future__ import annotations

import re

from ..link_extraction import find_urls
from ..vocabulary import CONCEPTS

SENSITIVE = frozenset(c for c, (category, _) in CONCEPTS.items() if category == "sensitive")

# A card's expiry date and a permit's validity are one word in Finnish ("voimassaoloaika"): beside a
# permit word and without any other card word, it is the permit's.
_EXPIRY_WORDS = frozenset({"voimassaoloaika", "expiry date", "expiration date"})
_CARD_WORDS = re.compile(
    "(?i)"
    + "|".join(
        re.escape(word)
        for words in CONCEPTS["card_number"][1].values()
        for word in words
        if word not in _EXPIRY_WORDS
    )
)
# "Log in to your online bank as usual (type the address yourself)": the reader's own way in, the
# seed's own advice, asks for no codes.
_SELF_TYPED = re.compile(
    r"(?i)\b(?:kirjoita\s+osoite\s+itse|itse\s+selaimeen|type\s+the\s+address\s+yourself|"
    r"skriv\s+(?:in\s+)?adressen\s+själv)"
)


def wanted_data(sentence) -> set[str]:
    wanted = sentence.concepts & SENSITIVE
    if _SELF_TYPED.search(sentence.text) and not find_urls(sentence.text):
        return set()
    if (
        "card_number" in wanted
        and sentence.concepts & {"permit", "permit_object"}
        and not _CARD_WORDS.search(sentence.text)
    ):
        wanted = wanted - {"card_number"}
    return wanted

"""Lookalike domains: the candidates of a domain in dnstwist's families (the watchlist).

The watchlist is a finite list for administrators to watch or register; the detector
(`LookalikeModel`, in lookalike_model.py, re-exported here) does not look candidates up in it but
compares skeletons, so it recognises every listed candidate and the many more nobody listed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from .confusables import homoglyphs_of
from .domains import ascii_host, normalize_host, split_registrable
from .lookalike_model import LookalikeMatch, LookalikeModel
from .lookalike_words import SWAP_TLDS
from .typos import VOWELS, adjacent_keys

__all__ = ["FAMILIES", "Candidate", "LookalikeMatch", "LookalikeModel", "generate"]

FAMILIES = (
    "addition", "bitsquatting", "homoglyph", "hyphenation", "insertion", "omission", "repetition",
    "replacement", "subdomain", "transposition", "vowel-swap", "dictionary", "tld-swap", "various",
)  # fmt: skip
DICTIONARY_WORDS = (
    "login", "secure", "apply", "verify", "portal", "account", "online", "service", "support",
    "update", "info", "payment", "pay", "official", "gov", "my", "id", "auth", "permit", "visa",
    "case", "check", "help", "web", "app", "form", "confirm", "residence", "finland", "fi", "eu",
    "immigration", "asiointi", "palvelu", "hakemus", "tunnistus", "kirjaudu", "maksu", "tjanst",
)  # fmt: skip
# ASCII look-alike spellings that dnstwist also counts as homoglyphs.
_ASCII_HOMOGLYPHS = {
    "m": ("rn", "nn"), "w": ("vv",), "d": ("cl",), "l": ("1", "i"), "i": ("1", "l"),
    "o": ("0",), "g": ("q",), "q": ("g",), "n": ("m",), "b": ("lb",), "e": ("c",),
}  # fmt: skip
_HOMOGLYPHS_PER_LETTER = 12
_VALID = set("abcdefghijklmnopqrstuvwxyz0123456789-")


@dataclass(frozen=True)
class Candidate:
    domain: str  # Unicode form
    family: str

    @property
    def ascii(self) -> str:
        return ascii_host(self.domain)


def _label_ok(label: str) -> bool:
    return bool(label) and not label.startswith("-") and not label.endswith("-") and len(label) < 64


def _name_variants(name: str) -> dict[str, set[str]]:
    """Variants of the registrable label `name`, by family."""
    families: dict[str, set[str]] = {family: set() for family in FAMILIES}
    letters = range(len(name))
    for i in letters:
        families["omission"].add(name[:i] + name[i + 1 :])
        families["repetition"].add(name[:i] + name[i] + name[i:])
        if i + 1 < len(name):
            families["transposition"].add(name[:i] + name[i + 1] + name[i] + name[i + 2 :])
        if i > 0:
            families["hyphenation"].add(name[:i] + "-" + name[i:])
        for key in adjacent_keys(name[i]):
            families["replacement"].add(name[:i] + key + name[i + 1 :])
            families["insertion"].add(name[:i] + key + name[i:])
            families["insertion"].add(name[: i + 1] + key + name[i + 1 :])
        if name[i] in VOWELS:
            for vowel in VOWELS:
                families["vowel-swap"].add(name[:i] + vowel + name[i + 1 :])
        for bit in range(8):
            flipped = chr(ord(name[i]) ^ (1 << bit))
            if flipped in _VALID and flipped != "-":
                families["bitsquatting"].add(name[:i] + flipped + name[i + 1 :])
        for glyph in homoglyphs_of(name[i])[:_HOMOGLYPHS_PER_LETTER] + _ASCII_HOMOGLYPHS.get(
            name[i], ()
        ):
            families["homoglyph"].add(name[:i] + glyph + name[i + 1 :])
    # Two ASCII substitutions at once (m1gr1, rniqri), as dnstwist's second pass makes them.
    first_pass = {
        name[:i] + glyph + name[i + 1 :]
        for i in letters
        for glyph in _ASCII_HOMOGLYPHS.get(name[i], ())
    }
    for variant in first_pass:
        for i, letter in enumerate(variant):
            for glyph in _ASCII_HOMOGLYPHS.get(letter, ()):
                families["homoglyph"].add(variant[:i] + glyph + variant[i + 1 :])
    # Whole-word substitution: every letter that has a Cyrillic twin takes it.
    families["homoglyph"].add("".join(_cyrillic(c) for c in name))
    families["homoglyph"].add(name.replace("rn", "m"))
    for character in "abcdefghijklmnopqrstuvwxyz0123456789":
        families["addition"].add(name + character)
    for word in DICTIONARY_WORDS:
        for combined in (f"{name}-{word}", f"{word}-{name}", f"{name}{word}", f"{word}{name}"):
            families["dictionary"].add(combined)
    return families


def _cyrillic(letter: str) -> str:
    for glyph in homoglyphs_of(letter):
        if unicodedata.name(glyph, "").startswith("CYRILLIC"):
            return glyph
    return letter


def generate(domain: str) -> list[Candidate]:
    """Candidates that imitate `domain`, each tagged with its family, in a stable order."""
    domain = normalize_host(domain)
    _, name, suffix = split_registrable(domain)
    if not name or not suffix:
        return []
    seen = {domain}
    candidates: list[Candidate] = []

    def add(candidate: str, family: str) -> None:
        if candidate in seen:
            return
        labels = candidate.split(".")
        if not all(_label_ok(label) for label in labels):
            return
        seen.add(candidate)
        candidates.append(Candidate(candidate, family))

    families = _name_variants(name)
    for family in FAMILIES:
        for variant in sorted(families[family]):
            if variant != name:
                add(f"{variant}.{suffix}", family)
    for i in range(1, len(name)):
        add(f"{name[:i]}.{name[i:]}.{suffix}", "subdomain")
    for tld in SWAP_TLDS:
        if tld != suffix:
            add(f"{name}.{tld}", "tld-swap")
    compact_suffix = suffix.replace(".", "")
    for tld in ("com", "net", "org", "eu", suffix):
        add(f"{name}-{compact_suffix}.{tld}", "various")
        add(f"{name}{compact_suffix}.{tld}", "various")
    return candidates

"""Lookalike domains: the candidates of a domain in dnstwist's families, and the model that
recognises a lookalike of an official domain in a link or a sender address.

The watchlist (`generate`) and the detector (`LookalikeModel.match`) share this module, so every
listed candidate is recognised: the model indexes the generated candidates and adds general rules
(skeletons, diacritics, edit distance, words, the official name as a subdomain) for the rest.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .confusables import homoglyphs_of, skeleton, strip_diacritics
from .domains import ascii_host, domain_in, normalize_host, registrable_domain, split_registrable
from .typos import VOWELS, adjacent_keys, damerau_levenshtein, typo_family

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
SWAP_TLDS = (
    "com", "net", "org", "info", "eu", "fi", "se", "ee", "de", "co", "io", "biz", "online", "site",
    "xyz", "top", "app", "me", "us", "ru", "cn", "nl", "fr", "es", "it", "pl", "no", "dk", "lt",
    "live", "click", "link", "services", "support", "help", "gov", "shop", "cc", "icu", "cloud",
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


@dataclass(frozen=True)
class LookalikeMatch:
    imitates: str
    family: str


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


class LookalikeModel:
    """Recognises lookalikes of the `protected` domains; never flags the `legitimate` ones."""

    def __init__(self, protected: tuple[str, ...], legitimate: tuple[str, ...] = ()):
        self.protected = tuple(dict.fromkeys(normalize_host(d) for d in protected if d))
        self.legitimate = frozenset(normalize_host(d) for d in protected + legitimate if d)
        self._index: dict[str, LookalikeMatch] = {}
        self._targets: list[tuple[str, str, str, str]] = []  # (domain, name, suffix, skeleton)
        for domain in self.protected:
            _, name, suffix = split_registrable(domain)
            self._targets.append((domain, name, suffix, skeleton(name)))
            for candidate in generate(domain):
                if not domain_in(candidate.domain, self.legitimate):
                    self._index.setdefault(
                        candidate.domain, LookalikeMatch(domain, candidate.family)
                    )
        self.match = lru_cache(maxsize=8192)(self._match)

    def _match(self, host: str) -> LookalikeMatch | None:
        host = normalize_host(host)
        if not host or domain_in(host, self.legitimate):
            return None
        found = self._index.get(host) or self._index.get(registrable_domain(host))
        if found:
            return found
        prefix_labels, name, suffix = split_registrable(host)
        for domain, target, _suffix, target_skeleton in self._targets:
            family = self._compare(
                host, prefix_labels, name, suffix, domain, target, target_skeleton
            )
            if family:
                return LookalikeMatch(domain, family)
        return None

    @staticmethod
    def _compare(host, prefix_labels, name, suffix, domain, target, target_skeleton) -> str:
        if not name:
            return ""
        # The official name as a subdomain of another domain: migri.fi.example.com.
        if (
            target in prefix_labels
            or f".{domain}." in f".{host}."
            or "".join(prefix_labels) + name == target
        ):
            return "subdomain"
        if name == target:
            return "tld-swap"
        plain = strip_diacritics(name)
        if plain == target or skeleton(name) == target_skeleton:
            return "homoglyph"
        compact = plain.replace("-", "")
        if compact == target:
            return "hyphenation"
        if target in compact:
            rest = [piece for piece in plain.replace(target, "-", 1).split("-") if piece]
            if all(piece in DICTIONARY_WORDS or piece in SWAP_TLDS for piece in rest):
                return "dictionary"
        limit = 2 if len(target) >= 10 else 1 if len(target) >= 5 else 0
        if limit and damerau_levenshtein(plain, target, limit) <= limit:
            return typo_family(plain, target) if len(plain) != len(target) or limit else "typo"
        if limit and damerau_levenshtein(skeleton(compact), target_skeleton, limit) <= limit:
            return "homoglyph"
        return ""

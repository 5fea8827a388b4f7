"""Confusable characters: folding to ASCII, loose skeletons, diacritic stripping, scripts.

The mapping comes from the Unicode confusables data that confusable-homoglyphs ships, so that no
table is maintained by hand here beyond the few letters that data leaves out. A host is folded to
ASCII once (diacritics stripped, each confusable to its ASCII prototype); then the ASCII classes
that read alike in a domain name (i l 1 |, o 0, m rn nn, w vv, g q, d cl) collapse in a skeleton,
and a looser one also joins the pairs dnstwist counts as homoglyphs (m n r, b d, c e, u v).
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import confusable_homoglyphs
import idna

# Letters that the confusables data relates to no ASCII letter, although lookalike generators
# (dnstwist) use them for one; a name rule cannot find them because their names differ.
_UNRELATED_LOOKALIKES = {
    "ŋ": "n", "ə": "a", "ƅ": "b", "ь": "b", "ƿ": "p", "ʒ": "3", "ɂ": "2", "ƨ": "2",
}  # fmt: skip
# "LATIN SMALL LETTER G WITH STROKE", "LATIN LETTER SMALL CAPITAL R", "LATIN SMALL LETTER U BAR".
_LETTER_NAME = re.compile(
    r"^LATIN (?:SMALL |CAPITAL )?LETTER (?:SMALL CAPITAL )?([A-Z])(?: WITH .*| BAR)?$"
)
# Strong classes: read as the same letter in any font a browser shows a host in.
_PAIRS = {"rn": "m", "nn": "m", "vv": "w", "cl": "d"}
_PAIR = re.compile("|".join(_PAIRS))
_SINGLES = str.maketrans({"l": "i", "1": "i", "|": "i", "0": "o", "q": "g"})
# Weak classes: dnstwist's ASCII homoglyphs that a careful reader still tells apart.
_WEAK = str.maketrans({"m": "n", "r": "n", "b": "d", "c": "e", "v": "u", "8": "3", "9": "6"})
_STRONG_PATTERN = {
    "i": "[il1|]", "o": "[o0]", "m": "(?:m|rn|nn)", "w": "(?:w|vv)", "g": "[gq]", "d": "(?:d|cl)",
}  # fmt: skip
_WEAK_PATTERN = {
    **_STRONG_PATTERN,
    "m": "[mnr]{1,3}", "n": "[mnr]{1,3}", "r": "[mnr]{1,3}", "d": "(?:[bd]|cl|dl|lb)",
    "b": "(?:[bd]|cl|dl|lb)", "c": "[ce]", "e": "[ce]", "u": "[uv]", "v": "[uv]",
    "h": "(?:h|lh)", "k": "(?:k|lc)", "3": "[38]", "8": "[38]", "6": "[69]", "9": "[69]",
}  # fmt: skip


@cache
def _confusables() -> dict[str, list[dict]]:
    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def _tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(character -> ASCII prototype, ASCII letter -> its non-ASCII lookalikes)."""
    to_prototype: dict[str, str] = {}
    lookalikes: dict[str, list[str]] = {}
    for character, entries in _confusables().items():
        if len(character) != 1 or character.isascii():
            continue
        for entry in entries:
            target = entry.get("c", "").lower()
            if target and target.isascii() and target.isalnum():
                to_prototype[character] = target
                if len(target) == 1 and _registrable_letter(character):
                    lookalikes.setdefault(target, []).append(character)
                break
    # Letters with diacritics (ï, ó, ạ) are not confusables in TR39, but dnstwist lists them.
    for code_point in (*range(0x00E0, 0x0250), *range(0x1E00, 0x1F00)):
        character = chr(code_point)
        base = strip_diacritics(character)
        if len(base) == 1 and base.isascii() and base.isalpha() and _registrable_letter(character):
            lookalikes.setdefault(base, []).append(character)
    return to_prototype, {letter: tuple(chars) for letter, chars in lookalikes.items()}


def _registrable_letter(character: str) -> bool:
    """A lower-case Latin, Cyrillic or Greek letter that a registry would accept in a label."""
    if not (character.isalpha() and character.islower()):
        return False
    if unicodedata.normalize("NFC", character) != character:
        return False
    if unicodedata.name(character, "").split(" ", 1)[0] not in ("LATIN", "CYRILLIC", "GREEK"):
        return False
    try:
        idna.encode(character)
    except idna.IDNAError:
        return False
    return True


def homoglyphs_of(letter: str) -> tuple[str, ...]:
    """Lower-case non-ASCII letters that look like the ASCII `letter`."""
    return _tables()[1].get(letter, ())


@lru_cache(maxsize=4096)
def _fold_character(character: str, depth: int = 0) -> str:
    """The ASCII a character reads as ('' parts dropped), or the character itself if none."""
    plain = strip_diacritics(character).lower()
    if plain.isascii():
        return plain
    if len(plain) > 1:
        return "".join(_fold_character(part, depth) for part in plain)
    if plain in _UNRELATED_LOOKALIKES:
        return _UNRELATED_LOOKALIKES[plain]
    # The Unicode data first (ʋ reads as u, though its name makes it a v with a hook), as the
    # watchlist's homoglyphs come from it; then the letter's name; then the data's links
    # through another lookalike (ԍ -> ɢ -> g).
    prototype = _tables()[0].get(plain)
    if prototype:
        return prototype
    named = _LETTER_NAME.match(unicodedata.name(plain, ""))
    if named:
        return named.group(1).lower()
    if depth < 3:
        for entry in _confusables().get(plain, ()):
            folded = "".join(_fold_character(part, depth + 1) for part in entry.get("c", ""))
            if folded.isascii() and folded.isalnum():
                return folded
    return plain


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case ASCII reading of `text`: diacritics stripped, confusables to their prototype."""
    if text.isascii():
        return text.lower()
    return "".join(_fold_character(character) for character in text)


@lru_cache(maxsize=16384)
def loose_skeleton(folded: str) -> str:
    """One symbol per strong class of a folded text, pairs read left to right in one pass."""
    return _PAIR.sub(_pair_symbol, folded).translate(_SINGLES)


def _pair_symbol(found: re.Match) -> str:
    return _PAIRS[found.group(0)]


@lru_cache(maxsize=16384)
def weak_skeleton(skeleton: str) -> str:
    """A loose skeleton with the weak classes joined too, runs of m, n and r counted as one."""
    joined = skeleton.translate(_WEAK)
    return re.sub("n+", "n", joined)


def skeleton_pattern(skeleton: str, weak: bool = False) -> str:
    """A regular expression for every folded spelling of a loose skeleton: one alternative per
    class, so that a search finds the name however the pairs (rn, cl) around it fall."""
    table = _WEAK_PATTERN if weak else _STRONG_PATTERN
    return "".join(table.get(symbol, re.escape(symbol)) for symbol in skeleton)


@lru_cache(maxsize=8192)
def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def scripts(text: str) -> set[str]:
    """The scripts of the letters in `text`, by the first word of their Unicode names."""
    found = set()
    for character in text:
        if character.isascii():
            if character.isalpha():
                found.add("LATIN")
            continue
        if not character.isalpha():
            continue
        name = unicodedata.name(character, "")
        found.add(name.split(" ", 1)[0] if name else "UNKNOWN")
    return found


def is_mixed_script(label: str) -> bool:
    return len(scripts(label)) > 1

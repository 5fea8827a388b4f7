"""Confusable characters: TR39-style skeletons, diacritic stripping and script detection.

The mapping comes from the Unicode confusables data that confusable-homoglyphs ships, so that no
table is maintained by hand here. A skeleton keeps combining marks (as TR39 does), which is why a
second comparison with diacritics stripped exists: ä and ö are ordinary letters in Finnish names.
"""

from __future__ import annotations

import json
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

import confusable_homoglyphs
import idna

# ASCII sequences that read as another ASCII letter; TR39 maps m to "rn" the same way.
_ASCII_PROTOTYPES = {"m": "rn", "w": "vv", "0": "o", "1": "l", "|": "l"}


@cache
def _tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """(character -> ASCII prototype, ASCII letter -> its non-ASCII lookalikes)."""
    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    to_prototype: dict[str, str] = {}
    lookalikes: dict[str, list[str]] = {}
    for character, entries in data.items():
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


@lru_cache(maxsize=8192)
def skeleton(text: str) -> str:
    """A TR39-style skeleton: NFD, each character to its prototype, lower-case, NFD again."""
    to_prototype = _tables()[0]
    decomposed = unicodedata.normalize("NFD", text.lower())
    mapped = []
    for character in decomposed:
        prototype = to_prototype.get(character, character)
        mapped.append("".join(_ASCII_PROTOTYPES.get(c, c) for c in prototype))
    return unicodedata.normalize("NFD", "".join(mapped))


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

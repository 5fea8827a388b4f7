"""Typing errors: keyboard adjacency (qwerty, qwertz, azerty) and Damerau-Levenshtein distance."""

from __future__ import annotations

from functools import cache

KEYBOARDS = {
    "qwerty": ("1234567890-", "qwertyuiop", "asdfghjkl", "zxcvbnm"),
    "qwertz": ("1234567890", "qwertzuiopü", "asdfghjklöä", "yxcvbnm"),
    "azerty": ("1234567890", "azertyuiop", "qsdfghjklm", "wxcvbn"),
}
VOWELS = "aeiouy"


@cache
def adjacent_keys(character: str) -> frozenset[str]:
    """Keys next to `character` on any of the three layouts (same row, and the rows around it)."""
    neighbours: set[str] = set()
    for rows in KEYBOARDS.values():
        for row_index, row in enumerate(rows):
            column = row.find(character)
            if column < 0:
                continue
            for other_row, columns in (
                (row_index, (column - 1, column + 1)),
                (row_index - 1, (column, column + 1)),
                (row_index + 1, (column - 1, column)),
            ):
                if 0 <= other_row < len(rows):
                    for other_column in columns:
                        if 0 <= other_column < len(rows[other_row]):
                            neighbours.add(rows[other_row][other_column])
    neighbours.discard(character)
    return frozenset(neighbours)


def damerau_levenshtein(a: str, b: str, limit: int = 3) -> int:
    """Optimal-string-alignment distance, cut short once it exceeds `limit`."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def typo_family(candidate: str, original: str) -> str:
    """The dnstwist family of a one-edit typo of `original`."""
    if len(candidate) == len(original) + 1:
        if candidate[:-1] == original:
            return "addition"
        # A doubled letter can be removed at either of its two places: look at every one.
        removable = [
            index
            for index in range(len(candidate))
            if candidate[:index] + candidate[index + 1 :] == original
        ]
        if any(index > 0 and candidate[index] == candidate[index - 1] for index in removable):
            return "repetition"
        return "insertion"
    if len(candidate) == len(original) - 1:
        return "omission"
    differences = [i for i, (x, y) in enumerate(zip(candidate, original, strict=False)) if x != y]
    if len(differences) == 2 and differences[1] == differences[0] + 1:
        return "transposition"
    if len(differences) == 1:
        new, old = candidate[differences[0]], original[differences[0]]
        if new in VOWELS and old in VOWELS:
            return "vowel-swap"
        if new in adjacent_keys(old):
            return "replacement"
        if _one_bit(new, old):
            return "bitsquatting"
        return "replacement"
    return "typo"


def _one_bit(x: str, y: str) -> bool:
    difference = ord(x) ^ ord(y)
    return difference != 0 and difference & (difference - 1) == 0


def is_plausible_typo(candidate: str, original: str) -> bool:
    """One slip of the fingers or of a bit: an omitted, doubled, swapped or added character,
    a key next to the intended one, a flipped bit or another vowel. Another letter far away on
    every keyboard makes another word (mirri is not a typo of migri)."""
    if len(candidate) == len(original) - 1:
        return damerau_levenshtein(candidate, original, 1) == 1
    if len(candidate) == len(original) + 1:
        if candidate[:-1] == original:
            return True
        for index, added in enumerate(candidate):
            if candidate[:index] + candidate[index + 1 :] != original:
                continue
            around = candidate[index - 1 : index] + candidate[index + 1 : index + 2]
            # A hyphen, or an s as dnstwist's plural family adds it (migsri, enterfinlands).
            if added in "-s" or any(added == c or added in adjacent_keys(c) for c in around):
                return True
        return False
    if len(candidate) != len(original):
        return False
    differences = [i for i, (x, y) in enumerate(zip(candidate, original, strict=True)) if x != y]
    if len(differences) == 2 and differences[1] == differences[0] + 1:
        first, second = differences
        return candidate[first] == original[second] and candidate[second] == original[first]
    if len(differences) != 1:
        return False
    new, old = candidate[differences[0]], original[differences[0]]
    return new in adjacent_keys(old) or _one_bit(new, old) or (new in VOWELS and old in VOWELS)

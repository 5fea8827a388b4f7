"""The engine's shortcuts give what the plain way gives: the authority's name found once per
text in find_claim (claims._NameMatches), and a short text's words read with findall
(language_detection._words)."""

from __future__ import annotations

from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st

from trust.engine.analyzers.claims import _NameMatches
from trust.engine.language_detection import _WORD, MAX_WORDS, _words
from trust.engine.policy import DomainPolicy

from .conftest import SEED_CONFIG

PATTERN = DomainPolicy(SEED_CONFIG).name_pattern
# Pieces that make the name, its inflections, its spaced and dotted forms, and near misses.
PIECES = [
    "Migri", "migrin", "MIGRI", "Mig ri", "M-i-g-r-i", "Maahanmuuttovirasto", "maahanmuuttoviraston",
    "Migrationsverket", "migrationsverkets", "Finnish Immigration Service", "Immigration  Service",
    "Enter Finland", "enterfinland", "enter_finland", "xMigri", "9Migri", "_Migri", "ſ", "İ", "K",
    " ", "\n", ".", "-", "_", "a", "Ä", "é", "1", ",", "ı",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=30).map("".join)


def _plain(text: str, count: int) -> list[tuple[int, int]]:
    return [match.span() for match in islice(PATTERN.finditer(text), count)]


@settings(max_examples=300, deadline=None)
@given(texts, st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=5))
def test_the_names_found_once_are_the_names_finditer_finds(text, counts):
    names = _NameMatches(PATTERN)
    for count in counts:  # in any order: a shorter read first, a longer one after, or the reverse
        assert [match.span() for match in names.first(text, count)] == _plain(text, count)
    assert [match.span() for match in names.every(text)] == _plain(text, len(text) + 10)
    first = names.first(text, 1)
    found = PATTERN.search(text)
    assert (first[0].span() if first else None) == (found.span() if found else None)


def test_a_text_full_of_names_is_read_only_as_far_as_asked():
    text = "Migri " * 10_000
    names = _NameMatches(PATTERN)
    assert len(names.first(text, 50)) == 50
    assert len(names.every(text)) == 10_000


def _plain_words(text: str) -> list[str]:
    return [match.group().lower() for match in islice(_WORD.finditer(text), MAX_WORDS)]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_a_short_texts_words_are_those_the_match_objects_give(text):
    assert _words(text) == _plain_words(text)


def test_texts_around_the_length_where_findall_takes_over_give_the_same_words():
    for length in range(2 * MAX_WORDS - 3, 2 * MAX_WORDS + 4):
        for text in ("a " * length)[:length], ("ab " * length)[:length], ("İa," * length)[:length]:
            assert _words(text) == _plain_words(text)
            assert len(_words(text)) <= MAX_WORDS

"""The anchors' patterns find an anchor exactly where the substring tests they replace did."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.trust.corpus.loader import load_corpus
from trust.engine.phishing_phrases import _ANCHOR_PATTERNS, _ANCHORS

ANCHOR_TEXT = "".join(sorted({c for words in _ANCHORS.values() for word in words for c in word}))
# Texts made of the anchors' own letters and pieces of the anchors, so that many hold one.
TEXTS = st.lists(
    st.text(alphabet=ANCHOR_TEXT + " .\n", max_size=12)
    | st.sampled_from([word for words in _ANCHORS.values() for word in words]).map(
        lambda word: word[: max(1, len(word) - 1)] if len(word) > 3 else word
    )
    | st.sampled_from([word for words in _ANCHORS.values() for word in words]),
    max_size=6,
).map("".join)


def _agree(text: str) -> None:
    for pattern, anchors in _ANCHORS.items():
        found = any(anchor in text for anchor in anchors)
        assert bool(_ANCHOR_PATTERNS[pattern].search(text)) is found, (anchors, text)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_an_anchor_is_found_where_a_substring_test_finds_it(text):
    _agree(text)


def test_every_anchor_is_found_alone_and_inside_words():
    for anchors in _ANCHORS.values():
        for anchor in anchors:
            _agree(anchor)
            _agree(f"x{anchor}y")
            _agree(anchor[:-1])


def test_the_corpus_lowered_agrees():
    for item in load_corpus(None):
        content = item.content
        text = content.decode("utf-8", "replace") if isinstance(content, bytes) else content
        _agree(text.lower())

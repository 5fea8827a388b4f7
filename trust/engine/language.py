"""Words in fi, sv and en matched through Snowball stems, so inflected and compound forms count."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import Stemmer

from .vocabulary import CONCEPTS

_LANGUAGES = {"fi": "finnish", "sv": "swedish", "en": "english"}
_TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_MIN_COMPOUND_HEAD = 5  # a compound's head must be this long to match inside a longer word
_STEM_CACHE_LIMIT = 200_000
# Longer "words" are not words (the longest Finnish compounds in use are about 60 letters): the
# compound search below slices a word at every position, so one 50,000-letter token cost 2.4 s.
_MAX_WORD_CHARS = 80
_COMPOUNDING = frozenset({"sensitive", "permit", "threat", "payment", "guarantee", "eservice"})


def _with_inflection_stems(language: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Finnish nouns in -us/-ys/-os/-ös inflect on -ukse-/-ykse- (tunnus: tunnuksesi), a change
    the stemmer keeps; their plural gives that stem."""
    if language != "fi":
        return words
    extra = tuple(
        w[:-1] + "kset" for w in words if " " not in w and w.endswith(("us", "ys", "os", "ös"))
    )
    return words + extra


@dataclass
class Sentence:
    text: str
    concepts: set[str] = field(default_factory=set)


class Vocabulary:
    """Stems every base form once; matches the tokens of a text against them."""

    def __init__(self):
        self._stemmers = {code: Stemmer.Stemmer(name) for code, name in _LANGUAGES.items()}
        self._single: dict[str, set[str]] = {}  # stem -> concepts
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first stem -> phrases
        self._cache: dict[str, tuple[str, ...]] = {}
        self._concept_cache: dict[str, frozenset[str]] = {}
        for concept, (_, forms) in CONCEPTS.items():
            for language, words in forms.items():
                stemmer = self._stemmers[language]
                for word in _with_inflection_stems(language, words):
                    tokens = [t.lower() for t in _TOKEN.findall(word)]
                    stems = tuple(stemmer.stemWord(token) for token in tokens)
                    if len(stems) == 1:
                        self._single.setdefault(stems[0], set()).add(concept)
                        self._single.setdefault(tokens[0], set()).add(concept)
                    elif stems:
                        self._phrases.setdefault(stems[0], []).append((stems, concept))
        # Only nouns form compounds; a verb such as "vastaa" must not match "vastaanottaneet".
        self._compound_heads = {
            stem
            for stem, concepts in self._single.items()
            if len(stem) >= _MIN_COMPOUND_HEAD
            and all(CONCEPTS[c][0] in _COMPOUNDING for c in concepts)
        }

    def stems(self, token: str) -> tuple[str, ...]:
        cached = self._cache.get(token)
        if cached is None:
            cached = tuple({token, *(s.stemWord(token) for s in self._stemmers.values())})
            if len(self._cache) < _STEM_CACHE_LIMIT:
                self._cache[token] = cached
        return cached

    def _token_concepts(self, stems: tuple[str, ...]) -> set[str]:
        found: set[str] = set()
        for stem in stems:
            concepts = self._single.get(stem)
            if concepts:
                found |= concepts
            # Endings the stemmer left on: oleskelulupasi -> oleskelulup(asi).
            for cut in range(1, 4):
                if len(stem) - cut >= _MIN_COMPOUND_HEAD and stem[:-cut] in self._compound_heads:
                    found |= self._single[stem[:-cut]]
                    break
            # A compound that starts with a keyword: karkotuspäätös, passinumerokysely.
            for end in range(_MIN_COMPOUND_HEAD + 1, len(stem) - 2):
                if stem[:end] in self._compound_heads:
                    found |= self._single[stem[:end]]
                    break
            # Finnish and Swedish compounds end in their head word: kuukausitiliote, nätbankskod.
            for start in range(1, len(stem) - _MIN_COMPOUND_HEAD + 1):
                head = stem[start:]
                if head in self._compound_heads:
                    found |= self._single[head]
                    break
        return found

    def concepts(self, text: str) -> set[str]:
        tokens = [token.lower() for token in _TOKEN.findall(text) if len(token) <= _MAX_WORD_CHARS]
        token_stems = [self.stems(token) for token in tokens]
        found: set[str] = set()
        covered: set[int] = set()  # the words of a phrase ("pay" in "pay slip") count only in it
        for index, stems in enumerate(token_stems):
            for stem in stems:
                for phrase, concept in self._phrases.get(stem, ()):
                    positions = self._phrase_at(token_stems, index, phrase)
                    if positions:
                        found.add(concept)
                        covered.update(positions)
        for index, stems in enumerate(token_stems):
            if index not in covered:
                found |= self._concepts_of(tokens[index], stems)
        return found

    def _concepts_of(self, token: str, stems: tuple[str, ...]) -> frozenset[str]:
        cached = self._concept_cache.get(token)
        if cached is None:
            cached = frozenset(self._token_concepts(stems))
            if len(self._concept_cache) < _STEM_CACHE_LIMIT:
                self._concept_cache[token] = cached
        return cached

    @staticmethod
    def _phrase_at(token_stems, index, phrase) -> list[int]:
        """The positions of the phrase's words when it starts at `index`, else []."""
        positions = [index]
        for wanted in phrase[1:]:
            # Up to two filler words may sit inside: "date of birth", "copy of your passport".
            for skip in (0, 1, 2):
                at = positions[-1] + 1 + skip
                if at < len(token_stems) and wanted in token_stems[at]:
                    positions.append(at)
                    break
            else:
                return []
        return positions

    def sentences(self, text: str) -> list[Sentence]:
        return [
            Sentence(part, self.concepts(part)) for part in _SENTENCE.split(text) if part.strip()
        ]

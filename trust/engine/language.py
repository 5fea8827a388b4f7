"""Words in fi, sv and en matched through Snowball stems, so inflected and compound forms count."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

import Stemmer

from .vocabulary import CONCEPTS, EXACT_WORDS

_LANGUAGES = {"fi": "finnish", "sv": "swedish", "en": "english"}
TOKEN = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")

_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n\s*\n")
_MIN_COMPOUND_HEAD = 5  # a compound's head must be this long to match inside a longer word
_STEM_CACHE_LIMIT = 200_000
# Longer "words" are not words (the longest Finnish compounds in use are about 60 letters): the
# compound search below slices a word at every position, so one 50,000-letter token cost 2.4 s.
_MAX_WORD_CHARS = 80
_COMPOUNDING = frozenset({
    "sensitive", "permit", "threat", "payment", "guarantee", "eservice", "status"
})  # fmt: skip


_FI_VOWELS = frozenset("aeiouyäö")
# Consonant gradation, strong grade -> weak grade, longest first: the genitive and plural of a
# noun take the weak grade (syntymäaika: syntymäajan, oleskelulupa: oleskeluluvan, kortti: kortin),
# a change Snowball keeps in the stem.
_FI_GRADATION = (
    ("kk", "k"), ("pp", "p"), ("tt", "t"), ("nk", "ng"), ("mp", "mm"), ("lt", "ll"),
    ("nt", "nn"), ("rt", "rr"), ("ik", "j"), ("p", "v"), ("t", "d"), ("k", ""),
)  # fmt: skip
_FI_CLITICS = ("kaan", "kään", "kin", "han", "hän")
_FI_POSSESSIVES = ("nsa", "nsä", "mme", "nne", "ni", "si")
_SV_DEFINITE = ("ets", "et")  # Snowball's Swedish step leaves the neuter definite: kortet, passet


def _fi_weak_grade(word: str) -> str:
    """The weak-grade stem of a Finnish noun ending in a vowel, or ''."""
    if len(word) < 4 or word[-1] not in _FI_VOWELS:
        return ""
    body, final = word[:-1], word[-1]
    for strong, weak in _FI_GRADATION:
        if body.endswith(strong) and len(body) > len(strong):
            before = body[-len(strong) - 1]
            if len(strong) == 2 or before in _FI_VOWELS or before in "lrh":
                return body[: -len(strong)] + weak + final
            return ""
    return ""


def _with_inflection_stems(language: str, words: tuple[str, ...]) -> tuple[str, ...]:
    """Base forms plus forms whose stem the stemmer changes, so that those inflections match too.

    Finnish nouns in -us/-ys/-os/-ös inflect on -ukse-/-ykse- (tunnus: tunnuksesi); nouns with
    consonant gradation take the weak grade in the genitive and plural (syntymäajan). Swedish
    nouns in unstressed -er drop the e in the definite and plural (passnummer: passnumret).
    """
    extra: list[str] = []
    for word in words:
        if " " in word:
            continue
        if language == "fi":
            if word.endswith(("us", "ys", "os", "ös")):
                extra.append(word[:-1] + "kset")
            weak = _fi_weak_grade(word)
            if weak:
                extra += [weak + "n", weak + "t"]
        elif language == "sv" and len(word) > 5 and word.endswith("er") and word[-3] == word[-4]:
            extra += [word[:-3] + "ret", word[:-3] + "ren"]
    return words + tuple(extra)


def _surface_variants(token: str) -> tuple[str, ...]:
    """The token with the suffixes Snowball does not strip, removed.

    A hand-written step because libvoikko (the Finnish morphological analyser) is not available:
    Finnish clitics (-kin, -kaan, -han) and possessive suffixes (-ni, -si, -mme, -nne, -nsa,
    long-vowel + n) sit outside the case ending, and Snowball removes them only in some
    combinations (passinumerosikin, oleskelulupanikin). A 2nd-person verb with -han is a polite
    request (lähetäthän, vastaattehan: "please send", "please reply"), so its imperative is added
    too. Swedish: the neuter definite -et/-ets (passet, kortet, numret) and -t after a vowel
    (kontot). Each variant is an extra form to stem; a wrong cut only adds a stem nothing matches.
    """
    variants: list[str] = []
    word = token
    for clitic in _FI_CLITICS:
        if word.endswith(clitic) and len(word) - len(clitic) >= 3:
            word = word[: -len(clitic)]
            variants.append(word)
            if clitic in ("han", "hän"):
                if word.endswith("tte") and len(word) > 5:
                    variants.append(word[:-3])
                elif word.endswith("t") and len(word) > 3:
                    variants.append(word[:-1])
            break
    for suffix in _FI_POSSESSIVES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            variants.append(word[: -len(suffix)])
            break
    else:
        # Third person after a long vowel: passinumeroaan -> passinumeroa.
        if len(word) > 6 and word[-1] == "n" and word[-2] in _FI_VOWELS and word[-2] == word[-3]:
            variants.append(word[:-1])
    for suffix in _SV_DEFINITE:
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            variants.append(token[: -len(suffix)])
            break
    else:
        if (
            len(token) > 5
            and token[-1] == "t"
            and token[-2] in "aeiouyåäö"
            and token[-3] not in "aeiouyåäö"
        ):
            variants.append(token[:-1])
    return tuple(variants)


@dataclass
class Sentence:
    text: str
    concepts: set[str] = field(default_factory=set)


class Vocabulary:
    """Stems every base form once; matches the tokens of a text against them."""

    def __init__(self):
        self._stemmers = {code: Stemmer.Stemmer(name) for code, name in _LANGUAGES.items()}
        # PyStemmer's objects are not thread-safe by its documentation, and gunicorn's threads
        # share one engine per process: at check time each thread stems with stemmers of its own.
        self._per_thread = threading.local()
        self._single: dict[str, set[str]] = {}  # stem -> concepts
        self._phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first stem -> phrases
        self._cache: dict[str, tuple[str, ...]] = {}
        self._concept_cache: dict[str, frozenset[str]] = {}
        for concept, (_, forms) in CONCEPTS.items():
            for language, words in forms.items():
                stemmer = self._stemmers[language]
                for word in _with_inflection_stems(language, words):
                    tokens = [t.lower() for t in TOKEN.findall(word)]
                    stems = tuple(stemmer.stemWord(token) for token in tokens)
                    if len(stems) == 1:
                        self._single.setdefault(stems[0], set()).add(concept)
                        self._single.setdefault(tokens[0], set()).add(concept)
                    elif stems:
                        self._phrases.setdefault(stems[0], []).append((stems, concept))
        # Words whose stem is another language's word ("ettet" stems to "et", Swedish "ett").
        for word, concept in EXACT_WORDS.items():
            self._single.setdefault(word, set()).add(concept)
        # Only nouns form compounds; a verb such as "vastaa" must not match "vastaanottaneet".
        self._compound_heads = {
            stem
            for stem, concepts in self._single.items()
            if len(stem) >= _MIN_COMPOUND_HEAD
            and all(CONCEPTS[c][0] in _COMPOUNDING for c in concepts)
        }

    def _thread_stemmers(self) -> list:
        stemmers = getattr(self._per_thread, "stemmers", None)
        if stemmers is None:
            stemmers = self._per_thread.stemmers = [
                Stemmer.Stemmer(name) for name in _LANGUAGES.values()
            ]
        return stemmers

    def stems(self, token: str) -> tuple[str, ...]:
        cached = self._cache.get(token)
        if cached is None:
            forms = (token, *_surface_variants(token))
            cached = tuple(
                {*forms, *(s.stemWord(form) for form in forms for s in self._thread_stemmers())}
            )
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
        tokens = [token.lower() for token in TOKEN.findall(text) if len(token) <= _MAX_WORD_CHARS]
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

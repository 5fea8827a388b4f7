"""The detector of lookalike domains: compares confusable skeletons of a host's pieces with the
official names, instead of enumerating the substitutions an attacker might make.

A host is cut into units: each label before the public suffix, each hyphen-separated piece of a
label, and runs of up to four labels joined (a name split by dots: m.igri.fi). Each unit is folded
to ASCII (confusables.fold) and compared with each protected name in four ways, strictest first:

1. its strong skeleton equals the name's (rnigri, m1gr1, enterfinIand, mïgri, mіgrі in Cyrillic);
2. its weak skeleton equals the name's (nigri, cnterfinlancl: dnstwist's looser homoglyphs);
3. it contains the name, the rest being words of phishing domains, country words or digits
   (migri-portal, wwwmigri, asiointimigri); a long name may have anything around it;
4. a small edit distance from the name (mirgi, enterfinlnad).

A short name is also a common word or part of one (suomi in keski-suomi, suomi24), so for short
names the looser comparisons (2, 4, and a name that is merely one piece of a label) need either
the imitated domain's own public suffix or a suspicious context: another piece of the same label,
or a label to its right, that is a phishing word or a country word (migri-portal.fi-verify.com);
for the authority's own names also digits or a subdomain that not every site has. The authority's
names that are not domain labels (Maahanmuuttovirasto, Migrationsverket, also the name of
Sweden's agency at migrationsverket.se) always need a trick or such a context.

Cost: a host has at most 253 characters, so at most 127 labels and a bounded number of units of
bounded length; one regular expression tells which units spell some name at all, and the others
are compared only by length with the names they might be a typo of. Each comparison is a regular
expression without nested repetition, a membership test or an edit distance cut short at its
limit. Results are cached per host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from .confusables import fold, loose_skeleton, skeleton_pattern, weak_skeleton
from .domains import domain_in, normalize_host, split_registrable
from .lookalike_words import COUNTRY_WORDS, SITE_LABELS, TRICK_WORDS
from .typos import damerau_levenshtein, is_plausible_typo, typo_family

_LONG = 8  # a name this long is distinctive: it may appear with anything around it
_MAX_JOINED_LABELS = 4
_MAX_OCCURRENCES = 4  # occurrences of a name examined per unit
_PIECES = re.compile(r"[-_]+")
_DIGITS = re.compile(r"[0-9]+")
_COUNTRY_SKELETONS = frozenset(loose_skeleton(word) for word in COUNTRY_WORDS)


@dataclass(frozen=True)
class LookalikeMatch:
    imitates: str
    family: str


@dataclass(frozen=True)
class _Name:
    text: str  # folded, without spaces or hyphens
    imitates: str
    suffix: str
    kind: str  # own: a label of the authority's domains; related: other official; name
    skeleton: str
    weak: str
    strong: re.Pattern
    loose: re.Pattern
    limit: int

    @classmethod
    def build(cls, text: str, imitates: str, suffix: str, kind: str) -> _Name:
        skeleton = loose_skeleton(text)
        limit = 2 if len(skeleton) >= 9 else 1 if len(skeleton) >= 5 else 0
        return cls(
            text, imitates, suffix, kind, skeleton, weak_skeleton(skeleton),
            re.compile(skeleton_pattern(skeleton)), re.compile(skeleton_pattern(skeleton, True)),
            limit,
        )  # fmt: skip

    @property
    def free(self) -> bool:
        """A long domain label: distinctive enough to be flagged with anything around it."""
        return self.kind != "name" and len(self.skeleton) >= _LONG

    @property
    def trusted_alone(self) -> bool:
        """Flagged alone as a subdomain label, or loosely spelt under its own suffix."""
        return self.kind == "own" or self.free


class _Unit(NamedTuple):
    folded: str  # folded, hyphens removed
    raw: str  # as written (lower-case Unicode), with its hyphens and dots
    first: int  # index of its first label
    last: int  # index of its last label
    piece: int  # index of the piece within the label, or -1 for whole labels


@lru_cache(maxsize=1)
def _word_skeletons() -> tuple[frozenset[str], int]:
    words = frozenset(loose_skeleton(fold(word)) for word in TRICK_WORDS + COUNTRY_WORDS)
    return words, max(len(word) for word in words)


@lru_cache(maxsize=8192)
def _is_words(text: str, digits: bool) -> bool:
    """True when `text` (folded) is a run of phishing words or country words, or of those and
    digits when `digits` is allowed; one pass over its positions."""
    if not text:
        return True
    if _segments(loose_skeleton(text)):
        return True
    # Digits fold into letters in a skeleton (1 reads as l): split them off the folded text.
    return digits and all(_segments(loose_skeleton(p)) for p in _DIGITS.split(text) if p)


@lru_cache(maxsize=4096)
def _segments(skeleton: str) -> bool:
    words, longest = _word_skeletons()
    reachable = [True] + [False] * len(skeleton)
    furthest = 0
    for start in range(len(skeleton)):
        if start > furthest:
            return False  # nothing reaches this position, so nothing reaches the end
        if reachable[start]:
            for size in range(1, min(longest, len(skeleton) - start) + 1):
                if skeleton[start : start + size] in words:
                    reachable[start + size] = True
                    furthest = max(furthest, start + size)
    return reachable[-1]


class LookalikeModel:
    """Recognises lookalikes of the `protected` domains (the authority's own), of the `related`
    ones (other official services) and of the authority's `names`; never flags `legitimate`."""

    def __init__(
        self,
        protected: tuple[str, ...],
        legitimate: tuple[str, ...] = (),
        *,
        related: tuple[str, ...] = (),
        names: tuple[str, ...] = (),
    ):
        self.protected = tuple(dict.fromkeys(normalize_host(d) for d in protected if d))
        related = tuple(dict.fromkeys(normalize_host(d) for d in related if d))
        self.legitimate = frozenset(
            normalize_host(d) for d in self.protected + related + tuple(legitimate) if d
        )
        self._names: list[_Name] = []
        seen: set[str] = set()
        for kind, domains in (("own", self.protected), ("related", related)):
            for domain in domains:
                _, label, suffix = split_registrable(domain)
                text = fold(label).replace("-", "")
                if label and text not in seen:
                    seen.add(text)
                    self._names.append(_Name.build(text, domain, suffix, kind))
        first = self.protected[0] if self.protected else ""
        first_suffix = split_registrable(first)[2] if first else ""
        for name in names:
            text = re.sub(r"[\s_.-]+", "", fold(name.strip()))
            # Two-word names are generic shortenings ("Immigration Service"): not a brand.
            if first and len(text) >= 5 and len(name.split()) != 2 and text not in seen:
                seen.add(text)
                self._names.append(_Name.build(text, first, first_suffix, "name"))
        self._longest = max((len(name.text) for name in self._names), default=0)
        self._ordered = tuple(enumerate(self._names))
        self._by_length: dict[int, tuple[tuple[int, _Name], ...]] = {
            length: tuple(
                (order, name)
                for order, name in self._ordered
                if abs(length - len(name.skeleton)) <= name.limit
            )
            for length in range(self._longest + 3)
        }
        # Every spelling of every name, loosely: a unit that holds none can only be a typo.
        self._any_name = re.compile(
            "|".join(f"(?:{name.loose.pattern})" for name in self._names) or "(?!)"
        )
        self.match = lru_cache(maxsize=8192)(self._match)

    def _match(self, host: str) -> LookalikeMatch | None:
        host = normalize_host(host)
        if not host or host.startswith("[") or domain_in(host, self.legitimate):
            return None
        prefix, label, suffix = split_registrable(host)
        labels = [*prefix, label]
        if not label or len(labels) > 127:
            return None
        host_view = _HostView(labels, suffix)
        best: tuple[int, int, LookalikeMatch] | None = None
        for unit in host_view.units(self._longest):
            spelt = self._any_name.search(unit.folded) is not None
            if spelt:
                candidates = self._ordered
            else:  # it holds no spelling of any name: at most a typo of those of its length
                candidates = self._by_length.get(len(loose_skeleton(unit.folded)), ())
            if not candidates:
                continue
            words, own_signs = host_view.context(unit)
            for order, name in candidates:
                context = words or (own_signs and name.kind == "own")
                found = host_view.compare(unit, name, context, spelt)
                if found and (best is None or (found[0], order) < best[:2]):
                    best = (found[0], order, LookalikeMatch(name.imitates, found[1]))
                    if found[0] == 0 and order == 0:
                        return best[2]
        return best[2] if best else None


class _HostView:
    """A host cut into units, with what each label's pieces are (phishing words, digits)."""

    def __init__(self, labels: list[str], suffix: str):
        self.labels = labels
        self.suffix = suffix
        self.folded = [fold(label) for label in labels]
        self.pieces = [[p for p in _PIECES.split(label) if p] for label in self.folded]
        raw_pieces = [[p for p in _PIECES.split(label) if p] for label in labels]
        # Folding keeps hyphens, so the pieces align; a label where they do not shows folded.
        self.raw_pieces = [
            raw if len(raw) == len(folded) else folded
            for raw, folded in zip(raw_pieces, self.pieces, strict=True)
        ]
        self.words = [[_is_words(p, False) for p in pieces] for pieces in self.pieces]
        self.digits = [[p.isdigit() for p in pieces] for pieces in self.pieces]
        # Whether a label right of index i holds a phishing or country word (or digits).
        count = len(labels)
        self.words_right = [False] * (count + 1)
        self.digits_right = [False] * (count + 1)
        for index in range(count - 1, -1, -1):
            self.words_right[index] = self.words_right[index + 1] or any(self.words[index])
            self.digits_right[index] = self.digits_right[index + 1] or any(self.digits[index])

    def units(self, longest: int):
        """Each label, each piece of a hyphenated label, and runs of labels no longer than
        twice the longest name (a name split by dots, each letter spelt with two at most)."""
        count = len(self.labels)
        for first in range(count):
            joined = ""
            for last in range(first, min(first + _MAX_JOINED_LABELS, count)):
                joined += "".join(self.pieces[last])
                if last > first and len(joined) > 2 * longest:
                    break
                raw = ".".join(self.labels[first : last + 1])
                yield _Unit(joined, raw, first, last, -1)
            if len(self.pieces[first]) > 1:
                for index, piece in enumerate(self.pieces[first]):
                    raw_piece = self.raw_pieces[first][index]
                    yield _Unit(piece, raw_piece, first, first, index)

    def context(self, unit: _Unit) -> tuple[bool, bool]:
        """(a phishing or country word, a sign that counts beside the authority's own names:
        digits, or a subdomain label that not every site has). Words count in another piece of
        the unit's label or in a label to its right; labels to its left are subdomains, where
        words such as mail or login name a site's own services (mail.keski-suomi.fi)."""
        words = self.words_right[unit.last + 1]
        own = self.digits_right[unit.last + 1] or any(
            label not in SITE_LABELS for label in self.folded[: unit.first]
        )
        if unit.piece >= 0:
            for position, is_word in enumerate(self.words[unit.first]):
                if position != unit.piece:
                    words = words or is_word
                    own = own or self.digits[unit.first][position]
        return words, own

    def compare(
        self, unit: _Unit, name: _Name, context: bool, spelt: bool = True
    ) -> tuple[int, str] | None:
        """(score, family) when `unit` imitates `name`: 0 strong, 1 weak, 2 an edit away.
        `spelt` False says that no spelling of any name occurs in the unit: only a typo may."""
        text = unit.folded
        registrable = unit.last == len(self.labels) - 1
        own_suffix = registrable and unit.piece < 0 and self.suffix == name.suffix
        if not spelt:
            near = context or (own_suffix and name.trusted_alone) or name.free
            if near and name.limit and unit.first == unit.last:
                return self._typo(text, name, own_suffix or context)
            return None
        if name.strong.fullmatch(text):
            family = self._exact_family(unit, name, registrable, context)
            if family:
                return 0, family
        if unit.piece < 0 and unit.first == unit.last:
            found = self._contains(unit, name, context or own_suffix)
            if found:
                return found
        loose_allowed = context or (own_suffix and name.trusted_alone) or name.free
        if not loose_allowed:
            return None
        if name.loose.fullmatch(text):
            return 1, "homoglyph"
        if name.limit and unit.first == unit.last:
            return self._typo(text, name, own_suffix or context)
        return None

    def _exact_family(self, unit: _Unit, name: _Name, registrable: bool, context: bool) -> str:
        raw = unit.raw
        if raw != name.text:
            if unit.first != unit.last:
                return "subdomain"
            return "hyphenation" if raw.replace("-", "") == name.text else "homoglyph"
        if unit.piece >= 0:
            return "dictionary" if context or name.free else ""
        if registrable:
            return "tld-swap" if name.kind != "name" or context else ""
        return "subdomain" if name.trusted_alone or context else ""

    def _contains(self, unit: _Unit, name: _Name, loosely: bool) -> tuple[int, str] | None:
        text = unit.folded
        if len(text) <= len(name.skeleton):
            return None
        digits = name.kind == "own"
        patterns = ((0, name.strong), (1, name.loose)) if loosely else ((0, name.strong),)
        for score, pattern in patterns:
            start = 0
            for _ in range(_MAX_OCCURRENCES):
                found = pattern.search(text, start)
                if not found:
                    break
                left, right = text[: found.start()], text[found.end() :]
                if (left or right) and (
                    name.free or (_is_words(left, digits) and _is_words(right, digits))
                ):
                    if score or found.group(0) != name.text:
                        return score, "homoglyph"
                    rest = {loose_skeleton(left), loose_skeleton(right)} - {""}
                    return 0, "various" if rest <= _COUNTRY_SKELETONS else "dictionary"
                start = found.start() + 1
        return None

    @staticmethod
    def _typo(text: str, name: _Name, near_home: bool) -> tuple[int, str] | None:
        # Two edits only under the imitated domain's suffix or beside a phishing word: a long
        # name two edits away elsewhere is often another word (winterfinland).
        limit = name.limit if near_home else min(name.limit, 1)
        skeleton = loose_skeleton(text)
        if abs(len(skeleton) - len(name.skeleton)) > limit:
            return None
        if limit >= 2:
            distance = min(
                damerau_levenshtein(skeleton, name.skeleton, limit),
                damerau_levenshtein(weak_skeleton(skeleton), name.weak, limit),
            )
            if distance > limit:
                return None
        # A short name's one edit must be a plausible slip, in the letters or in the skeleton
        # (mlgr: a confusable and an omission); otherwise it is another word (mirri). Not in
        # the weak skeleton: there mirri and migri are one omission apart (nini, nigni).
        elif not (is_plausible_typo(text, name.text) or is_plausible_typo(skeleton, name.skeleton)):
            return None
        if damerau_levenshtein(text, name.text, 1) <= 1:
            return 2, typo_family(text, name.text)
        return 2, "homoglyph"

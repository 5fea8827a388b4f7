"""dnstwist's full list of permutations of each official web domain, every fuzzer included, is
recognised by the check engine, in a link and as the sender's domain."""

from __future__ import annotations

import dnstwist
import pytest

from trust.engine.confusables import fold

from .conftest import SEED_CONFIG
from .dnstwist_list import permutations, recognised

FUZZERS = {
    "addition", "bitsquatting", "dictionary", "homoglyph", "hyphenation", "insertion", "omission",
    "plural", "repetition", "replacement", "subdomain", "tld-swap", "transposition", "various",
    "vowel-swap",
}  # fmt: skip


@pytest.mark.parametrize(
    "domain, two_substitutions", [("migri.fi", "m1gr1.fi"), ("enterfinland.fi", "enterf1nlancl.fi")]
)
def test_the_list_holds_every_fuzzer_and_multiple_substitutions(domain, two_substitutions):
    candidates = permutations(domain)
    assert {fuzzer for fuzzer, _ in candidates} == FUZZERS
    assert ("homoglyph", two_substitutions) in candidates
    assert domain not in {candidate for _, candidate in candidates}


@pytest.mark.parametrize("domain", SEED_CONFIG.official_web_domains)
def test_every_permutation_is_a_lookalike_in_a_link_and_as_the_sender(engine, domain):
    missed = [
        (fuzzer, candidate, link, sender)
        for fuzzer, candidate in permutations(domain)
        for link, sender in [recognised(engine, candidate)]
        if not (link and sender)
    ]
    assert missed == []


def test_every_glyph_dnstwist_knows_folds_to_the_letter_it_imitates():
    tables = [dnstwist.Fuzzer.glyphs_unicode, *dnstwist.Fuzzer.glyphs_idn_by_tld.values()]
    tables.append({letter: (glyph,) for letter, glyph in dnstwist.Fuzzer.latin_to_cyrillic.items()})
    # Where dnstwist and the Unicode data read a glyph differently, the Unicode data wins:
    # ƽ (a tone letter) is a 5 to dnstwist and an s to Unicode, ᶌ a v to dnstwist and a y to
    # Unicode; the Cyrillic palochka a small L to dnstwist, a capital I (one class) to Unicode.
    readings = {"ƽ": "s", "ᶌ": "y", "ӏ": "i"}
    wrong = {
        (letter, glyph, fold(glyph))
        for table in tables
        for letter, glyphs in table.items()
        for glyph in glyphs
        if fold(glyph) != readings.get(glyph, letter)
    }
    assert wrong == set()

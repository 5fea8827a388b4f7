"""Typing errors: keys next to each other on qwerty, qwertz and azerty; Damerau-Levenshtein."""

from __future__ import annotations

import pytest

from trust.engine.lookalikes import LookalikeModel
from trust.engine.typos import adjacent_keys, damerau_levenshtein, is_plausible_typo, typo_family


@pytest.mark.parametrize(
    "key, neighbour, layout",
    [
        ("a", "s", "qwerty"),
        ("g", "b", "qwerty"),
        ("t", "z", "qwertz"),  # z sits between t and u on a German or Finnish-Swiss keyboard
        ("p", "ö", "qwertz"),
        ("a", "z", "azerty"),
        ("l", "m", "azerty"),  # m ends the home row on a French keyboard
        ("q", "w", "qwerty"),
    ],
)
def test_keys_next_to_each_other_on_each_layout_are_adjacent(key, neighbour, layout):
    assert neighbour in adjacent_keys(key), layout
    assert key in adjacent_keys(neighbour), layout


def test_keys_far_apart_on_every_layout_are_not_adjacent():
    assert "p" not in adjacent_keys("a")
    assert "a" not in adjacent_keys("a")


@pytest.mark.parametrize(
    "a, b, distance",
    [
        ("migri", "migri", 0),
        ("migri", "mirgi", 1),  # a transposition is one edit, not two
        ("migri", "mgri", 1),
        ("migri", "migrii", 1),
        ("migri", "nigro", 2),
        ("enterfinland", "entrefinlnad", 2),
    ],
)
def test_damerau_levenshtein_counts_transpositions_as_one_edit(a, b, distance):
    assert damerau_levenshtein(a, b, limit=3) == distance


def test_the_distance_stops_counting_past_its_limit():
    assert damerau_levenshtein("migri", "helsinki", limit=2) == 3


@pytest.mark.parametrize(
    "candidate, family",
    [
        ("enzerfinland", "replacement"),  # qwertz neighbour of t
        ("enterfinlznd", "replacement"),  # azerty neighbour of a
        ("enterfinlnad", "transposition"),
        ("enterfnland", "omission"),
        ("enterfinlandd", "addition"),
        ("entterfinland", "repetition"),
        ("enterfinlsand", "insertion"),
        ("enterfinlend", "vowel-swap"),
    ],
)
def test_one_edit_typos_are_named_by_their_family(candidate, family):
    assert typo_family(candidate, "enterfinland") == family


@pytest.mark.parametrize("host", ["enzerfinland.fi", "enterfinlznd.fi", "migru.fi"])
def test_typos_from_each_keyboard_are_recognised_as_lookalikes(host):
    model = LookalikeModel(("migri.fi", "enterfinland.fi"))
    assert model.match(host) is not None


@pytest.mark.parametrize(
    "candidate",
    ["migr", "migrii", "mirgi", "migru", "migro", "migrio", "migri-", "migsri", "mihri", "mogri"],
)
def test_slips_of_the_fingers_or_of_a_bit_are_plausible_typos(candidate):
    assert is_plausible_typo(candidate, "migri")


@pytest.mark.parametrize("candidate", ["mirri", "mixri", "migrixx", "xigri", "imgir"])
def test_another_letter_far_away_on_every_keyboard_is_not_a_plausible_typo(candidate):
    assert not is_plausible_typo(candidate, "migri")

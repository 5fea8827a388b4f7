"""Keyed hashes made under the old secret key are accepted while it is a fallback, never after."""

from core.keyed_hashes import keyed_hash, keyed_hash_matches, keyed_hashes, secret_keys
from tests.secret_key_rotation import NEW_KEY, OLD_KEY, after_rotation, before_rotation


def test_a_hash_made_under_the_old_key_matches_only_while_it_is_a_fallback():
    with before_rotation():
        stored = keyed_hash("tests.salt", "value")
    with after_rotation():
        assert keyed_hash("tests.salt", "value") != stored
        assert keyed_hash_matches(stored, "tests.salt", "value")
        assert not keyed_hash_matches(stored, "tests.salt", "another value")
        assert not keyed_hash_matches(stored, "tests.other-salt", "value")
    with after_rotation(fallback=False):
        assert not keyed_hash_matches(stored, "tests.salt", "value")


def test_the_current_keys_hash_comes_first_for_new_values():
    with after_rotation():
        assert secret_keys() == [NEW_KEY, OLD_KEY]
        current, older = keyed_hashes("tests.salt", "value")
        assert current == keyed_hash("tests.salt", "value")
        with before_rotation():
            assert older == keyed_hash("tests.salt", "value")


def test_a_cut_hash_matches_when_cut_the_same():
    with before_rotation():
        stored = keyed_hash("tests.salt", "value")[:16]
    with after_rotation():
        assert keyed_hash_matches(stored, "tests.salt", "value", length=16)
        assert not keyed_hash_matches(stored, "tests.salt", "value")


def test_a_key_of_its_own_ignores_the_secret_key_and_its_fallbacks():
    own = "a key of its own for one kind of value, long enough: " + "k" * 20
    with before_rotation():
        stored = keyed_hash("tests.salt", "value", secret=own)
        under_old_key = keyed_hash("tests.salt", "value")
    with after_rotation(fallback=False):
        assert secret_keys(own) == [own]
        assert keyed_hash_matches(stored, "tests.salt", "value", secret=own)
    with after_rotation():
        assert not keyed_hash_matches(under_old_key, "tests.salt", "value", secret=own)

import base64

import pytest
from django.core.exceptions import ImproperlyConfigured

from core import crypto


def _key(byte: int) -> str:
    return base64.urlsafe_b64encode(bytes([byte]) * 32).decode()


def test_a_sealed_value_opens_with_the_same_associated_data():
    sealed = crypto.seal(b"XK1234567", associated_data=b"row:1")
    assert crypto.open_sealed(sealed, associated_data=b"row:1") == b"XK1234567"
    assert b"XK1234567" not in sealed


def test_a_sealed_value_moved_to_another_row_does_not_open():
    sealed = crypto.seal(b"secret", associated_data=b"row:1")
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(sealed, associated_data=b"row:2")


def test_a_changed_byte_is_detected():
    sealed = bytearray(crypto.seal(b"secret", associated_data=b"row:1"))
    sealed[-1] ^= 1
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(bytes(sealed), associated_data=b"row:1")


def test_rewrapping_moves_a_value_to_the_new_key_without_changing_its_ciphertext(settings):
    settings.KEY_ENCRYPTION_KEYS = f"old:{_key(1)}"
    sealed = crypto.seal(b"secret", associated_data=b"row:1")
    settings.KEY_ENCRYPTION_KEYS = f"new:{_key(2)},old:{_key(1)}"
    rewrapped = crypto.rewrap_sealed(sealed, associated_data=b"row:1")
    assert crypto.sealed_key_id(rewrapped) == "new"
    assert rewrapped.endswith(sealed[-30:])
    settings.KEY_ENCRYPTION_KEYS = f"new:{_key(2)}"
    assert crypto.open_sealed(rewrapped, associated_data=b"row:1") == b"secret"
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(sealed, associated_data=b"row:1")


@pytest.mark.parametrize(
    "spec", ["", "nokey", "short:" + base64.urlsafe_b64encode(b"x" * 16).decode()]
)
def test_a_malformed_keyring_is_refused(spec):
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring(spec)


@pytest.mark.parametrize("damaged", [b"\x01", b"\x01\x05ab", b"\x01\x02\xff\xfe"])
def test_a_cut_off_sealed_value_fails_as_a_decryption_error(damaged):
    with pytest.raises(crypto.DecryptionError):
        crypto.open_sealed(damaged, associated_data=b"row:1")


def test_a_key_that_is_not_base64_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        crypto.parse_keyring("k1:not*base64!")


def test_new_values_are_format_2_and_a_rewrap_keeps_the_format_it_found(settings):
    """Format 1 (the binding before table, column and row) stays recognisable for the migrations
    that re-seal it, even after a rotation moved its key."""
    sealed = crypto.seal(b"secret", associated_data=b"row:1")
    assert crypto.sealed_version(sealed) == crypto.SEALED_VALUE_VERSION == 2
    format_1 = bytes([1]) + sealed[1:]
    settings.KEY_ENCRYPTION_KEYS = f"new:{'B' * 43},{settings.KEY_ENCRYPTION_KEYS}"
    rewrapped = crypto.rewrap_sealed(format_1, associated_data=b"row:1")
    assert crypto.sealed_version(rewrapped) == 1
    assert crypto.open_sealed(rewrapped, associated_data=b"row:1") == b"secret"
    with pytest.raises(crypto.DecryptionError, match="version"):
        crypto.open_sealed(bytes([3]) + sealed[1:], associated_data=b"row:1")

"""Key-encryption keys and sealing of small values (form data, message text) at rest.

Files use the chunked format in `documents.encryption`; both share this keyring. A key-encryption key
(KEK) has an id stored with everything it protects, so keys rotate: new data uses the first key in
settings.KEY_ENCRYPTION_KEYS, older ids keep decrypting until `rewrap_data_keys` moves them.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# 2: the associated data binds the value to its table, column and row (core.sealed_fields);
# 1: values sealed before that, re-sealed by each app's migration (the layout is the same).
SEALED_VALUE_VERSION = 2
READABLE_VERSIONS = frozenset({1, 2})
NONCE_BYTES = 12
DATA_KEY_BYTES = 32


class DecryptionError(Exception):
    """Ciphertext that is damaged, swapped to another owner, or under an unknown key."""


@dataclass(frozen=True)
class KeyRing:
    active_key_id: str
    keys: dict[str, bytes]

    def key(self, key_id: str) -> bytes:
        try:
            return self.keys[key_id]
        except KeyError as error:
            raise DecryptionError(f"unknown key-encryption key id {key_id!r}") from error


def parse_keyring(spec: str) -> KeyRing:
    """Parse "id1:base64key,id2:base64key"; each key must be 32 bytes (AES-256)."""
    keys: dict[str, bytes] = {}
    order: list[str] = []
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        key_id, _, encoded = item.partition(":")
        if not key_id or not encoded or len(key_id) > 32:
            raise ImproperlyConfigured(
                "KEY_ENCRYPTION_KEYS must be a comma-separated list of id:key"
            )
        padded = encoded + "=" * (-len(encoded) % 4)
        try:
            key = base64.urlsafe_b64decode(padded)
        except ValueError as error:  # binascii.Error is a ValueError
            raise ImproperlyConfigured(f"key-encryption key {key_id!r} is not base64") from error
        if len(key) != DATA_KEY_BYTES:
            raise ImproperlyConfigured(f"key-encryption key {key_id!r} must be 32 bytes")
        keys[key_id] = key
        order.append(key_id)
    if not order:
        raise ImproperlyConfigured("KEY_ENCRYPTION_KEYS holds no key")
    return KeyRing(active_key_id=order[0], keys=keys)


@lru_cache(maxsize=4)
def _cached_keyring(spec: str) -> KeyRing:
    return parse_keyring(spec)


def keyring() -> KeyRing:
    return _cached_keyring(settings.KEY_ENCRYPTION_KEYS)


def wrap_data_key(data_key: bytes, *, associated_data: bytes, ring: KeyRing | None = None):
    """Encrypt a data key under the active KEK; returns (key_id, wrapped bytes)."""
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    wrapped = AESGCM(ring.key(ring.active_key_id)).encrypt(
        nonce, data_key, b"data-key|" + associated_data
    )
    return ring.active_key_id, nonce + wrapped


def unwrap_data_key(key_id: str, wrapped: bytes, *, associated_data: bytes) -> bytes:
    try:
        return AESGCM(keyring().key(key_id)).decrypt(
            wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], b"data-key|" + associated_data
        )
    except InvalidTag as error:
        raise DecryptionError("the data key does not open under its key-encryption key") from error


def seal(plaintext: bytes, *, associated_data: bytes) -> bytes:
    """Encrypt a small value: version | key id | wrapped data key | nonce | ciphertext+tag."""
    data_key = AESGCM.generate_key(bit_length=256)
    key_id, wrapped = wrap_data_key(data_key, associated_data=associated_data)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(data_key).encrypt(nonce, plaintext, associated_data)
    encoded_id = key_id.encode("ascii")
    return (
        bytes([SEALED_VALUE_VERSION, len(encoded_id)])
        + encoded_id
        + len(wrapped).to_bytes(1, "big")
        + wrapped
        + nonce
        + ciphertext
    )


def _split_sealed(sealed: bytes):
    if not sealed or sealed[0] not in READABLE_VERSIONS:
        raise DecryptionError("unknown sealed-value version")
    try:
        id_length = sealed[1]
        key_id = sealed[2 : 2 + id_length].decode("ascii")
        offset = 2 + id_length
        wrapped_length = sealed[offset]
    except (IndexError, UnicodeDecodeError) as error:
        raise DecryptionError("the sealed value is cut off or damaged") from error
    wrapped = sealed[offset + 1 : offset + 1 + wrapped_length]
    body = sealed[offset + 1 + wrapped_length :]
    return key_id, wrapped, body


def open_sealed(sealed: bytes, *, associated_data: bytes) -> bytes:
    key_id, wrapped, body = _split_sealed(bytes(sealed))
    data_key = unwrap_data_key(key_id, wrapped, associated_data=associated_data)
    try:
        return AESGCM(data_key).decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], associated_data)
    except InvalidTag as error:
        raise DecryptionError("the sealed value was changed or belongs elsewhere") from error


def sealed_key_id(sealed: bytes) -> str:
    return _split_sealed(bytes(sealed))[0]


def sealed_version(sealed: bytes) -> int:
    _split_sealed(bytes(sealed))
    return bytes(sealed)[0]


def rewrap_sealed(sealed: bytes, *, associated_data: bytes) -> bytes:
    """Re-wrap the data key under the active KEK; the ciphertext itself is untouched."""
    key_id, wrapped, body = _split_sealed(bytes(sealed))
    data_key = unwrap_data_key(key_id, wrapped, associated_data=associated_data)
    new_key_id, new_wrapped = wrap_data_key(data_key, associated_data=associated_data)
    encoded_id = new_key_id.encode("ascii")
    return (
        bytes([bytes(sealed)[0], len(encoded_id)])
        + encoded_id
        + len(new_wrapped).to_bytes(1, "big")
        + new_wrapped
        + body
    )

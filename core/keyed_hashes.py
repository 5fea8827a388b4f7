"""Keyed hashes (HMAC-SHA256) that survive a rotation of SECRET_KEY: made under the current key,
accepted under it and under each key of SECRET_KEY_FALLBACKS, as Django accepts its signatures.

A value keyed by a setting of its own (`secret`, e.g. TRUST_VERIFICATION_CODE_KEY) has that one
key only; an empty setting means SECRET_KEY and its fallbacks. README, "Rotating the secret key",
says per use which rule applies.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac


def secret_keys(secret: str | None = None) -> list[str]:
    """The key new values are made with, first, then the keys older values may be under."""
    if secret:
        return [secret]
    return [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]


def keyed_hash(salt: str, value: str, *, secret: str | None = None) -> str:
    """The hash under the current key: what is stored or sent from now on."""
    return salted_hmac(
        salt, value, secret=secret or settings.SECRET_KEY, algorithm="sha256"
    ).hexdigest()


def keyed_hashes(salt: str, value: str, *, secret: str | None = None) -> list[str]:
    """The hash under every key still accepted, the current key's first (for `field__in=`)."""
    return [
        salted_hmac(salt, value, secret=key, algorithm="sha256").hexdigest()
        for key in secret_keys(secret)
    ]


def keyed_hash_matches(
    stored: str, salt: str, value: str, *, secret: str | None = None, length: int | None = None
) -> bool:
    """Whether `stored` (cut to `length` characters when it was stored cut) is the hash of
    `value` under any key still accepted. Every key is tried, so the time says nothing of which."""
    matches = False
    for candidate in keyed_hashes(salt, value, secret=secret):
        matches |= constant_time_compare(stored, candidate[:length])
    return matches

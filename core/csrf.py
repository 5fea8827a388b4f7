"""The CSRF token for forms, masked as Django masks it, with one call to the system's random source
instead of 32 (core.context_processors.csrf puts it in every template's context).

Django's get_token masks the cookie's secret with a fresh random mask on every page, so that the
token in the HTML differs each time (BREACH). Its mask is get_random_string(32), 32 calls of
secrets.choice, and the cipher indexes the alphabet character by character: about a quarter of the
base template's rendering. This draws the mask from one secrets.token_bytes call, keeps only bytes
below 248 (4 × 62, so each of the 62 characters stays exactly as likely: no modulo bias) and adds
mask and secret through byte tables. The token has Django's format; Django's own
_unmask_cipher_token reads it (tests/core/test_csrf_token.py checks both).

Relies on django.middleware.csrf internals (CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH,
_add_new_csrf_cookie, the CSRF_COOKIE and CSRF_COOKIE_NEEDS_UPDATE keys of request.META); the tests
compare against Django's get_token and fail when those change.
"""

import operator
import secrets

from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    _add_new_csrf_cookie,
    _mask_cipher_secret,
)

_ALPHABET_SIZE = len(CSRF_ALLOWED_CHARS)  # 62
# Random bytes at or above this are drawn again: 256 is not a multiple of 62.
_UNBIASED_LIMIT = 256 - 256 % _ALPHABET_SIZE
_REJECTED = bytes(range(_UNBIASED_LIMIT, 256))
_BYTE_TO_INDEX = bytes(value % _ALPHABET_SIZE for value in range(256))
_INVALID = 255
# A character's code → its index in the alphabet (_INVALID for any other character).
_CHARACTER_TO_INDEX = bytes(
    CSRF_ALLOWED_CHARS.index(chr(code)) if chr(code) in CSRF_ALLOWED_CHARS else _INVALID
    for code in range(256)
)
# An index, or the sum of two indexes, → the character at that index modulo the alphabet.
_INDEX_TO_CHARACTER = bytes(
    ord(CSRF_ALLOWED_CHARS[index % _ALPHABET_SIZE]) for index in range(2 * _ALPHABET_SIZE)
) + bytes(256 - 2 * _ALPHABET_SIZE)


def random_indexes(count: int) -> bytes:
    """`count` indexes into the alphabet, each uniformly random, from the system's random source."""
    indexes = b""
    while len(indexes) < count:
        # One draw with room for the rejected bytes (3 % of them); another in the rare case not.
        indexes += secrets.token_bytes(count + 8).translate(_BYTE_TO_INDEX, _REJECTED)
    return indexes[:count]


def mask_cipher_secret(secret: str) -> str:
    """Django's _mask_cipher_secret: a random mask and the secret added to it, character by
    character, modulo the alphabet."""
    secret_indexes = secret.encode("ascii", "replace").translate(_CHARACTER_TO_INDEX)
    if len(secret_indexes) != CSRF_SECRET_LENGTH or _INVALID in secret_indexes:
        return _mask_cipher_secret(secret)  # not a secret Django made: Django's own (it raises)
    mask = random_indexes(CSRF_SECRET_LENGTH)
    cipher = bytes(map(operator.add, secret_indexes, mask))
    return (mask + cipher).translate(_INDEX_TO_CHARACTER).decode("ascii")


def get_token(request) -> str:
    """django.middleware.csrf.get_token with this mask: the same cookie handling."""
    if "CSRF_COOKIE" in request.META:
        csrf_secret = request.META["CSRF_COOKIE"]
        # As Django: the token is used, so the cookie is sent again (its expiry renewed).
        request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    else:
        csrf_secret = _add_new_csrf_cookie(request)
    return mask_cipher_secret(csrf_secret)

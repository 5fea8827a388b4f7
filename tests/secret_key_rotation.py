"""Shared by the secret-key rotation tests of every app: the keys before and after a rotation.

`before_rotation()`: the old key is the only one; `after_rotation()`: the new key, with the old
one in SECRET_KEY_FALLBACKS (README, "Rotating the secret key", step 2), or without it
(`fallback=False`: the old key dropped, or a rotation done without the fallback).
"""

from __future__ import annotations

from django.test import override_settings

OLD_KEY = "the old secret key, in force until the rotation: " + "o" * 30
NEW_KEY = "the new secret key, in force since the rotation: " + "n" * 30


def before_rotation():
    return override_settings(SECRET_KEY=OLD_KEY, SECRET_KEY_FALLBACKS=[])


def after_rotation(*, fallback: bool = True):
    return override_settings(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY] if fallback else [])

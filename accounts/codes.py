"""Email and recovery codes: random, stored only as keyed hashes, tried a bounded number of times."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken

from accounts.models import OneTimeCode, User
from core.keyed_hashes import keyed_hash, keyed_hash_matches, keyed_hashes

CODE_DIGITS = 8
CODE_VALID_FOR = timedelta(minutes=30)
MAX_ATTEMPTS = 5
# A new code at most this often: "send a new code" must not become a way to flood someone's inbox.
RESEND_INTERVAL = timedelta(seconds=60)
RECOVERY_CODE_SALT = "accounts.recovery_code"
# django-otp's StaticToken.token holds at most 16 characters.
RECOVERY_CODE_DIGEST_LENGTH = 16


def normalize_code(code: str) -> str:
    """Codes are read from a mail and typed by hand: ignore spaces and dashes."""
    return "".join(character for character in (code or "") if character.isdigit())[:32]


def _code_material(user_id: int, purpose: str, code: str) -> str:
    return f"{purpose}:{user_id}:{code}"


# Rotation: a code lives CODE_VALID_FOR (30 minutes); one made under a fallback key is accepted.
ONE_TIME_CODE_SALT = "accounts.OneTimeCode"


def code_recently_issued(*, user: User, purpose: str) -> bool:
    return OneTimeCode.objects.filter(
        user=user, purpose=purpose, created_at__gt=timezone.now() - RESEND_INTERVAL
    ).exists()


def code_issue(*, user: User, purpose: str) -> str:
    """A fresh code for `user`; earlier codes for the same purpose stop working."""
    OneTimeCode.objects.filter(user=user, purpose=purpose).delete()
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    row = OneTimeCode(
        user=user,
        purpose=purpose,
        code_hash=keyed_hash(ONE_TIME_CODE_SALT, _code_material(user.pk, purpose, code)),
        created_at=now,
        expires_at=now + CODE_VALID_FOR,
    )
    row.full_clean()
    row.save()
    return code


def code_consume(*, user: User, purpose: str, code: str) -> bool:
    """True once for the right code within its lifetime; each wrong guess counts toward the limit.

    Call inside a transaction: the row is locked so that parallel guesses cannot share one attempt.
    """
    code = normalize_code(code)
    row = (
        OneTimeCode.objects.select_for_update()
        .filter(
            user=user,
            purpose=purpose,
            used_at__isnull=True,
            expires_at__gt=timezone.now(),
            attempts__lt=MAX_ATTEMPTS,
        )
        .order_by("-created_at")
        .first()
    )
    if row is None:
        return False
    if code and keyed_hash_matches(
        row.code_hash, ONE_TIME_CODE_SALT, _code_material(user.pk, purpose, code)
    ):
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        return True
    OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    return False


def codes_discard(*, user: User, purpose: str) -> None:
    OneTimeCode.objects.filter(user=user, purpose=purpose).delete()


def _recovery_code_normalize(code: str) -> str:
    # Spaces and case are ignored, as the code is typed by hand.
    return "".join((code or "").split()).lower()


def recovery_code_digest(code: str) -> str:
    """What StaticToken.token stores for a recovery code: never the code itself.

    Keyed (RECOVERY_CODE_KEY, else SECRET_KEY), so that a copy of the database alone does not
    reveal working codes.
    """
    digest = keyed_hash(
        RECOVERY_CODE_SALT, _recovery_code_normalize(code), secret=settings.RECOVERY_CODE_KEY
    )
    return digest[:RECOVERY_CODE_DIGEST_LENGTH]


def recovery_code_stored_digest(*, user: User, code: str) -> str:
    """The digest to look the code up by: the stored one when the code was made under a key of
    SECRET_KEY_FALLBACKS, else the current key's.

    Rotation: recovery codes live until used, so they stay accepted under each fallback key (one
    query more, only while there are fallbacks); pinning RECOVERY_CODE_KEY keeps them for good.
    """
    digests = [
        digest[:RECOVERY_CODE_DIGEST_LENGTH]
        for digest in keyed_hashes(
            RECOVERY_CODE_SALT, _recovery_code_normalize(code), secret=settings.RECOVERY_CODE_KEY
        )
    ]
    if len(digests) > 1:
        stored = (
            StaticToken.objects.filter(device__user=user, token__in=digests)
            .values_list("token", flat=True)
            .first()
        )
        if stored is not None:
            return stored
    return digests[0]

"""Email and recovery codes: random, stored only as keyed hashes, tried a bounded number of times."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from accounts.models import OneTimeCode, User

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


def _code_hash(user_id: int, purpose: str, code: str) -> str:
    return salted_hmac(
        "accounts.OneTimeCode", f"{purpose}:{user_id}:{code}", algorithm="sha256"
    ).hexdigest()


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
        code_hash=_code_hash(user.pk, purpose, code),
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
    if code and constant_time_compare(row.code_hash, _code_hash(user.pk, purpose, code)):
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        return True
    OneTimeCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
    return False


def codes_discard(*, user: User, purpose: str) -> None:
    OneTimeCode.objects.filter(user=user, purpose=purpose).delete()


def recovery_code_digest(code: str) -> str:
    """What StaticToken.token stores for a recovery code: never the code itself.

    Keyed with SECRET_KEY, so that a copy of the database alone does not reveal working codes.
    Spaces and case are ignored, as the code is typed by hand.
    """
    normalized = "".join((code or "").split()).lower()
    digest = salted_hmac(RECOVERY_CODE_SALT, normalized, algorithm="sha256").hexdigest()
    return digest[:RECOVERY_CODE_DIGEST_LENGTH]

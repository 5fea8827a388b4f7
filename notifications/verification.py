"""Verification codes printed in the platform's own notifications ("Did we send this?").

Issued here when a notification is sent; the trust center checks them through
verification_code_check (never through the model).

A code is 60 random bits in Crockford base32, shown as XXXX-XXXX-XXXX. Only HMACs of the normalised
code and of the normalised recipient are stored: the database alone cannot produce a valid code,
and answering needs both the code and the address the message arrived at.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction

from core.authority import authority
from core.keyed_hashes import keyed_hash, keyed_hash_matches, keyed_hashes
from core.phones import normalize_phone
from notifications.models import VerificationCode

CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 12  # 12 characters of 5 bits: 60 bits
_READING_FIXES = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = re.compile(r"[\s\-]+")
# Compared against when no row matches, so that a wrong code costs the same work as a wrong address.
_ABSENT_DIGEST = "0" * 64


@dataclass(frozen=True)
class VerificationAnswer:
    """What "Did we send this?" may reveal: when and how, never what."""

    issued_at: datetime
    channel: str


def normalise_code(code: str) -> str | None:
    """Upper-case, drop separators, read O as 0 and I/L as 1; None when it cannot be a code."""
    cleaned = _SEPARATORS.sub("", (code or "").upper()).translate(_READING_FIXES)
    if len(cleaned) != CODE_LENGTH or any(char not in CROCKFORD_ALPHABET for char in cleaned):
        return None
    return cleaned


def format_code(normalised: str) -> str:
    return "-".join(normalised[index : index + 4] for index in range(0, CODE_LENGTH, 4))


def normalise_recipient(recipient: str) -> str:
    """Email addresses compare case-insensitively; phone numbers in E.164 (core.phones), so
    "040 123 4567" and "+358 40 123 4567" are one recipient. Text that is no number compares
    without spaces or dashes, so that it matches only itself."""
    value = (recipient or "").strip()
    if "@" in value:
        return value.lower()
    return normalize_phone(value, authority().country) or re.sub(r"[\s\-().]", "", value)


def _salt(purpose: str) -> str:
    # The salt and the setting keep their trust.* names: changing them would void every code
    # already printed in a notification.
    return f"trust.verification.{purpose}"


# Rotation: codes are kept RETENTION_VERIFICATION_CODE_DAYS, so they are keyed by a setting of
# their own (TRUST_VERIFICATION_CODE_KEY); while it is empty, a fallback key's codes still answer.
def _digest(purpose: str, value: str) -> str:
    return keyed_hash(_salt(purpose), value, secret=settings.TRUST_VERIFICATION_CODE_KEY)


def _digests(purpose: str, value: str) -> list[str]:
    return keyed_hashes(_salt(purpose), value, secret=settings.TRUST_VERIFICATION_CODE_KEY)


def _new_code() -> str:
    return "".join(secrets.choice(CROCKFORD_ALPHABET) for _ in range(CODE_LENGTH))


def verification_code_issue(*, recipient: str, channel: str, kind: str) -> str:
    """Issue a code for one notification to `recipient` and return it formatted for printing."""
    recipient_digest = _digest("recipient", normalise_recipient(recipient))
    for _attempt in range(5):
        code = _new_code()
        row = VerificationCode(
            code_digest=_digest("code", code),
            recipient_digest=recipient_digest,
            channel=channel[:20],
            kind=kind[:64],
        )
        row.full_clean()
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            continue  # 60 bits make a collision a freak event; draw again
        return format_code(code)
    raise RuntimeError("could not issue a unique verification code")


def verification_code_check(*, code: str, recipient: str | None) -> VerificationAnswer | None:
    """The answer for a code, or None. With a recipient, the code must have been sent to it."""
    normalised = normalise_code(code)
    row = None
    if normalised is not None:
        row = VerificationCode.objects.filter(code_digest__in=_digests("code", normalised)).first()
    if recipient is None:
        return VerificationAnswer(row.issued_at, row.channel) if row is not None else None
    stored = row.recipient_digest if row is not None else _ABSENT_DIGEST
    matches = keyed_hash_matches(
        stored,
        _salt("recipient"),
        normalise_recipient(recipient),
        secret=settings.TRUST_VERIFICATION_CODE_KEY,
    )
    if row is None or not matches:
        return None
    return VerificationAnswer(row.issued_at, row.channel)

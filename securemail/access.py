"""One-time access codes: how a person without an account proves an email address is theirs.

A code is 8 random digits sent to the address. Only keyed hashes are stored (of the code, the
address and the browser session's binding token), so a copy of the database yields no working code.
A code works once, for a short time, for a bounded number of tries, and only in the browser session
that asked for it. Asking looks and costs the same whether or not the address has written before:
every request sends a code, and the email goes out in the background after the commit.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from accounts.addresses import email_normalize
from audit.services import audit_record
from core.authority import authority
from core.keyed_hashes import keyed_hash, keyed_hash_matches, keyed_hashes
from core.ratelimit import RateLimitResult, rate_limit_hit
from core.sealed_fields import seal_field_text
from notifications.services import email_send_templated, public_host
from securemail.models import AccessCode, Conversation

CODE_DIGITS = 8
# Requests for a code: per address (the inbox that receives them) and per client address.
REQUESTS_PER_ADDRESS = (5, 60 * 60)
REQUESTS_PER_CLIENT = (20, 60 * 60)
# Code tries per client address, on top of the per-code limit.
VERIFICATIONS_PER_CLIENT = (30, 60 * 60)
SESSION_KEY = "securemail_binding"


class AccessCodeRefused(Exception):
    """The code does not open the conversation: `reason` is one of the codes below."""

    EXPIRED = "expired"
    USED = "used"
    WRONG = "wrong"
    TOO_MANY_TRIES = "too_many_tries"
    NO_CODE = "no_code"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class RateLimited(Exception):
    def __init__(self, result: RateLimitResult):
        super().__init__("rate limited")
        self.result = result


def official_address() -> str:
    """The address people are told to type themselves (never a link).

    In production the authority profile's Securemail address (or this installation's own
    Securemail page where the profile names none). In development and tests the profile's address
    is not this server, so the demo journey could not be followed as written: the running
    server's own Securemail page (PUBLIC_BASE_URL, which `manage.py serve` sets to the address it
    serves on)."""
    own_page = f"{public_host()}{reverse('securemail:start')}"
    if settings.DEVELOPMENT:
        return own_page
    return authority().securemail_address or own_page


CORRESPONDENT_SALT = "securemail.correspondent"
SESSION_SALT = "securemail.session"
CODE_SALT = "securemail.AccessCode"


def email_hash(address: str) -> str:
    """The keyed hash that finds an address's conversations; the address is never stored plain."""
    return keyed_hash(CORRESPONDENT_SALT, email_normalize(address))


def session_hash(binding: str) -> str:
    return keyed_hash(SESSION_SALT, binding)


def _session_hashes(binding: str) -> list[str]:
    # Rotation: a code (15 minutes) or a verified session (an hour) made under a fallback key is
    # still found; it lapses as it would have.
    return keyed_hashes(SESSION_SALT, binding)


def _code_material(code_id, email_digest: str, binding_digest: str, code: str) -> str:
    return f"{code_id}:{email_digest}:{binding_digest}:{code}"


def session_binding(session) -> str:
    """The browser session's random binding token, created on first use.

    A token of our own rather than the session key, which Django changes on sign-in and which
    the session store already indexes by.
    """
    binding = session.get(SESSION_KEY)
    if not isinstance(binding, str) or len(binding) != 43:
        binding = secrets.token_urlsafe(32)
        session[SESSION_KEY] = binding
    return binding


def normalize_code(code: str) -> str:
    """Typed by hand from an email: spaces and dashes do not count."""
    return "".join(character for character in (code or "") if character.isdigit())[:32]


@dataclass(frozen=True)
class VerifiedAccess:
    """What a verified session knows: the address (opened from its sealed column) and its hash."""

    access_code_id: str
    email: str
    email_hash: str


def access_code_request(
    *, email: str, binding: str, client_key: str, language: str, now=None
) -> None:
    """Send a fresh code to `email` for this browser session; earlier codes of the session lapse.

    Raises RateLimited past the limits per address or per client. Says nothing else: whether the
    address has written before changes neither the work done nor the answer.
    """
    address = email_normalize(email)
    address_digest = email_hash(address)
    for scope, key, (limit, window) in (
        ("securemail.code_request.client", client_key, REQUESTS_PER_CLIENT),
        ("securemail.code_request.address", address_digest, REQUESTS_PER_ADDRESS),
    ):
        result = rate_limit_hit(scope=scope, key=key, limit=limit, window_seconds=window)
        if not result.allowed:
            raise RateLimited(result)
    now = now or timezone.now()
    binding_digest = session_hash(binding)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        AccessCode.objects.filter(
            session_hash__in=_session_hashes(binding), verified_at__isnull=True
        ).delete()
        row = AccessCode(
            email_hash=address_digest,
            session_hash=binding_digest,
            created_at=now,
            expires_at=now + timedelta(seconds=settings.SECUREMAIL_CODE_VALID_SECONDS),
        )
        seal_field_text(row, "email_sealed", address)
        row.code_hash = keyed_hash(
            CODE_SALT, _code_material(row.pk, address_digest, binding_digest, code)
        )
        row.full_clean()
        row.save(force_insert=True)
        audit_record(action="securemail.access_code_requested", target=row)
        email_send_templated(
            to=address,
            template_prefix="securemail/email/access_code",
            context={
                "code": f"{code[:4]} {code[4:]}",
                "valid_minutes": settings.SECUREMAIL_CODE_VALID_SECONDS // 60,
                "official_address": official_address(),
            },
            language=language,
            kind="securemail_access_code",
        )


def access_code_verify(*, binding: str, code: str, client_key: str, now=None) -> VerifiedAccess:
    """Check the code typed in this browser session; on success the session is verified.

    Raises AccessCodeRefused (with a reason for a clear page) or RateLimited. The latest code of
    the session is the one checked, so a code sent to another address or another browser fails.
    """
    result = rate_limit_hit(
        scope="securemail.code_verify.client",
        key=client_key,
        limit=VERIFICATIONS_PER_CLIENT[0],
        window_seconds=VERIFICATIONS_PER_CLIENT[1],
    )
    if not result.allowed:
        raise RateLimited(result)
    now = now or timezone.now()
    typed = normalize_code(code)
    # The outcome is decided inside the transaction and raised after it commits, so that a
    # failed try is counted (raising inside would roll the count back).
    with transaction.atomic():
        refusal, row = _check_code(_session_hashes(binding), typed, now)
        access = None if refusal else _verified_access_of(row, restore_conversations=True)
    if refusal is not None:
        raise AccessCodeRefused(refusal)
    return access


def _check_code(
    binding_digests: list[str], typed: str, now
) -> tuple[str | None, AccessCode | None]:
    """Check and record one try of the session's latest code: (refusal reason or None, row)."""
    row = (
        AccessCode.objects.select_for_update()
        .filter(session_hash__in=binding_digests)
        .order_by("-created_at")
        .first()
    )
    if row is None:
        return AccessCodeRefused.NO_CODE, row
    if row.verified_at is not None:
        return AccessCodeRefused.USED, row
    if row.attempts >= settings.SECUREMAIL_CODE_MAX_ATTEMPTS:
        return AccessCodeRefused.TOO_MANY_TRIES, row
    if row.expires_at <= now:
        return AccessCodeRefused.EXPIRED, row
    # Rotation: made under whichever key hashed the row's own email and session hashes.
    given = _code_material(row.pk, row.email_hash, row.session_hash, typed)
    if len(typed) != CODE_DIGITS or not keyed_hash_matches(row.code_hash, CODE_SALT, given):
        AccessCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        audit_record(action="securemail.access_code_failed", target=row)
        if row.attempts + 1 >= settings.SECUREMAIL_CODE_MAX_ATTEMPTS:
            return AccessCodeRefused.TOO_MANY_TRIES, row
        return AccessCodeRefused.WRONG, row
    row.verified_at = now
    row.session_valid_until = now + timedelta(seconds=settings.SECUREMAIL_SESSION_VALID_SECONDS)
    row.save(update_fields=["verified_at", "session_valid_until"])
    audit_record(action="securemail.access_code_verified", target=row)
    return None, row


def verified_access(*, binding: str | None, now=None) -> VerifiedAccess | None:
    """The verified address of this browser session, or None (not verified, or expired)."""
    if not binding:
        return None
    now = now or timezone.now()
    row = (
        AccessCode.objects.filter(
            session_hash__in=_session_hashes(binding),
            verified_at__isnull=False,
            session_valid_until__gt=now,
        )
        .order_by("-verified_at")
        .first()
    )
    if row is None:
        return None
    return _verified_access_of(row, restore_conversations=False)


def _verified_access_of(row: AccessCode, *, restore_conversations: bool) -> VerifiedAccess:
    """The access of a verified row, with the address's hash under the current key.

    Rotation: conversations are kept for months, longer than a fallback key is, so they move to
    the current key as their correspondent comes back: on each verification, and once for a
    session verified before the restart (its row still holds the old hash). The conversations of
    those who do not come back are moved by `manage.py securemail_rehash_correspondents`.
    """
    address = row.email
    current = email_hash(address)
    if restore_conversations or row.email_hash != current:
        older = keyed_hashes(CORRESPONDENT_SALT, email_normalize(address))[1:]
        if older:
            Conversation.objects.filter(correspondent_email_hash__in=older).update(
                correspondent_email_hash=current
            )
        if row.email_hash != current:
            AccessCode.objects.filter(pk=row.pk).update(email_hash=current)
    return VerifiedAccess(access_code_id=str(row.pk), email=address, email_hash=current)


def correspondents_rehash() -> int:
    """Re-store every conversation's correspondent hash under the current key (after a rotation
    of SECRET_KEY, before its fallback is dropped); the number of conversations changed."""
    changed = 0
    for conversation in Conversation.objects.only(
        "pk", "correspondent_email_sealed", "correspondent_email_hash"
    ).iterator():
        current = email_hash(conversation.correspondent_email)
        if conversation.correspondent_email_hash != current:
            changed += Conversation.objects.filter(
                pk=conversation.pk, correspondent_email_hash=conversation.correspondent_email_hash
            ).update(correspondent_email_hash=current)
    return changed


def access_end(*, binding: str | None) -> None:
    """Sign the browser session out of Securemail (its verified codes stop working)."""
    if binding:
        AccessCode.objects.filter(session_hash__in=_session_hashes(binding)).delete()

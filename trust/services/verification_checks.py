"""The trust center's side of verification codes: answering whether a code is ours, with a limit
on how many addresses one code may be tried against. The codes themselves belong to notifications.
"""

from __future__ import annotations

from core.ratelimit import rate_limit_hit
from notifications.verification import normalise_code, verification_code_check

# One code may be tried against at most this many addresses an hour, on the page and through the
# check alike: otherwise a code seen in a screenshot would tell who else received our messages.
VERIFY_LIMIT_PER_CODE = (5, 60 * 60)


def verification_code_attempt(code: str):
    """Count one attempt with this code (the rate limiter stores only an HMAC of the key)."""
    return rate_limit_hit(
        scope="trust.verify.code",
        key=normalise_code(code) or code.strip().upper(),
        limit=VERIFY_LIMIT_PER_CODE[0],
        window_seconds=VERIFY_LIMIT_PER_CODE[1],
    )


def verification_code_checker(code: str, recipient: str | None) -> bool | None:
    """For EngineConfig.verification_code_checker: did we issue this code (to this recipient)?

    `recipient` is only ever what the person typed, never an address read from the checked
    message. None: this code was tried against too many addresses lately, so it is not answered.
    """
    if recipient is not None and not verification_code_attempt(code).allowed:
        return None
    return verification_code_check(code=code, recipient=recipient) is not None

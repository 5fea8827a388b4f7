"""Retention services of notifications: the records of sent or failed email and text messages, and
the verification codes printed in them (see core/retention.py for the pattern)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from core.retention import delete_in_batches, retention_cutoff
from notifications.models import (
    OutboundEmail,
    OutboundEmailStatus,
    OutboundSMS,
    VerificationCode,
)

# A message still queued is never deleted: the sweeper (notifications.stalled) owns it.
_FINISHED = (OutboundEmailStatus.SENT, OutboundEmailStatus.FAILED)


def outbound_messages_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> dict[str, int]:
    """Email and text message rows sent or failed more than RETENTION_OUTBOUND_MESSAGE_DAYS ago."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_OUTBOUND_MESSAGE_DAYS)
    return {
        channel: delete_in_batches(
            model.objects.filter(status__in=_FINISHED, created_at__lt=cutoff),
            batch_size=batch_size,
        )
        for channel, model in (("email", OutboundEmail), ("sms", OutboundSMS))
    }


def verification_codes_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Codes issued more than RETENTION_VERIFICATION_CODE_DAYS ago: "Did we send this?" then
    answers that it does not know the code."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_VERIFICATION_CODE_DAYS)
    return delete_in_batches(
        VerificationCode.objects.filter(issued_at__lt=cutoff), batch_size=batch_size
    )

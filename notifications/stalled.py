"""Sends that a dead worker left claimed: re-queued after a timeout, failed after the last attempt.

The decision, per channel (README, "Background work and crashes"):
- Email is sent at least once. SMTP has no idempotency key we can rely on, so a worker killed after
  the server accepted a message but before the row said "sent" means the message goes out again;
  the copy has the same Message-ID (notifications.services.outbound_message_id), so it is
  recognisable as the same message. Losing a code is worse than receiving it twice.
- A text message is sent at least once with an idempotency key: the same `reference` on every
  attempt, which a gateway that supports idempotency uses to deliver it once.

A send task claims an attempt by moving `attempts` on and stamping `last_attempt_at`. A row still
queued whose last attempt (or creation) is older than NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS has no
living worker: the sweeper re-queues its next attempt from the sealed copy on the row, or marks it
failed (last_error "Stalled") when the attempts are used up, where
`manage.py list_failed_notifications` shows it to an operator. The timeout must exceed the longest
retry delay and an SMTP/gateway timeout, or a slow send would be started twice (the claim still
lets only one of them send).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q

from core.stalled_work import stalled_work_sweep
from notifications.models import OutboundEmail, OutboundEmailStatus, OutboundSMS
from notifications.sms.tasks import MAX_ATTEMPTS as SMS_MAX_ATTEMPTS
from notifications.sms.tasks import send_sms
from notifications.tasks import MAX_ATTEMPTS as EMAIL_MAX_ATTEMPTS
from notifications.tasks import send_email

BATCH_SIZE = 500
# A row queued before payloads were kept on it has nothing to send again once its task is lost.
_LAST_ERROR = {"stalled": "Stalled", "not_requeueable": "NoPayload"}


def _channels():
    """Each channel: its name, its table, its attempt limit, and how to queue attempt n of row pk."""
    return (
        (
            "email",
            OutboundEmail,
            EMAIL_MAX_ATTEMPTS,
            lambda pk, n: send_email.enqueue(outbound_email_id=pk, attempt=n),
        ),
        (
            "sms",
            OutboundSMS,
            SMS_MAX_ATTEMPTS,
            lambda pk, n: send_sms.enqueue(outbound_sms_id=pk, attempt=n),
        ),
    )


def _fail(rows, reason: str) -> int:
    changes = {"status": OutboundEmailStatus.FAILED, "last_error": _LAST_ERROR[reason]}
    if reason == "stalled":
        changes["payload_sealed"] = None
    return rows.update(**changes)


def outbound_requeue_stalled(*, now=None) -> dict[str, int]:
    """Re-queue or fail every stalled send; returns counts per channel and outcome."""
    counts: dict[str, int] = {}
    for channel, model, max_attempts, enqueue in _channels():
        swept = stalled_work_sweep(
            name=channel,
            pending=model.objects.filter(status=OutboundEmailStatus.QUEUED),
            claimed_at="last_attempt_at",
            attempts="attempts",
            timeout=timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS),
            max_attempts=max_attempts,
            requeue=enqueue,
            fail=_fail,
            requeueable=~Q(payload_sealed=None),
            now=now,
            batch_size=BATCH_SIZE,
        )
        counts[f"{channel}_requeued"] = swept.requeued
        counts[f"{channel}_failed"] = swept.failed
    return counts

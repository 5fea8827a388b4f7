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

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from notifications.models import OutboundEmail, OutboundEmailStatus, OutboundSMS
from notifications.sms.tasks import MAX_ATTEMPTS as SMS_MAX_ATTEMPTS
from notifications.sms.tasks import send_sms
from notifications.tasks import MAX_ATTEMPTS as EMAIL_MAX_ATTEMPTS
from notifications.tasks import send_email

logger = logging.getLogger(__name__)

BATCH_SIZE = 500


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


def outbound_requeue_stalled(*, now=None) -> dict[str, int]:
    """Re-queue or fail every stalled send; returns counts per channel and outcome."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS)
    counts: dict[str, int] = {}
    for channel, model, max_attempts, enqueue in _channels():
        stalled = model.objects.filter(status=OutboundEmailStatus.QUEUED).filter(
            Q(last_attempt_at__lt=cutoff) | Q(last_attempt_at__isnull=True, created_at__lt=cutoff)
        )
        requeued = failed = 0
        for row in stalled.only("pk", "attempts", "last_attempt_at").order_by("pk")[:BATCH_SIZE]:
            # Conditional on what was read: a worker that claimed the row meanwhile wins.
            same = model.objects.filter(
                pk=row.pk,
                status=OutboundEmailStatus.QUEUED,
                attempts=row.attempts,
                last_attempt_at=row.last_attempt_at,
            )
            if row.attempts >= max_attempts:
                failed += same.update(
                    status=OutboundEmailStatus.FAILED, last_error="Stalled", payload_sealed=None
                )
                logger.warning(
                    "%s %s failed: stalled after %s attempts", channel, row.pk, row.attempts
                )
            elif same.exclude(payload_sealed=None).update(last_attempt_at=now):
                # last_attempt_at = now re-arms the timeout, so the next sweep leaves it alone.
                enqueue(row.pk, row.attempts + 1)
                requeued += 1
                logger.info(
                    "%s %s re-queued after a stalled attempt %s", channel, row.pk, row.attempts
                )
            else:
                # Queued before payloads were kept on the row, and its task is lost: nothing to send.
                failed += same.update(status=OutboundEmailStatus.FAILED, last_error="NoPayload")
        counts[f"{channel}_requeued"] = requeued
        counts[f"{channel}_failed"] = failed
    return counts

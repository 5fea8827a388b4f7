"""Sending text messages in the background, claimed in the database, with bounded attempts."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from core.checkpoints import checkpoint
from core.crypto import DecryptionError
from core.keyed_hashes import keyed_hash
from core.sealed_fields import open_field_json
from notifications.models import OutboundSMS, OutboundSMSStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def sms_reference(outbound_sms_id: int) -> str:
    """The message's idempotency key for gateways that take one: stable across attempts, and a
    keyed hash so that it does not reveal how many texts we send."""
    # Rotation: made anew at each attempt, never checked; a text retried across the restart gets
    # another reference, so a gateway could deliver that one text twice (rare and harmless).
    return keyed_hash("notifications.sms-reference", str(outbound_sms_id))[:32]


def _retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=settings.SMS_RETRY_BASE_SECONDS * 2**attempt)


@task()
def send_sms(*, outbound_sms_id: int, sealed_message: str = "", attempt: int = 1) -> str:
    """Send one attempt of the message sealed on the row.

    `sealed_message` is ignored: tasks queued before the content stayed only on the row carried a
    copy, which key rotation could not reach; the row's copy is the same message."""
    from notifications.sms import SMSMessage, SMSSendFailed, get_sms_backend, sms_sender_name

    # Resolved before the claim: a misconfigured backend fails the task without using up an attempt.
    backend = get_sms_backend()
    sender = sms_sender_name()
    # Claim this attempt in the database: a task run twice (a worker restart, a duplicate enqueue)
    # finds the counter already moved and does nothing, so nobody gets the same text twice.
    claimed = OutboundSMS.objects.filter(
        pk=outbound_sms_id, status=OutboundSMSStatus.QUEUED, attempts=attempt - 1
    ).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return "skipped"
    try:
        outbound = OutboundSMS.objects.only("pk", "payload_sealed").get(pk=outbound_sms_id)
        if not outbound.payload_sealed:
            raise DecryptionError("no payload")
        message = open_field_json(outbound, "payload_sealed")
    except (DecryptionError, ValueError) as error:
        # A payload that does not open never will: no retry.
        return _mark_failed(outbound_sms_id, error, attempt)
    # A worker killed from here until the status says sent leaves the row claimed; the sweeper
    # (notifications.stalled) sends it again with the same reference, the gateway's idempotency key.
    checkpoint("notifications.sms.send")
    try:
        backend.send(
            SMSMessage(
                to=message["to"],
                sender=sender,
                text=message["text"],
                reference=sms_reference(outbound_sms_id),
            )
        )
    except (SMSSendFailed, OSError) as error:
        return _attempt_failed(outbound_sms_id, error, attempt)
    OutboundSMS.objects.filter(pk=outbound_sms_id).update(
        status=OutboundSMSStatus.SENT, sent_at=timezone.now(), last_error="", payload_sealed=None
    )
    return "sent"


def _log_failure(outbound_sms_id: int, error: Exception, attempt: int) -> str:
    error_name = type(error).__name__[:64]
    # The id and the error class only: a gateway's error message can quote the number or the text.
    logger.warning(
        "sms %s attempt %s of %s failed: %s", outbound_sms_id, attempt, MAX_ATTEMPTS, error_name
    )
    return error_name


def _mark_failed(outbound_sms_id: int, error: Exception, attempt: int) -> str:
    error_name = _log_failure(outbound_sms_id, error, attempt)
    OutboundSMS.objects.filter(pk=outbound_sms_id).update(
        status=OutboundSMSStatus.FAILED, last_error=error_name, payload_sealed=None
    )
    return "failed"


def _attempt_failed(outbound_sms_id: int, error: Exception, attempt: int):
    if attempt >= MAX_ATTEMPTS:
        return _mark_failed(outbound_sms_id, error, attempt)
    error_name = _log_failure(outbound_sms_id, error, attempt)
    OutboundSMS.objects.filter(pk=outbound_sms_id).update(last_error=error_name)
    retry = send_sms
    if send_sms.get_backend().supports_defer:
        retry = send_sms.using(run_after=timezone.now() + _retry_delay(attempt))
    retry.enqueue(outbound_sms_id=outbound_sms_id, attempt=attempt + 1)
    return "retrying"

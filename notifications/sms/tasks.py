"""Sending text messages in the background, claimed in the database, with bounded attempts."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django_tasks import task

from core.checkpoints import checkpoint
from core.crypto import DecryptionError, open_json
from notifications.models import OutboundSMS, OutboundSMSStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def sms_associated_data(outbound_sms_id: int) -> bytes:
    """Binds the sealed number and text to their row: a payload moved to another row won't open."""
    return f"notifications.OutboundSMS:{outbound_sms_id}".encode()


def sms_reference(outbound_sms_id: int) -> str:
    """The message's idempotency key for gateways that take one: stable across attempts, and a
    keyed hash so that it does not reveal how many texts we send."""
    return salted_hmac(
        "notifications.sms-reference", str(outbound_sms_id), algorithm="sha256"
    ).hexdigest()[:32]


def _retry_delay(attempt: int) -> timedelta:
    return timedelta(seconds=settings.SMS_RETRY_BASE_SECONDS * 2**attempt)


@task()
def send_sms(*, outbound_sms_id: int, sealed_message: str = "", attempt: int = 1) -> str:
    """Send one attempt; `sealed_message` empty means the copy kept on the row (a re-queued send)."""
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
        if sealed_message:
            sealed = base64.b64decode(sealed_message)
        else:
            sealed = OutboundSMS.objects.values_list("payload_sealed", flat=True).get(
                pk=outbound_sms_id
            )
        if not sealed:
            raise DecryptionError("no payload")
        message = open_json(bytes(sealed), associated_data=sms_associated_data(outbound_sms_id))
    except (DecryptionError, ValueError) as error:  # binascii.Error is a ValueError
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
        return _attempt_failed(outbound_sms_id, error, sealed_message, attempt)
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


def _attempt_failed(outbound_sms_id: int, error: Exception, sealed_message: str, attempt: int):
    if attempt >= MAX_ATTEMPTS:
        return _mark_failed(outbound_sms_id, error, attempt)
    error_name = _log_failure(outbound_sms_id, error, attempt)
    OutboundSMS.objects.filter(pk=outbound_sms_id).update(last_error=error_name)
    retry = send_sms
    if send_sms.get_backend().supports_defer:
        retry = send_sms.using(run_after=timezone.now() + _retry_delay(attempt))
    retry.enqueue(
        outbound_sms_id=outbound_sms_id, sealed_message=sealed_message, attempt=attempt + 1
    )
    return "retrying"

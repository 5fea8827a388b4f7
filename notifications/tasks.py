"""Sending email in the background, with a bounded number of attempts; the sweeper of stalled sends."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from core.authority import notification_sender
from core.checkpoints import checkpoint
from core.crypto import DecryptionError
from core.periodic import periodic
from core.sealed_fields import open_field_json
from notifications.models import OutboundEmail, OutboundEmailStatus
from notifications.services import outbound_message_id

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _retry_delay(attempt: int) -> timedelta:
    base_seconds = settings.EMAIL_RETRY_BASE_SECONDS
    return timedelta(seconds=base_seconds * 2 ** (attempt - 1))


@task()
def send_email(*, outbound_email_id: int, sealed_message: str = "", attempt: int = 1) -> str:
    """Send one attempt of the message sealed on the row.

    `sealed_message` is ignored: tasks queued before the content stayed only on the row carried a
    copy, which key rotation could not reach; the row's copy is the same message."""
    # Claim this attempt in the database: a task run twice (a worker restart, a duplicate enqueue)
    # finds the counter already moved and does nothing, so nobody gets the same mail twice.
    claimed = OutboundEmail.objects.filter(
        pk=outbound_email_id, status=OutboundEmailStatus.QUEUED, attempts=attempt - 1
    ).update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return "skipped"
    outbound = OutboundEmail.objects.get(pk=outbound_email_id)
    if not outbound.payload_sealed:
        return _mark_failed(outbound, "NoPayload")
    try:
        message = open_field_json(outbound, "payload_sealed")
    except DecryptionError:
        # A payload that does not open never will: no retry.
        return _mark_failed(outbound, "DecryptionError")
    email = EmailMultiAlternatives(
        subject=message["subject"],
        body=message["text"],
        from_email=notification_sender(),
        to=[message["to"]],
        headers={
            "Message-ID": outbound_message_id(outbound_email_id),
            **({"Content-Language": outbound.language} if outbound.language else {}),
        },
    )
    if message.get("html"):
        email.attach_alternative(message["html"], "text/html")
    # A worker killed from here until the status says sent leaves the row claimed; the sweeper
    # (notifications.stalled) sends it again after NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS.
    checkpoint("notifications.email.send")
    try:
        email.send(fail_silently=False)
    except (smtplib.SMTPException, OSError) as error:
        return _attempt_failed(outbound, error, attempt)
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundEmailStatus.SENT, sent_at=timezone.now(), last_error="", payload_sealed=None
    )
    return "sent"


def _mark_failed(outbound: OutboundEmail, error_name: str) -> str:
    OutboundEmail.objects.filter(pk=outbound.pk).update(
        status=OutboundEmailStatus.FAILED, last_error=error_name, payload_sealed=None
    )
    return "failed"


def _attempt_failed(outbound: OutboundEmail, error: Exception, attempt: int):
    error_name = type(error).__name__[:64]
    # Ids and the error class only: the message of an SMTP error can quote the address.
    logger.warning(
        "email %s attempt %s of %s failed: %s", outbound.pk, attempt, MAX_ATTEMPTS, error_name
    )
    if attempt >= MAX_ATTEMPTS:
        return _mark_failed(outbound, error_name)
    OutboundEmail.objects.filter(pk=outbound.pk).update(last_error=error_name)
    retry = send_email
    if send_email.get_backend().supports_defer:
        retry = send_email.using(run_after=timezone.now() + _retry_delay(attempt))
    retry.enqueue(outbound_email_id=outbound.pk, attempt=attempt + 1)
    return "retrying"


@periodic
@task()
def outbound_requeue_stalled() -> dict[str, int]:
    """Periodic: send again what a dead worker left claimed (email and SMS); see the service."""
    from notifications.stalled import outbound_requeue_stalled as requeue

    return requeue()


@periodic
@task()
def outbound_messages_delete_expired() -> dict[str, int]:
    """Periodic retention: old records of sent and failed messages (see the service)."""
    from notifications.retention import outbound_messages_delete_expired as delete_expired

    return delete_expired()


@periodic
@task()
def verification_codes_delete_expired() -> int:
    """Periodic retention: old verification codes (see the service)."""
    from notifications.retention import verification_codes_delete_expired as delete_expired

    return delete_expired()

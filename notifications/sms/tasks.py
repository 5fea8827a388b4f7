"""Sending text messages in the background, with a bounded number of attempts."""

from __future__ import annotations

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core.crypto import open_json

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
SMS_ASSOCIATED_DATA = b"notifications.sms"


@task()
def send_sms(*, sealed_message: str, kind: str, attempt: int = 1) -> str:
    from notifications.sms import SMSMessage, SMSSendFailed, get_sms_backend, sms_sender_name

    message = open_json(base64.b64decode(sealed_message), associated_data=SMS_ASSOCIATED_DATA)
    try:
        get_sms_backend().send(
            SMSMessage(to=message["to"], sender=sms_sender_name(), text=message["text"])
        )
    except (SMSSendFailed, OSError) as error:
        # The kind and the error class only: never the number or the text.
        logger.warning(
            "sms %s attempt %s of %s failed: %s", kind, attempt, MAX_ATTEMPTS, type(error).__name__
        )
        if attempt >= MAX_ATTEMPTS:
            return "failed"
        retry = send_sms
        if send_sms.get_backend().supports_defer:
            delay = timedelta(seconds=getattr(settings, "SMS_RETRY_BASE_SECONDS", 30) * 2**attempt)
            retry = send_sms.using(run_after=timezone.now() + delay)
        retry.enqueue(sealed_message=sealed_message, kind=kind, attempt=attempt + 1)
        return "retrying"
    return "sent"

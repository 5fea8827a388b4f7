"""Text messages behind one interface: a base class, a registry of backends chosen by the setting
SMS_BACKEND ("console" by default), and `sms_send`, which sends in the background with retries."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from core.registry import Registry
from notifications.sms.base import SMSBackend, SMSMessage, SMSSendFailed

__all__ = [
    "SMSBackend",
    "SMSMessage",
    "SMSSendFailed",
    "get_sms_backend",
    "sms_backends",
    "sms_send",
    "sms_sender_name",
]

sms_backends: Registry[SMSBackend] = Registry("SMS_BACKEND")


def get_sms_backend() -> SMSBackend:
    return sms_backends.get(settings.SMS_BACKEND or "console")


def sms_sender_name() -> str:
    """The sender shown on the phone: the authority's registered SMS sender name."""
    from core.authority import authority

    profile = authority()
    return (profile.sms_sender_names or (profile.short_name,))[0]


@transaction.atomic
def sms_send(*, to: str, text: str, kind: str) -> None:
    """Record the text message and send it once the surrounding transaction commits (retried on
    failure).

    The row keeps a hash of the number, never the number or the text in clear; those wait on the
    row sealed and bound to it, and the task reads them from there (its arguments hold only the id,
    because the database task queue stores them)."""
    from core.authority import authority
    from core.phones import normalize_phone
    from core.sealed_fields import seal_field_json
    from notifications.models import OutboundSMS
    from notifications.services import recipient_hash
    from notifications.sms.tasks import send_sms

    # One spelling of the number (E.164) for the hash and the gateway; text that is no number is
    # passed on as it is and fails at the gateway, never inside the caller's transaction.
    to = normalize_phone(to, authority().country) or to.strip()
    outbound = OutboundSMS(kind=kind, recipient_hash=recipient_hash(to))
    outbound.full_clean()
    outbound.save()
    sealed = seal_field_json(outbound, "payload_sealed", {"to": to, "text": text})
    # On the row, also so that a send whose worker died can be re-queued (notifications.stalled).
    OutboundSMS.objects.filter(pk=outbound.pk).update(payload_sealed=sealed)
    outbound_id = outbound.pk
    transaction.on_commit(lambda: send_sms.enqueue(outbound_sms_id=outbound_id, attempt=1))


def _console() -> SMSBackend:
    from notifications.sms.console import ConsoleSMSBackend

    return ConsoleSMSBackend()


def _memory() -> SMSBackend:
    from notifications.sms.console import MemorySMSBackend

    return MemorySMSBackend()


sms_backends.register("console", _console)
sms_backends.register("memory", _memory)

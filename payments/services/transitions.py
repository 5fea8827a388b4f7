"""The two primitives every payment change goes through: move the status only from allowed states
(`UPDATE ... WHERE status IN (...)`, acting only if this call changed the row), and append an
event to the payment's log."""

from __future__ import annotations

from django.utils import timezone

from payments.models import Payment, PaymentEvent


def payment_move_status(payment_id: int, *, allowed_from, to: str, **fields) -> bool:
    """Move one payment from one of `allowed_from` to `to`; True only if this call moved it."""
    moved = Payment.objects.filter(pk=payment_id, status__in=list(allowed_from)).update(
        status=to, updated_at=timezone.now(), **fields
    )
    return moved == 1


def payment_event_record(
    *,
    payment: Payment | None,
    source: str,
    provider: str,
    signature_valid: bool | None = None,
    provider_status: str = "",
    status_before: str = "",
    status_after: str = "",
    changed: bool = False,
    note: str = "",
    request=None,
) -> PaymentEvent:
    """Codes only: no parameter values beyond the provider's status, never personal data."""
    return PaymentEvent.objects.create(
        payment=payment,
        source=source,
        provider=provider[:32],
        signature_valid=signature_valid,
        provider_status=provider_status[:16],
        status_before=status_before,
        status_after=status_after,
        changed=changed,
        note=note[:64],
        request_id=getattr(request, "request_id", "") if request is not None else "",
    )

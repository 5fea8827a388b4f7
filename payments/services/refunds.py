"""Refunds by an administrator: at the provider when it supports refunds, otherwise recorded as
made by hand (a bank transfer); each one an event in the payment's log and an audit record."""

from __future__ import annotations

import logging
import uuid

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.services import audit_record
from payments.models import EventSource, Payment, PaymentStatus
from payments.providers import ProviderUnavailable, RefundsNotSupported, get_provider
from payments.services.transitions import payment_event_record, payment_move_status

logger = logging.getLogger(__name__)


class RefundReason(models.TextChoices):
    # Codes, not free text: the audit log and the accounting report carry no personal data.
    DUPLICATE = "duplicate", gettext_lazy("Paid twice")
    WITHDRAWN = "withdrawn", gettext_lazy("Application withdrawn")
    ERROR = "error", gettext_lazy("Charged in error")
    OTHER = "other", gettext_lazy("Other reason")


class RefundMethod(models.TextChoices):
    PROVIDER = "provider", gettext_lazy("Through the payment service")
    MANUAL = "manual", gettext_lazy("Made by hand (e.g. a bank transfer)")


class RefundFailed(ValidationError):
    pass


def payment_is_refundable(payment: Payment) -> bool:
    """Money was received and not yet returned: a confirmed payment, or a success that could not
    count (flagged needs_refund)."""
    if payment.status == PaymentStatus.REFUNDED:
        return False
    return payment.status == PaymentStatus.PAID or payment.needs_refund


def payment_refund(
    *, payment: Payment, actor, reason: str, method: str = RefundMethod.PROVIDER, request=None
) -> Payment:
    """Refund the whole amount. The payment row stays locked while the provider is asked, so
    that two administrators cannot refund it twice; a provider that fails changes nothing."""
    if reason not in RefundReason.values:
        raise RefundFailed(_("Choose the reason for the refund."), code="reason")
    if method not in RefundMethod.values:
        raise RefundFailed(_("Choose how the refund is made."), code="method")
    with transaction.atomic():
        locked = Payment.objects.select_for_update().get(pk=payment.pk)
        if not payment_is_refundable(locked):
            raise RefundFailed(
                _("This payment cannot be refunded: no money was received or it was refunded."),
                code="not_refundable",
            )
        refund_reference = ""
        note = "refunded_manual"
        if method == RefundMethod.PROVIDER:
            try:
                result = get_provider(locked.provider).refund(
                    payment=locked,
                    amount_cents=locked.amount_cents,
                    refund_stamp=uuid.uuid4().hex,
                )
            except RefundsNotSupported as error:
                raise RefundFailed(
                    _(
                        "The payment service does not take refunds through the platform. Make "
                        "the refund by hand and record it here as made by hand."
                    ),
                    code="not_supported",
                ) from error
            except (ProviderUnavailable, ImproperlyConfigured) as error:
                logger.warning("payment %s: the refund failed: %s", locked.public_id, error)
                raise RefundFailed(
                    _("The payment service did not accept the refund. Nothing was changed."),
                    code="provider",
                ) from error
            refund_reference = result.provider_reference
            note = "refunded_provider"
        before = locked.status
        payment_move_status(
            locked.pk,
            allowed_from=[before],
            to=PaymentStatus.REFUNDED,
            finished_at=locked.finished_at or timezone.now(),
        )
        payment_event_record(
            payment=locked,
            source=EventSource.ADMINISTRATOR,
            provider=locked.provider,
            provider_status=refund_reference[:16],
            status_before=before,
            status_after=PaymentStatus.REFUNDED,
            changed=True,
            note=note,
            request=request,
        )
        audit_record(
            action="payments.refunded",
            request=request,
            actor=actor,
            target=locked,
            details={
                "application": locked.application_id,
                "amount_cents": locked.amount_cents,
                "method": method,
                "reason": reason,
                "provider_reference": refund_reference,
            },
        )
    locked.refresh_from_db()
    return locked

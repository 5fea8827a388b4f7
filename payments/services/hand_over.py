"""Telling the application that its payment is paid (the paid handlers of payments.hooks), in the
background rather than in the provider's return or callback.

The request, callback or job whose UPDATE marked the payment paid queues one hand-over task in
that same transaction. On the database queue the task's row commits or rolls back with the paid
status, so no payment is ever paid without its hand-over queued (a queue outside the database
could start the task before the commit: it then waits for the payment's row lock). The task
locks the payment, runs the handlers and sets `handed_over_at` in one transaction: a second run
of the task, or the safety net racing it, waits for the lock and then finds it handed over, so
the application is submitted, and its notifications are sent, exactly once. A handler that
raises rolls its work back and leaves the payment paid and not handed over;
`payments_hand_over_due` (part of the periodic reconciliation) tries it again, as it does for a
task that was lost.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from payments.hooks import PaymentConfirmation, notify_paid
from payments.models import Payment, PaymentStatus
from payments.selectors import payments_to_hand_over
from payments.tasks import hand_over_paid_payment

logger = logging.getLogger(__name__)

# The safety net leaves a fresh payment to the task queued with it.
HAND_OVER_GRACE = datetime.timedelta(minutes=1)


def _confirmation(payment: Payment) -> PaymentConfirmation:
    return PaymentConfirmation(
        public_id=payment.public_id,
        application_id=payment.application_id,
        payer_id=payment.payer_id,
        amount_cents=payment.amount_cents,
        currency=payment.currency,
        provider=payment.provider,
        paid_at=payment.paid_at,
    )


def payment_hand_over_later(*, payment: Payment) -> None:
    """Queue the hand-over of a payment just marked paid, in the caller's transaction."""
    hand_over_paid_payment.enqueue(payment_id=payment.pk)


@transaction.atomic
def payment_hand_over(*, payment_id: int) -> bool:
    """Run the paid handlers for a paid payment not yet handed over; True if this call did.
    Idempotent; a refunded payment (its money returned before the hand-over) is not handed over.
    """
    payment = (
        Payment.objects.select_for_update()
        .filter(pk=payment_id, status=PaymentStatus.PAID, handed_over_at__isnull=True)
        .first()
    )
    if payment is None:
        return False
    notify_paid(_confirmation(payment))
    Payment.objects.filter(pk=payment.pk).update(handed_over_at=timezone.now())
    return True


def payments_hand_over_due(*, limit: int = 200) -> int:
    """The safety net: hand over paid payments whose task failed or was lost (a handler that
    raised, a worker that died); returns how many were handed over."""
    due = payments_to_hand_over(paid_before=timezone.now() - HAND_OVER_GRACE)
    handed_over = 0
    for payment_id in due.values_list("pk", flat=True)[:limit]:
        try:
            handed_over += payment_hand_over(payment_id=payment_id)
        except Exception:
            # One that fails again must not keep the others waiting; the next run retries it.
            logger.exception("payment %s: the hand-over failed again", payment_id)
    return handed_over

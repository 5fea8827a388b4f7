"""Reconciliation: attempts left open (the browser was closed, the callback never came) are asked
about at the provider and settled through the same path as a callback; paid payments whose
application was not told (a failed or lost hand-over task) are handed over again."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from payments.models import EventSource, Payment, PaymentStatus
from payments.providers import Outcome, ProviderUnavailable, get_provider
from payments.selectors import payments_to_reconcile
from payments.services.hand_over import payments_hand_over_due
from payments.services.lifecycle import payment_apply_result
from payments.services.transitions import payment_event_record, payment_move_status

logger = logging.getLogger(__name__)


def _give_up(payment: Payment, *, note: str, to: str) -> bool:
    with transaction.atomic():
        before = payment.status
        moved = payment_move_status(
            payment.pk, allowed_from=[before], to=to, finished_at=timezone.now()
        )
        payment_event_record(
            payment=payment,
            source=EventSource.STATUS_QUERY,
            provider=payment.provider,
            status_before=before,
            status_after=to if moved else before,
            changed=moved,
            note=note,
        )
    return moved


def payments_reconcile(
    *,
    older_than_minutes: int | None = None,
    abandon_after_hours: int | None = None,
    limit: int = 200,
) -> int:
    """Hand over paid payments whose hand-over failed or was lost, then ask the provider about
    open attempts unchanged for `older_than_minutes`; returns how many changed. Idempotent: a
    settled payment is no longer open, a handed-over one is not due, so a second run skips it."""
    older_than = older_than_minutes or settings.PAYMENTS_RECONCILE_AFTER_MINUTES
    abandon_after = abandon_after_hours or settings.PAYMENTS_ABANDON_AFTER_HOURS
    now = timezone.now()
    changed = payments_hand_over_due(limit=limit)
    stale = payments_to_reconcile(started_before=now - datetime.timedelta(minutes=older_than))
    for payment in stale[:limit]:
        abandoned = payment.created_at < now - datetime.timedelta(hours=abandon_after)
        if payment.status == PaymentStatus.STARTED and not payment.provider_reference:
            # The provider never heard of it (its create call failed or the worker died): nobody
            # can have paid it.
            changed += _give_up(payment, note="never_reached_provider", to=PaymentStatus.FAILED)
            continue
        try:
            result = get_provider(payment.provider).fetch_status(payment=payment)
        except (ProviderUnavailable, ImproperlyConfigured) as error:
            logger.warning("reconciliation of payment %s: %s", payment.public_id, error)
            continue
        if result is None or result.outcome == Outcome.UNPAID:
            if abandoned:
                changed += _give_up(payment, note="abandoned", to=PaymentStatus.CANCELLED)
            else:
                # Touch it so that the next run asks about the others first.
                Payment.objects.filter(pk=payment.pk, status=payment.status).update(
                    updated_at=timezone.now()
                )
            continue
        handled = payment_apply_result(
            provider_name=payment.provider, result=result, source=EventSource.STATUS_QUERY
        )
        changed += handled.changed
    return changed

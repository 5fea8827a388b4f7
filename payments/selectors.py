"""Reads of payments that other apps and pages share: the fee in force, an application's payment
state, and the owner-scoped look-up of one payment (another user's payment is not found)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from payments.models import (
    OPEN_STATUSES,
    Channel,
    Fee,
    FeeCondition,
    Payment,
    PaymentEvent,
    PaymentStatus,
)


@dataclass(frozen=True)
class FeeInForce:
    """The price an applicant pays on a day; amount 0 is an exemption (nothing to pay)."""

    fee_id: int
    amount_cents: int
    currency: str
    condition: str

    @property
    def is_exempt(self) -> bool:
        return self.amount_cents == 0


def _pk(value) -> int:
    return getattr(value, "pk", value)


def fee_in_force(
    *,
    permit_type,
    channel: str = Channel.ELECTRONIC,
    on_date: datetime.date,
    applicant_is_minor: bool = False,
) -> FeeInForce | None:
    """The fee of a permit type (instance or id) and channel on a day, or None when none is set.

    Rows without a condition apply to everyone; a conditional row applies when its condition
    holds. Of the rows that apply, the lowest amount wins: a reduction or exemption is never
    lost to the general price.
    """
    conditions = [FeeCondition.EVERYONE]
    if applicant_is_minor:
        conditions.append(FeeCondition.MINOR)
    candidates = Fee.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=on_date),
        permit_type_id=_pk(permit_type),
        channel=channel,
        condition__in=conditions,
        valid_from__lte=on_date,
    ).order_by("amount_cents", "-valid_from", "id")
    fee = candidates.first()
    if fee is None:
        return None
    return FeeInForce(
        fee_id=fee.pk, amount_cents=fee.amount_cents, currency=fee.currency, condition=fee.condition
    )


def fees_for_administration() -> QuerySet[Fee]:
    return Fee.objects.select_related("permit_type").order_by(
        "permit_type__position", "permit_type__code", "channel", "condition", "-valid_from"
    )


def payment_for_owner(*, public_id, user) -> Payment:
    """The payment with this public id if `user` made it; 404 otherwise (never says which)."""
    try:
        return Payment.objects.get(public_id=public_id, payer=user)
    except (Payment.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def payment_by_stamp(*, provider: str, stamp: str) -> Payment | None:
    return Payment.objects.filter(provider=provider, stamp=stamp).first()


def application_paid_payment(*, application_id: int) -> Payment | None:
    """The confirmed payment of an application (at most one exists), or None."""
    return Payment.objects.filter(application_id=application_id, status=PaymentStatus.PAID).first()


def application_is_paid(*, application_id: int) -> bool:
    return Payment.objects.filter(application_id=application_id, status=PaymentStatus.PAID).exists()


def application_open_payment(*, application_id: int, payer) -> Payment | None:
    """The latest attempt of this payer that may still be paid (to resume it), or None."""
    return (
        Payment.objects.filter(application_id=application_id, payer=payer, status__in=OPEN_STATUSES)
        .order_by("-created_at", "-id")
        .first()
    )


def application_payments(*, application_id: int) -> QuerySet[Payment]:
    return Payment.objects.filter(application_id=application_id).order_by("-created_at", "-id")


def payments_to_reconcile(*, started_before) -> QuerySet[Payment]:
    """Attempts still open whose last change is older than `started_before`, oldest first; one
    already known to be paid twice waits for an administrator, not for the provider."""
    return Payment.objects.filter(
        status__in=OPEN_STATUSES, updated_at__lt=started_before, needs_refund=False
    ).order_by("updated_at", "id")


def payment_events(*, payment: Payment) -> QuerySet[PaymentEvent]:
    return PaymentEvent.objects.filter(payment=payment).order_by("at", "id")

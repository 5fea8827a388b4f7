"""Reads of payments that other apps and pages share: the fee in force, an application's payment
state, and the owner-scoped look-up of one payment (another user's payment is not found)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from core.prepared_queries import BoundQuery, PreparedQuery
from payments.models import (
    OPEN_STATUSES,
    Channel,
    Fee,
    FeeCondition,
    Payment,
    PaymentEvent,
    PaymentStatus,
)

# A receipt exists for money received: a confirmed payment, also after its refund.
RECEIPT_STATUSES = (PaymentStatus.PAID, PaymentStatus.REFUNDED)

# Event notes of a success the provider reported (payments.services.lifecycle._apply_paid).
SUCCESS_NOTES = ("paid", "paid_twice", "success_after_final")
REFUND_NOTES = ("refunded_provider", "refunded_manual")


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


# The applicant's case page asks on every showing: compiled once per process.
_RECEIPTS_OF_APPLICATION = PreparedQuery(
    lambda application_id: Payment.objects.filter(
        application_id=application_id, status__in=RECEIPT_STATUSES, paid_at__isnull=False
    ).order_by("-created_at", "-id"),
    application_id=int,
)


def application_receipts_read(*, application_id: int) -> BoundQuery:
    """The application's payments that have a receipt (money received), newest first, to be read
    with a page's other lists (core.prepared_queries.all_together)."""
    return _RECEIPTS_OF_APPLICATION.bound(application_id=application_id)


def payments_to_reconcile(*, started_before) -> QuerySet[Payment]:
    """Attempts still open whose last change is older than `started_before`, oldest first; one
    already known to be paid twice waits for an administrator, not for the provider."""
    return Payment.objects.filter(
        status__in=OPEN_STATUSES, updated_at__lt=started_before, needs_refund=False
    ).order_by("updated_at", "id")


def payments_to_hand_over(*, paid_before) -> QuerySet[Payment]:
    """Paid payments whose application has not been told yet, paid before `paid_before`, oldest
    first (payments.services.hand_over)."""
    return Payment.objects.filter(
        status=PaymentStatus.PAID, handed_over_at__isnull=True, paid_at__lt=paid_before
    ).order_by("paid_at", "id")


def payment_events(*, payment: Payment) -> QuerySet[PaymentEvent]:
    return PaymentEvent.objects.filter(payment=payment).order_by("at", "id")


def receipt_for_owner(*, public_id, user) -> Payment:
    """A receipt of the user's own payment; 404 for another's, or for money never received."""
    payment = payment_for_owner(public_id=public_id, user=user)
    if payment.status not in RECEIPT_STATUSES or payment.paid_at is None:
        raise Http404
    return payment


def payments_for_administration(*, needs_refund_only: bool = False) -> QuerySet[Payment]:
    """Payments that reached the provider, newest first (no personal data beyond the ids)."""
    queryset = Payment.objects.exclude(status=PaymentStatus.STARTED).select_related(
        "fee__permit_type"
    )
    if needs_refund_only:
        queryset = queryset.filter(needs_refund=True).exclude(status=PaymentStatus.REFUNDED)
    return queryset.order_by("-created_at", "-id")


def payment_by_public_id(*, public_id) -> Payment:
    try:
        return Payment.objects.select_related("fee__permit_type").get(public_id=public_id)
    except (Payment.DoesNotExist, ValueError, TypeError) as error:
        raise Http404 from error


def payment_events_between(*, start, end, notes) -> QuerySet[PaymentEvent]:
    """Events with one of `notes` in [start, end), with their payment, oldest first."""
    return (
        PaymentEvent.objects.filter(at__gte=start, at__lt=end, note__in=list(notes))
        .exclude(payment=None)
        .select_related("payment__fee__permit_type")
        .order_by("at", "id")
    )


def payment_had_success_before(*, payment_id: int, before) -> bool:
    return PaymentEvent.objects.filter(
        payment_id=payment_id, at__lt=before, note__in=SUCCESS_NOTES
    ).exists()

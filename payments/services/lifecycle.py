"""The life of a payment: start (or restart) an attempt at the provider, resume it, and apply
what the provider says about it, from whichever channel it arrives (browser return, callback,
status query).

The status moves only from allowed states, by `UPDATE ... WHERE status IN (...)`, and whoever
changes the one row acts (audits, queues the application's hand-over). So duplicate, late and
out-of-order messages change nothing: a paid payment stays paid, a failed one never becomes paid, and a
success for an attempt that can no longer be paid is kept and flagged for a refund.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.services import audit_record
from payments.models import (
    OPEN_STATUSES,
    EventSource,
    Payment,
    PaymentStatus,
)
from payments.providers import (
    Outcome,
    ProviderResult,
    ProviderUnavailable,
    ReturnKind,
    ReturnUrls,
    SignatureInvalid,
    get_provider,
)
from payments.references import creditor_reference, finnish_reference
from payments.selectors import FeeInForce, application_is_paid
from payments.services.hand_over import payment_hand_over, payment_hand_over_later
from payments.services.transitions import payment_event_record, payment_move_status

logger = logging.getLogger(__name__)

# Reference numbers start from here so that every one has at least five digits.
REFERENCE_BASE = 10_000


class NothingToPay(Exception):
    """The fee in force is zero (an exemption) or there is none: submit without paying."""


class AlreadyPaid(Exception):
    """The application has a confirmed payment; a second one is impossible."""


class NotResumable(Exception):
    """The attempt is over (paid, failed, cancelled), never reached the provider, or its price is
    no longer the fee in force: start anew."""


@dataclass(frozen=True)
class MessageHandled:
    """What became of one message from a provider."""

    payment: Payment | None
    signature_valid: bool
    changed: bool
    note: str


def return_urls(provider_name: str) -> ReturnUrls:
    """Our absolute addresses for a provider, on PAYMENTS_RETURN_BASE_URL."""

    def absolute(name: str, kind: ReturnKind) -> str:
        path = reverse(name, kwargs={"provider": provider_name, "kind": kind.value})
        return urljoin(settings.PAYMENTS_RETURN_BASE_URL, path)

    return ReturnUrls(
        success=absolute("payments:return", ReturnKind.SUCCESS),
        cancel=absolute("payments:return", ReturnKind.CANCEL),
        callback_success=absolute("payments:callback", ReturnKind.SUCCESS),
        callback_cancel=absolute("payments:callback", ReturnKind.CANCEL),
    )


def payment_start(
    *,
    application_id: int,
    payer,
    fee: FeeInForce | None,
    language: str = "fi",
    provider_name: str | None = None,
    request=None,
) -> Payment:
    """Start a new attempt for the application's owner (`payer`, checked by the caller) and
    create it at the provider; the applicant's browser goes to `payment.provider_url`.

    An earlier open attempt stays open: if the applicant paid it after all, its success still
    counts (and a second success is flagged for refund). Nobody else's attempt ever blocks this.
    """
    if fee is None or fee.is_exempt:
        raise NothingToPay
    if application_is_paid(application_id=application_id):
        raise AlreadyPaid
    provider = get_provider(provider_name)
    with transaction.atomic():
        payment = Payment(
            application_id=application_id,
            payer=payer,
            fee_id=fee.fee_id,
            amount_cents=fee.amount_cents,
            currency=fee.currency,
            provider=provider.name,
            stamp=uuid.uuid4().hex,
            language=(language or "fi")[:5],
        )
        payment.full_clean(exclude=["reference_number", "creditor_reference"])
        payment.save()
        # The reference number comes from the row's id: unique without a counter of its own.
        payment.reference_number = finnish_reference(REFERENCE_BASE + payment.pk)
        payment.creditor_reference = creditor_reference(payment.reference_number)
        payment.save(update_fields=["reference_number", "creditor_reference"])
        payment_event_record(
            payment=payment,
            source=EventSource.APPLICANT,
            provider=provider.name,
            status_after=PaymentStatus.STARTED,
            changed=True,
            note="started",
            request=request,
        )
        audit_record(
            action="payments.started",
            request=request,
            actor=payer,
            target=payment,
            details={"application": application_id, "amount_cents": payment.amount_cents},
        )
    # Outside the transaction: no database lock is held while the provider answers.
    try:
        created = provider.create(
            payment=payment, urls=return_urls(provider.name), customer_email=payer.email
        )
    except (ProviderUnavailable, ImproperlyConfigured) as error:
        logger.warning("payment %s: the provider refused or failed: %s", payment.public_id, error)
        with transaction.atomic():
            moved = payment_move_status(
                payment.pk,
                allowed_from=[PaymentStatus.STARTED],
                to=PaymentStatus.FAILED,
                finished_at=timezone.now(),
            )
            payment_event_record(
                payment=payment,
                source=EventSource.CREATED,
                provider=provider.name,
                status_before=PaymentStatus.STARTED,
                status_after=PaymentStatus.FAILED if moved else "",
                changed=moved,
                note="provider_unavailable",
                request=request,
            )
        raise ProviderUnavailable(str(error)) from error
    with transaction.atomic():
        Payment.objects.filter(pk=payment.pk).update(
            provider_reference=created.provider_reference, provider_url=created.url
        )
        moved = payment_move_status(
            payment.pk, allowed_from=[PaymentStatus.STARTED], to=PaymentStatus.PENDING
        )
        payment_event_record(
            payment=payment,
            source=EventSource.CREATED,
            provider=provider.name,
            status_before=PaymentStatus.STARTED,
            status_after=PaymentStatus.PENDING if moved else "",
            changed=moved,
            note="created",
            request=request,
        )
    payment.refresh_from_db()
    return payment


def payment_resume(*, payment: Payment, payer) -> str:
    """The provider's page of an open attempt of `payer`, to continue paying it."""
    if payment.payer_id != payer.pk:
        raise NotResumable
    payment.refresh_from_db()
    if not payment.is_resumable:
        raise NotResumable
    return payment.provider_url


def _apply_paid(payment: Payment, result: ProviderResult, request) -> tuple[bool, str]:
    now = timezone.now()
    try:
        # A savepoint: on PostgreSQL a failed statement would otherwise spoil the transaction.
        with transaction.atomic():
            moved = payment_move_status(
                payment.pk,
                allowed_from=OPEN_STATUSES,
                to=PaymentStatus.PAID,
                paid_at=now,
                finished_at=now,
            )
    except IntegrityError:
        moved, note = False, "paid_twice"
    else:
        if moved:
            payment.refresh_from_db()
            audit_record(
                action="payments.paid",
                request=request,
                target=payment,
                details={"application": payment.application_id, "provider": payment.provider},
            )
            # The application is submitted by the task queued here (payments.services.hand_over),
            # not while the provider's return or callback waits for its answer.
            payment_hand_over_later(payment=payment)
            return True, "paid"
        payment.refresh_from_db()
        if payment.status in (PaymentStatus.PAID, PaymentStatus.REFUNDED):
            # The same success again (Paytrail repeats callbacks, even after a refund).
            return False, "duplicate"
        note = "success_after_final"
    # Money was taken for an attempt that cannot count (another attempt is paid, or this one had
    # ended): keep the success, never lose it, and flag it for an administrator to refund.
    flagged = Payment.objects.filter(pk=payment.pk, needs_refund=False).update(
        needs_refund=True, updated_at=timezone.now()
    )
    if flagged:
        logger.warning(
            "payment %s: success that cannot count (%s); refund it", payment.public_id, note
        )
        audit_record(
            action="payments.needs_refund",
            request=request,
            target=payment,
            details={"application": payment.application_id, "reason": note},
        )
    return bool(flagged), note


def payment_apply_result(
    *,
    provider_name: str,
    result: ProviderResult,
    source: str,
    request=None,
    hand_over_now: bool = True,
) -> MessageHandled:
    """Apply a verified provider result to the payment with its stamp; idempotent.

    A payment this call marks paid is handed over to the application by the task queued with it;
    `hand_over_now` also does it here, once the paid transaction is committed (jobs, commands and
    demo data, which go on with the submitted application). The provider's return and callback
    pass False: they answer without waiting for the submission."""
    with transaction.atomic():
        payment = Payment.objects.filter(provider=provider_name, stamp=result.stamp).first()
        if payment is None:
            payment_event_record(
                payment=None,
                source=source,
                provider=provider_name,
                signature_valid=True,
                provider_status=result.provider_status,
                note="unknown_stamp",
                request=request,
            )
            return MessageHandled(None, True, False, "unknown_stamp")
        before = payment.status
        mismatch = ""
        if result.amount_cents is not None and result.amount_cents != payment.amount_cents:
            mismatch = "amount_mismatch"
        elif (
            payment.provider_reference
            and result.provider_reference
            and result.provider_reference != payment.provider_reference
        ):
            mismatch = "transaction_mismatch"
        if mismatch:
            changed, note = False, mismatch
            logger.warning("payment %s: %s in a signed message", payment.public_id, mismatch)
            audit_record(
                action="payments.mismatch",
                request=request,
                target=payment,
                details={"reason": mismatch, "source": source},
            )
        elif result.outcome == Outcome.PAID:
            changed, note = _apply_paid(payment, result, request)
        elif result.outcome == Outcome.PENDING:
            changed = payment_move_status(
                payment.pk, allowed_from=[PaymentStatus.STARTED], to=PaymentStatus.PENDING
            )
            note = "pending"
        elif result.outcome in (Outcome.FAILED, Outcome.CANCELLED):
            target = (
                PaymentStatus.FAILED
                if result.outcome == Outcome.FAILED
                else PaymentStatus.CANCELLED
            )
            changed = payment_move_status(
                payment.pk, allowed_from=OPEN_STATUSES, to=target, finished_at=timezone.now()
            )
            note = result.outcome.value if changed else "late_or_duplicate"
            if changed:
                audit_record(
                    action=f"payments.{target}",
                    request=request,
                    target=payment,
                    details={"application": payment.application_id},
                )
        else:  # UNPAID: the provider knows the payment and is waiting for the applicant
            changed, note = False, "unpaid"
        payment.refresh_from_db()
        payment_event_record(
            payment=payment,
            source=source,
            provider=provider_name,
            signature_valid=True if source != EventSource.STATUS_QUERY else None,
            provider_status=result.provider_status,
            status_before=before,
            status_after=payment.status,
            changed=changed,
            note=note,
            request=request,
        )
    if hand_over_now and changed and note == "paid":
        _hand_over_now(payment)
    return MessageHandled(payment, True, changed, note)


def _hand_over_now(payment: Payment) -> None:
    try:
        payment_hand_over(payment_id=payment.pk)
    except Exception:
        # Paid stays paid: the queued task and the reconciliation's safety net try again.
        logger.exception("payment %s: the hand-over failed; it is retried", payment.public_id)


def payment_handle_provider_message(
    *,
    provider_name: str,
    params: Mapping[str, str],
    kind: ReturnKind,
    source: str,
    request=None,
    hand_over_now: bool = True,
) -> MessageHandled:
    """Verify a return or callback and apply it (`hand_over_now`: see payment_apply_result). A message that fails verification changes no
    payment: it is recorded, audited and logged (codes only, no parameters) and refused."""
    try:
        provider = get_provider(provider_name)
        result = provider.verify(params, kind=kind)
    except (SignatureInvalid, ImproperlyConfigured) as error:
        logger.warning(
            "payments: refused a %s for provider %s: %s", source, provider_name[:32], error
        )
        with transaction.atomic():
            payment_event_record(
                payment=None,
                source=source,
                provider=provider_name,
                signature_valid=False,
                note="signature_refused",
                request=request,
            )
            audit_record(
                action="payments.signature_refused",
                request=request,
                object_type="payments.payment",
                details={"provider": provider_name[:32], "source": source},
            )
        return MessageHandled(None, False, False, "signature_refused")
    return payment_apply_result(
        provider_name=provider.name,
        result=result,
        source=source,
        request=request,
        hand_over_now=hand_over_now,
    )

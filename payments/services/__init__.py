"""Every write of the payments app: fees, the payment's life, reconciliation with the provider."""

from payments.services.fees import fee_create, fee_ensure_catalogue_fee, fee_update
from payments.services.hand_over import payment_hand_over, payments_hand_over_due
from payments.services.lifecycle import (
    AlreadyPaid,
    MessageHandled,
    NothingToPay,
    NotResumable,
    payment_apply_result,
    payment_handle_provider_message,
    payment_resume,
    payment_start,
    return_urls,
)
from payments.services.reconciliation import payments_reconcile

__all__ = [
    "AlreadyPaid",
    "MessageHandled",
    "NotResumable",
    "NothingToPay",
    "fee_create",
    "fee_ensure_catalogue_fee",
    "fee_update",
    "payment_apply_result",
    "payment_hand_over",
    "payment_handle_provider_message",
    "payment_resume",
    "payment_start",
    "payments_hand_over_due",
    "payments_reconcile",
    "return_urls",
]

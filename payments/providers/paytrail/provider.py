"""Paytrail (Payment API v2) as a payment provider: the applicant pays on Paytrail's pages; the
result comes back signed, by the browser's return and by a server-to-server callback."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urljoin

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from payments.models import Payment
from payments.providers.base import (
    CreatedPayment,
    Outcome,
    PaymentProvider,
    ProviderResult,
    RefundResult,
    RefundsNotSupported,
    ReturnKind,
    ReturnUrls,
    SignatureInvalid,
)
from payments.providers.paytrail.client import PaytrailClient, PaytrailError
from payments.providers.paytrail.signing import (
    checkout_parameters,
    single_valued,
    verify_signature,
)

# Paytrail's statuses; "new" (created, not paid) comes only from the status query.
OUTCOMES = {
    "ok": Outcome.PAID,
    "pending": Outcome.PENDING,
    "delayed": Outcome.PENDING,
    "fail": Outcome.FAILED,
    "new": Outcome.UNPAID,
}
LANGUAGES = {"fi": "FI", "sv": "SV", "en": "EN"}


def parse_amount(value: str | int | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise SignatureInvalid("the amount is not a whole number of cents") from error


class SignedRedirectProtocol(PaymentProvider):
    """Verification shared by Paytrail and the embedded provider: one code path for both."""

    secret: str
    merchant_id: str

    def outcome_of(self, status: str, kind: ReturnKind) -> Outcome:
        try:
            return OUTCOMES[status]
        except KeyError as error:
            raise SignatureInvalid(f"unknown status {status[:16]!r}") from error

    def verify(self, params: Mapping[str, str], *, kind: ReturnKind) -> ProviderResult:
        params = single_valued(params)
        verify_signature(self.secret, params, params.get("signature"))
        checkout = checkout_parameters(params)
        # A valid signature from another merchant account is not ours.
        if checkout.get("checkout-account") != self.merchant_id:
            raise SignatureInvalid("another merchant account")
        stamp = checkout.get("checkout-stamp", "")
        status = checkout.get("checkout-status", "")
        if not stamp or status == "new":
            raise SignatureInvalid("no stamp or no final status")
        return ProviderResult(
            stamp=stamp,
            provider_reference=checkout.get("checkout-transaction-id", ""),
            provider_status=status,
            outcome=self.outcome_of(status, kind),
            amount_cents=parse_amount(checkout.get("checkout-amount")),
            reference=checkout.get("checkout-reference", ""),
        )


class PaytrailProvider(SignedRedirectProtocol):
    name = "paytrail"

    def __init__(self, client: PaytrailClient):
        self.client = client
        self.secret = client.secret
        self.merchant_id = client.merchant_id

    @classmethod
    def from_settings(cls) -> PaytrailProvider:
        if not settings.PAYTRAIL_MERCHANT_ID or not settings.PAYTRAIL_SECRET_KEY:
            raise ImproperlyConfigured(
                "Paytrail needs PAYTRAIL_MERCHANT_ID and PAYTRAIL_SECRET_KEY"
            )
        return cls(
            PaytrailClient(
                base_url=settings.PAYTRAIL_BASE_URL,
                merchant_id=settings.PAYTRAIL_MERCHANT_ID,
                secret=settings.PAYTRAIL_SECRET_KEY,
                algorithm=settings.PAYTRAIL_ALGORITHM,
                timeout=settings.PAYTRAIL_TIMEOUT_SECONDS,
            )
        )

    def create(self, *, payment: Payment, urls: ReturnUrls, customer_email: str) -> CreatedPayment:
        body = {
            "stamp": payment.stamp,
            "reference": payment.reference_number,
            "amount": payment.amount_cents,
            "currency": payment.currency,
            "language": LANGUAGES.get(payment.language, "FI"),
            # Paytrail requires the payer's address for its receipt; nothing else about them.
            "customer": {"email": customer_email},
            "redirectUrls": {"success": urls.success, "cancel": urls.cancel},
            "callbackUrls": {"success": urls.callback_success, "cancel": urls.callback_cancel},
        }
        data = self.client.create_payment(body)
        transaction_id, href = data.get("transactionId"), data.get("href")
        if not isinstance(transaction_id, str) or not isinstance(href, str):
            raise PaytrailError("Paytrail's answer has no transactionId or href")
        if not href.startswith("https://") and not settings.DEVELOPMENT:
            raise PaytrailError("Paytrail's payment page is not https")
        return CreatedPayment(provider_reference=transaction_id[:64], url=href)

    def fetch_status(self, *, payment: Payment) -> ProviderResult | None:
        if not payment.provider_reference:
            return None
        data = self.client.get_payment(payment.provider_reference)
        status = str(data.get("status", ""))
        if data.get("stamp") not in (None, payment.stamp):
            raise PaytrailError("Paytrail answered about another payment")
        try:
            outcome = OUTCOMES[status]
            amount = parse_amount(data.get("amount"))
        except (KeyError, SignatureInvalid) as error:
            raise PaytrailError(f"Paytrail answered an unknown status {status[:16]!r}") from error
        return ProviderResult(
            stamp=payment.stamp,
            provider_reference=payment.provider_reference,
            provider_status=status,
            outcome=outcome,
            amount_cents=amount,
            reference=str(data.get("reference", "")),
        )

    def refund(self, *, payment: Payment, amount_cents: int, refund_stamp: str) -> RefundResult:
        """Paytrail's refund (POST /payments/{transactionId}/refund); its own callbacks about the
        refund reach our callback address with the refund's stamp and are recorded there."""
        if not payment.provider_reference:
            raise RefundsNotSupported("the payment has no Paytrail transaction id")
        urls = return_urls_for_refund(self.name)
        data = self.client.refund_payment(
            payment.provider_reference,
            {
                "amount": amount_cents,
                "refundStamp": refund_stamp,
                "refundReference": payment.reference_number or "",
                "callbackUrls": {"success": urls[0], "cancel": urls[1]},
            },
        )
        transaction_id = data.get("transactionId")
        if not isinstance(transaction_id, str):
            raise PaytrailError("Paytrail's refund answer has no transactionId")
        return RefundResult(provider_reference=transaction_id[:64])


def return_urls_for_refund(provider_name: str) -> tuple[str, str]:
    path_ok = reverse("payments:callback", kwargs={"provider": provider_name, "kind": "success"})
    path_fail = reverse("payments:callback", kwargs={"provider": provider_name, "kind": "cancel"})
    return (
        urljoin(settings.PAYMENTS_RETURN_BASE_URL, path_ok),
        urljoin(settings.PAYMENTS_RETURN_BASE_URL, path_fail),
    )

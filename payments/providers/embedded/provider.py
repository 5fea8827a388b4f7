"""The embedded test provider: payment pages inside the platform (development and the demo).

It speaks Paytrail's protocol: the applicant chooses success, failure or cancellation on our own
page, which redirects back with signed checkout-* parameters and also delivers a signed callback,
both checked by the same verification as Paytrail's (SignedRedirectProtocol) with a development
secret. It refuses to run in production, as the development virus scanner does.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from payments.models import Payment
from payments.providers.base import (
    CreatedPayment,
    Outcome,
    ProviderResult,
    RefundResult,
    ReturnKind,
    ReturnUrls,
)
from payments.providers.paytrail.provider import OUTCOMES, SignedRedirectProtocol
from payments.providers.paytrail.signing import compute_signature

MERCHANT_ID = "embedded"
ALGORITHM = "sha256"


class Choice:
    SUCCESS = "success"
    FAILURE = "failure"
    CANCELLATION = "cancellation"


# What each choice sends: Paytrail's status and which of our addresses it returns to. Like
# Paytrail, a refusal and a cancellation both say "fail"; the address tells them apart here.
CHOICES = {
    Choice.SUCCESS: ("ok", ReturnKind.SUCCESS),
    Choice.FAILURE: ("fail", ReturnKind.SUCCESS),
    Choice.CANCELLATION: ("fail", ReturnKind.CANCEL),
}


class EmbeddedProvider(SignedRedirectProtocol):
    name = "embedded"

    def __init__(self):
        if not settings.DEVELOPMENT:
            raise ImproperlyConfigured(
                "the embedded test payment provider never runs in production: set PAYMENTS_PROVIDER"
            )
        if not settings.PAYMENTS_EMBEDDED_SECRET:
            raise ImproperlyConfigured(
                "the embedded payment provider needs PAYMENTS_EMBEDDED_SECRET"
            )
        self.secret = settings.PAYMENTS_EMBEDDED_SECRET
        self.merchant_id = MERCHANT_ID

    def outcome_of(self, status: str, kind: ReturnKind) -> Outcome:
        outcome = super().outcome_of(status, kind)
        if outcome == Outcome.FAILED and kind == ReturnKind.CANCEL:
            return Outcome.CANCELLED
        return outcome

    def create(self, *, payment: Payment, urls: ReturnUrls, customer_email: str) -> CreatedPayment:
        # A path, not an address: the page is on whatever host the applicant is using (make run
        # may serve on another port than PUBLIC_BASE_URL says), so the session cookie comes along.
        return CreatedPayment(
            provider_reference=f"embedded-{secrets.token_hex(12)}",
            url=reverse("payments:embedded_pay", kwargs={"public_id": payment.public_id}),
        )

    def signed_parameters(
        self, *, payment: Payment, choice: str
    ) -> tuple[dict[str, str], ReturnKind]:
        """The checkout-* parameters and signature for the applicant's choice."""
        status, kind = CHOICES[choice]
        params = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": ALGORITHM,
            "checkout-amount": str(payment.amount_cents),
            "checkout-stamp": payment.stamp,
            "checkout-reference": payment.reference_number or "",
            "checkout-transaction-id": payment.provider_reference,
            "checkout-status": status,
            "checkout-provider": "embedded",
        }
        params["signature"] = compute_signature(self.secret, params, b"", ALGORITHM)
        return params, kind

    def return_url(self, *, params: dict[str, str], kind: ReturnKind) -> str:
        path = reverse("payments:return", kwargs={"provider": self.name, "kind": kind.value})
        return f"{path}?{urlencode(params)}"

    def fetch_status(self, *, payment: Payment) -> ProviderResult | None:
        # The embedded provider keeps no state of its own: its callback is its only delivery,
        # and an attempt never chosen is "new" (unpaid) until the reconciliation gives it up.
        return ProviderResult(
            stamp=payment.stamp,
            provider_reference=payment.provider_reference,
            provider_status="new",
            outcome=OUTCOMES["new"],
        )

    def refund(self, *, payment: Payment, amount_cents: int, refund_stamp: str) -> RefundResult:
        # No money ever moved: the refund is accepted at once, as Paytrail accepts one.
        return RefundResult(provider_reference=f"embedded-refund-{refund_stamp[:32]}")

"""The payment provider interface: create a payment at the provider, verify what it sends back
(browser return and server-to-server callback), and ask it for a payment's status.

The platform never sees card or bank data: the applicant pays on the provider's pages, and what
comes back is a status, our stamp and the provider's transaction id, signed.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from payments.models import Payment


class SignatureInvalid(Exception):
    """The message is not signed by the provider (forged, tampered or malformed)."""


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense; trying again later may work."""


class Outcome(enum.StrEnum):
    """What a provider's status means for the payment."""

    PAID = "paid"
    PENDING = "pending"  # accepted, money not confirmed yet (Paytrail's pending and delayed)
    FAILED = "failed"
    CANCELLED = "cancelled"
    UNPAID = "unpaid"  # the provider knows it but nobody has paid yet (Paytrail's "new")


class ReturnKind(enum.StrEnum):
    """Which of our addresses the provider returned to: providers have one for success and one
    for cancellation or failure."""

    SUCCESS = "success"
    CANCEL = "cancel"


@dataclass(frozen=True)
class CreatedPayment:
    provider_reference: str  # the provider's transaction id
    url: str  # where the applicant's browser goes to pay


@dataclass(frozen=True)
class ProviderResult:
    """A verified message from the provider about one of our payments (by our stamp)."""

    stamp: str
    provider_reference: str
    provider_status: str  # the provider's own code, e.g. "ok", kept in the event log
    outcome: Outcome
    amount_cents: int | None = None
    reference: str = ""


@dataclass(frozen=True)
class RefundResult:
    """The provider accepted a refund; its id of the refund, kept in the event log."""

    provider_reference: str


class RefundsNotSupported(Exception):
    """The provider cannot refund through its interface: the refund is made by hand."""


@dataclass(frozen=True)
class ReturnUrls:
    """Our addresses the provider sends the browser and its callbacks to."""

    success: str
    cancel: str
    callback_success: str
    callback_cancel: str


class PaymentProvider:
    """Base class; each implementation lives in its own package under payments/providers/."""

    name: str = ""

    def create(self, *, payment: Payment, urls: ReturnUrls, customer_email: str) -> CreatedPayment:
        raise NotImplementedError

    def verify(self, params: Mapping[str, str], *, kind: ReturnKind) -> ProviderResult:
        """Verify a return or callback's parameters; raise SignatureInvalid unless signed."""
        raise NotImplementedError

    def fetch_status(self, *, payment: Payment) -> ProviderResult | None:
        """Ask the provider for the status (reconciliation); None when it cannot tell."""
        raise NotImplementedError

    def refund(self, *, payment: Payment, amount_cents: int, refund_stamp: str) -> RefundResult:
        """Refund a payment at the provider. Raise RefundsNotSupported when it cannot (the
        administrator then records a refund made by hand) and ProviderUnavailable on failure."""
        raise RefundsNotSupported(self.name)

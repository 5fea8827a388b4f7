"""Payment providers behind one interface: a registry of implementations chosen by the
PAYMENTS_PROVIDER setting (core.registry), one package per provider.

"paytrail" is the Finnish payment service provider (Payment API v2); "embedded" is the offline test
provider inside the platform, the default in development and the demo, refused in production.
"""

from __future__ import annotations

from django.conf import settings

from core.registry import Registry
from payments.providers.base import (
    CreatedPayment,
    Outcome,
    PaymentProvider,
    ProviderResult,
    ProviderUnavailable,
    RefundResult,
    RefundsNotSupported,
    ReturnKind,
    ReturnUrls,
    SignatureInvalid,
)

__all__ = [
    "CreatedPayment",
    "Outcome",
    "PaymentProvider",
    "ProviderResult",
    "ProviderUnavailable",
    "RefundResult",
    "RefundsNotSupported",
    "ReturnKind",
    "ReturnUrls",
    "SignatureInvalid",
    "get_provider",
    "providers",
]

providers: Registry[PaymentProvider] = Registry("payment provider (PAYMENTS_PROVIDER)")


def get_provider(name: str | None = None) -> PaymentProvider:
    """The provider registered as `name`, by default the configured one."""
    return providers.get(name or settings.PAYMENTS_PROVIDER)


def _paytrail() -> PaymentProvider:
    from payments.providers.paytrail.provider import PaytrailProvider

    return PaytrailProvider.from_settings()


def _embedded() -> PaymentProvider:
    from payments.providers.embedded.provider import EmbeddedProvider

    return EmbeddedProvider()


providers.register("paytrail", _paytrail)
providers.register("embedded", _embedded)

"""System checks: PAYMENTS_PROVIDER names a registered provider (always), and in a deployment
that provider can run (Paytrail has its credentials; never the embedded test provider) and
returns to an https address."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

from payments.providers import get_provider, providers


@register()
def payment_provider_known(app_configs, **kwargs):
    if settings.PAYMENTS_PROVIDER not in providers:
        known = ", ".join(providers)
        return [
            Error(
                f"PAYMENTS_PROVIDER {settings.PAYMENTS_PROVIDER!r} is not a payment provider.",
                hint=f"Known providers: {known}.",
                id="payments.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def payment_provider_can_run(app_configs, **kwargs):
    errors = []
    if settings.PAYMENTS_PROVIDER in providers:
        try:
            get_provider()
        except ImproperlyConfigured as error:
            errors.append(
                Error(
                    f"The payment provider cannot run: {error}",
                    hint="Set PAYMENTS_PROVIDER=paytrail, PAYTRAIL_MERCHANT_ID and PAYTRAIL_SECRET_KEY.",
                    id="payments.E002",
                )
            )
    if not settings.DEVELOPMENT and not settings.PAYMENTS_RETURN_BASE_URL.startswith("https://"):
        errors.append(
            Error(
                "Payment providers would return to a plain-http address.",
                hint="Set PAYMENTS_RETURN_BASE_URL (or PUBLIC_BASE_URL) to the https address.",
                id="payments.E003",
            )
        )
    return errors

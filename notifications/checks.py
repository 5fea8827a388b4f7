"""Deployment checks: genuine notifications must be DKIM-signed in production."""

from django.conf import settings
from django.core.checks import Error, Warning, register

from notifications.dkim import private_key_path


@register("notifications", deploy=True)
def dkim_key_configured(app_configs, **kwargs):
    if settings.MODE != "production":
        return []
    path = private_key_path()
    if path is not None and path.is_file():
        return []
    return [
        Warning(
            "No DKIM key: notifications would go out unsigned, and receivers (and the trust "
            "center's check) could not tell them from forgeries.",
            hint="Set DKIM_PRIVATE_KEY_FILE to the PEM key whose public half is published in DNS "
            "(`manage.py dkim_dns_record` prints the record).",
            id="notifications.W001",
        )
    ]


@register("notifications")
def sms_backend_known(app_configs, **kwargs):
    from notifications.sms import sms_backends

    name = settings.SMS_BACKEND or "console"
    if name in sms_backends:
        return []
    return [
        Error(
            f"SMS_BACKEND {name!r} is not a registered SMS gateway.",
            hint=f"Choose one of: {', '.join(sms_backends)}, or the dotted path of a gateway class.",
            id="notifications.E001",
        )
    ]

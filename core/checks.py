"""Deployment checks of the core settings."""

from django.conf import settings
from django.core.checks import Warning, register


@register("security", deploy=True)
def client_addresses_behind_a_proxy(app_configs, **kwargs):
    """Behind a TLS proxy, every request comes from the proxy unless we know which proxies to trust:
    lock-outs, rate limits and the audit log would then treat all visitors as one."""
    if settings.MODE != "production" or settings.SECURE_PROXY_SSL_HEADER is None:
        return []
    if settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: every visitor would share the "
            "proxy's address in lock-outs, rate limits and the audit log.",
            hint="Set TRUSTED_PROXIES to the proxies' addresses or networks, or BEHIND_TLS_PROXY=0.",
            id="core.W001",
        )
    ]

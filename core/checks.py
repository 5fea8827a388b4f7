"""Deployment checks of the core settings (`manage.py check --deploy`)."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Warning, register

from core.authority import authority

# The SMS backend that only prints messages; a gateway registers its own name (notifications.sms).
CONSOLE_SMS_BACKEND = "console"
HOST_PREFIX = "__Host-"


def _production() -> bool:
    return settings.MODE == "production"


@register("security", deploy=True)
def client_addresses_behind_a_proxy(app_configs, **kwargs):
    """Behind a TLS proxy, every request comes from the proxy unless we know which proxies to trust:
    lock-outs, rate limits and the audit log would then treat all visitors as one, and the proxy's
    X-Forwarded-Proto would not be believed (core.middleware.TrustedProxyMiddleware)."""
    if not _production() or settings.SECURE_PROXY_SSL_HEADER is None:
        return []
    if settings.TRUSTED_PROXIES:
        return []
    return [
        Warning(
            "BEHIND_TLS_PROXY is on but TRUSTED_PROXIES is empty: every visitor would share the "
            "proxy's address in lock-outs, rate limits and the audit log, and the proxy's "
            "X-Forwarded-Proto would be ignored, so requests would not count as https.",
            hint="Set TRUSTED_PROXIES to the proxies' addresses or networks, or BEHIND_TLS_PROXY=0.",
            id="core.W001",
        )
    ]


@register("notifications", deploy=True)
def text_messages_reach_phones(app_configs, **kwargs):
    """The console backend prints text messages to the server's log: nobody would receive them."""
    if not _production() or settings.SMS_BACKEND != CONSOLE_SMS_BACKEND:
        return []
    return [
        Warning(
            "SMS_BACKEND is 'console': text messages would be printed to the log, not sent.",
            hint="Set SMS_BACKEND to the SMS gateway's backend.",
            id="core.W002",
        )
    ]


def _is_local_host(host: str) -> bool:
    host = host.rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


@register("security", deploy=True)
def public_address_is_public(app_configs, **kwargs):
    """Notifications tell users to type PUBLIC_BASE_URL themselves; a loopback address there sends
    them nowhere, and pages that print it would teach them to trust any address."""
    if not _production():
        return []
    try:
        host = urlsplit(settings.PUBLIC_BASE_URL).hostname or ""
    except ValueError:
        host = ""
    if host and not _is_local_host(host):
        return []
    return [
        Warning(
            f"PUBLIC_BASE_URL ({settings.PUBLIC_BASE_URL!r}) is not a public address.",
            hint="Set PUBLIC_BASE_URL to the address users type, such as https://permits.example.org.",
            id="core.W003",
        )
    ]


@register("security", deploy=True)
def host_prefixed_cookies_are_valid(app_configs, **kwargs):
    """Browsers drop a __Host- cookie that is not Secure, has a Domain, or a Path other than "/":
    the session or CSRF cookie would silently never be set."""
    cookies = (
        ("SESSION_COOKIE", settings.SESSION_COOKIE_NAME),
        ("CSRF_COOKIE", settings.CSRF_COOKIE_NAME),
    )
    problems = []
    for prefix, name in cookies:
        if not name.startswith(HOST_PREFIX):
            if _production():
                problems.append(f"{prefix}_NAME should start with {HOST_PREFIX}")
            continue
        if not getattr(settings, f"{prefix}_SECURE"):
            problems.append(f"{prefix}_SECURE must be on for {name}")
        if getattr(settings, f"{prefix}_DOMAIN"):
            problems.append(f"{prefix}_DOMAIN must be unset for {name}")
        if getattr(settings, f"{prefix}_PATH") != "/":
            problems.append(f'{prefix}_PATH must be "/" for {name}')
    if not problems:
        return []
    return [
        Warning(
            "The session and CSRF cookies are not locked to this host: "
            + "; ".join(problems)
            + ".",
            hint="Keep the production cookie settings of config/settings.py.",
            id="core.W004",
        )
    ]


@register("security", deploy=True)
def authority_facts_are_confirmed(app_configs, **kwargs):
    """The shipped profile fills in, as examples, facts its seed does not state (phone numbers,
    social-media accounts, addresses). The trust center vouches for whatever the profile calls
    official, so a live service must not run on an example."""
    if not _production():
        return []
    unconfirmed = authority().unconfirmed_facts
    if not unconfirmed:
        return []
    return [
        Warning(
            f"The authority profile ({settings.AUTHORITY_PROFILE}) lists {len(unconfirmed)} "
            f"unconfirmed facts: {', '.join(unconfirmed)}. The trust center would treat them "
            "as the authority's own.",
            hint="Confirm or correct each fact with the authority, then remove it from the "
            "profile's 'unconfirmed' section.",
            id="core.W005",
        )
    ]


@register("security", deploy=True)
def secret_key_rotation_keeps_long_lived_codes(app_configs, **kwargs):
    """During a SECRET_KEY rotation, recovery codes and printed verification codes keyed by the
    old key work only while it stays a fallback: unless pinned (README, "Rotating the secret key",
    step 1), dropping the fallback locks people out of their recovery codes and voids every code
    printed in a notification."""
    if not _production() or not settings.SECRET_KEY_FALLBACKS:
        return []
    unpinned = [
        name
        for name in ("RECOVERY_CODE_KEY", "TRUST_VERIFICATION_CODE_KEY")
        if not getattr(settings, name)
    ]
    if not unpinned:
        return []
    return [
        Warning(
            f"SECRET_KEY_FALLBACKS is set (a rotation is under way) but {' and '.join(unpinned)} "
            "is empty: recovery codes and verification codes made under the old key stop working "
            "once it leaves SECRET_KEY_FALLBACKS.",
            hint=f"Set {' and '.join(unpinned)} to the key those codes were made under (the old "
            "SECRET_KEY) before dropping the fallback (README, 'Rotating the secret key').",
            id="core.W006",
        )
    ]

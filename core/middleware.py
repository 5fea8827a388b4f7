"""A request id on every request, for logs and audit entries that must not carry personal data;
the client's own address and scheme when requests come through a trusted reverse proxy; and the
Content-Security-Policy header with its text built once per process."""

import http.client
import ipaddress
import uuid
from functools import lru_cache

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = uuid.uuid4().hex
        response = self.get_response(request)
        response["X-Request-ID"] = request.request_id
        return response


@lru_cache(maxsize=8)
def _trusted_networks(spec: tuple[str, ...]) -> tuple:
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in spec)
    except ValueError as error:
        raise ImproperlyConfigured(
            "TRUSTED_PROXIES must list IP addresses or networks, such as 10.0.0.0/8"
        ) from error


def _address(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _is_trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


def client_behind_proxies(remote_addr: str, forwarded_for: str, networks) -> str | None:
    """The client's address, or None when the request did not come through a trusted proxy.

    Read from the right of X-Forwarded-For: each trusted proxy appends the address it saw, so the
    first entry from the right that is not a trusted proxy is the client. Entries further left were
    written by the client itself and may be forged.
    """

    def trusted(address) -> bool:
        return _is_trusted(address, networks)

    if not networks or not forwarded_for or not trusted(_address(remote_addr)):
        return None
    client = None
    for entry in reversed(forwarded_for.split(",")):
        address = _address(entry)
        if address is None:
            break
        client = address
        if not trusted(address):
            break
    return str(client) if client is not None else None


class TrustedProxyMiddleware:
    """REMOTE_ADDR becomes the client's address when the peer is one of settings.TRUSTED_PROXIES,
    and the scheme header (SECURE_PROXY_SSL_HEADER) is believed only from those peers.

    Behind a reverse proxy the socket peer is the proxy (gunicorn does not rewrite REMOTE_ADDR), so
    without this every client would share one address in rate limits, lock-outs and the audit log.
    Django believes SECURE_PROXY_SSL_HEADER from any peer: a client reaching the server directly
    could claim https and get secure-only treatment (redirects, cookies) over plain http. Removing
    the header from everyone else, before SecurityMiddleware reads it, closes that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
        meta = request.META
        remote_addr = meta.get("REMOTE_ADDR", "")
        peer_trusted = bool(networks) and _is_trusted_peer(remote_addr, networks)
        scheme_header = settings.SECURE_PROXY_SSL_HEADER
        if scheme_header and not peer_trusted:
            meta.pop(scheme_header[0], None)
        if peer_trusted:
            client = client_behind_proxies(
                remote_addr, meta.get("HTTP_X_FORWARDED_FOR", ""), networks
            )
            if client is not None:
                meta["REMOTE_ADDR"] = client
        return self.get_response(request)


@lru_cache(maxsize=1024)
def _is_trusted_peer(remote_addr: str, networks: tuple) -> bool:
    """Whether the socket's peer is one of the trusted proxies: behind a proxy every request
    comes from the same few addresses, so each is parsed (ipaddress) once, not twice a request."""
    return _is_trusted(_address(remote_addr), networks)


# Stands for the request's nonce in a policy built once; a nonce is base64, which has no NUL.
_NONCE_PLACEHOLDER = "\x00nonce\x00"
# Per report_only: (the policy without a nonce, the policy with the placeholder, the excluded
# URL prefixes), or None when the settings' policy cannot be kept as text (see _policy_texts).
_POLICY_TEXTS: dict[bool, tuple[str, str, tuple[str, ...]] | None] = {}
_POLICY_SETTINGS = {
    False: "CONTENT_SECURITY_POLICY",
    True: "CONTENT_SECURITY_POLICY_REPORT_ONLY",
}
_RESPONSE_POLICY_ATTRIBUTES = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
)
_EXEMPT_IN_DEBUG = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)


def _policy_texts(report_only: bool):
    if report_only not in _POLICY_TEXTS:
        without_nonce = build_policy(report_only=report_only)
        with_placeholder = build_policy(nonce=_NONCE_PLACEHOLDER, report_only=report_only)
        policy = getattr(settings, _POLICY_SETTINGS[report_only]) or {}
        prefixes = tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ())
        _POLICY_TEXTS[report_only] = (
            None  # the placeholder written in the settings themselves: built per request
            if _NONCE_PLACEHOLDER in without_nonce
            else (without_nonce, with_placeholder, prefixes)
        )
    return _POLICY_TEXTS[report_only]


@receiver(setting_changed)
def _forget_policy_texts(*, setting, **kwargs):
    if setting in _POLICY_SETTINGS.values():
        _POLICY_TEXTS.clear()


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy's text built once per process from the settings
    and only the nonce (when a page used one) put in per request.

    django-csp rebuilds the policy from the settings on every response (a dataclass turned into a
    dict, the directives copied, deduplicated and joined): 1.5 % of a page. The settings' policy
    is code-defined, so its text is the same for every response; override_settings in tests
    clears it (setting_changed). A response with its own policy (django-csp's decorators) goes
    through django-csp's own code. The same headers, byte for byte, as django-csp writes:
    tests/core/test_content_security_policy.py compares the two.
    """

    def process_response(self, request, response):
        if any(getattr(response, name, None) is not None for name in _RESPONSE_POLICY_ATTRIBUTES):
            return super().process_response(request, response)
        if response.status_code in _EXEMPT_IN_DEBUG and settings.DEBUG:
            return response
        enforced, report_only = _policy_texts(False), _policy_texts(True)
        if enforced is None or report_only is None:
            return super().process_response(request, response)
        nonce = getattr(request, "_csp_nonce", None)
        for texts, header, exempt_attribute in (
            (enforced, HEADER, "_csp_exempt"),
            (report_only, HEADER_REPORT_ONLY, "_csp_exempt_ro"),
        ):
            without_nonce, with_placeholder, prefixes = texts
            policy = with_placeholder.replace(_NONCE_PLACEHOLDER, nonce) if nonce else without_nonce
            if (
                policy
                and header not in response
                and getattr(response, exempt_attribute, False) is False
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written would not be in it.
        if nonce is None:
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

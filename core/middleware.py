"""A request id on every request, for logs and audit entries that must not carry personal data;
and the client's own address and scheme when requests come through a trusted reverse proxy."""

import ipaddress
import uuid
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


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
        scheme_header = settings.SECURE_PROXY_SSL_HEADER
        if scheme_header and not _is_trusted(
            _address(request.META.get("REMOTE_ADDR", "")), networks
        ):
            request.META.pop(scheme_header[0], None)
        client = client_behind_proxies(
            request.META.get("REMOTE_ADDR", ""),
            request.META.get("HTTP_X_FORWARDED_FOR", ""),
            networks,
        )
        if client is not None:
            request.META["REMOTE_ADDR"] = client
        return self.get_response(request)

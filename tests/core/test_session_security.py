"""The https header is believed only from trusted proxies; cookie and deploy checks of sessions."""

import pytest
from django.test import Client, RequestFactory

from core.checks import host_prefixed_cookies_are_valid
from core.middleware import TrustedProxyMiddleware

HTTPS_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def _is_secure(remote_addr: str, **headers) -> bool:
    request = RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers)
    return TrustedProxyMiddleware(lambda request: request.is_secure())(request)


def test_the_https_header_from_a_trusted_proxy_makes_the_request_secure(settings):
    settings.SECURE_PROXY_SSL_HEADER = HTTPS_HEADER
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert _is_secure("10.1.2.3", HTTP_X_FORWARDED_PROTO="https")


@pytest.mark.parametrize("trusted", [["10.0.0.0/8"], []])
def test_the_https_header_from_any_other_peer_is_ignored(settings, trusted):
    settings.SECURE_PROXY_SSL_HEADER = HTTPS_HEADER
    settings.TRUSTED_PROXIES = trusted
    assert not _is_secure("198.51.100.7", HTTP_X_FORWARDED_PROTO="https")
    # Not even when the client also forges the forwarding chain.
    assert not _is_secure(
        "198.51.100.7", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="10.0.0.1"
    )


@pytest.mark.django_db
def test_a_direct_client_claiming_https_is_still_redirected_to_https(settings):
    settings.SECURE_PROXY_SSL_HEADER = HTTPS_HEADER
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    direct = Client(REMOTE_ADDR="198.51.100.7").get("/", HTTP_X_FORWARDED_PROTO="https")
    proxied = Client(REMOTE_ADDR="10.0.0.2").get(
        "/", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="198.51.100.7"
    )

    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    assert proxied.status_code == 200


def test_development_keeps_django_cookie_names_that_work_over_http(settings):
    assert settings.SESSION_COOKIE_NAME == "sessionid"
    assert settings.CSRF_COOKIE_NAME == "csrftoken"
    assert host_prefixed_cookies_are_valid(None) == []


@pytest.mark.parametrize(
    ("setting", "value"),
    [("SESSION_COOKIE_SECURE", False), ("SESSION_COOKIE_DOMAIN", "example.org")],
)
def test_a_host_prefixed_cookie_that_browsers_would_drop_is_reported(settings, setting, value):
    settings.SESSION_COOKIE_NAME = "__Host-sessionid"
    settings.SESSION_COOKIE_SECURE = True
    setattr(settings, setting, value)
    [warning] = host_prefixed_cookies_are_valid(None)
    assert warning.id == "core.W004" and setting in warning.msg

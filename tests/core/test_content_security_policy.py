"""The Content-Security-Policy headers (core.middleware.ContentSecurityPolicyMiddleware) are
django-csp's, byte for byte, with the policy's text built once per process."""

import pytest
from csp.constants import HEADER, HEADER_REPORT_ONLY, NONCE, NONE, SELF
from csp.decorators import csp, csp_exempt, csp_replace, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware
from django.http import HttpResponse, HttpResponseNotFound
from django.test import RequestFactory

from core.middleware import ContentSecurityPolicyMiddleware

WITH_NONCE = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [NONCE, SELF, SELF],
        "upgrade-insecure-requests": True,
        "report-uri": "/csp-report/",
    }
}


def _plain(request):
    return HttpResponse("ok")


def _uses_nonce(request):
    return HttpResponse(str(request.csp_nonce))


def _not_found(request):
    return HttpResponseNotFound("no")


def _has_header(request):
    response = HttpResponse("ok")
    response[HEADER] = "default-src 'none'"
    return response


VIEWS = [
    _plain,
    _uses_nonce,
    _not_found,
    _has_header,
    csp_exempt()(_plain),
    csp_exempt(REPORT_ONLY=True)(_plain),
    csp_update({"img-src": ["https://example.org"]})(_uses_nonce),
    csp_update({"img-src": ["https://example.org"]}, REPORT_ONLY=True)(_plain),
    csp_replace({"script-src": [NONE]})(_uses_nonce),
    csp({"default-src": [NONE]})(_plain),
]
POLICIES = [
    {},  # the project's own
    {"CONTENT_SECURITY_POLICY": WITH_NONCE},
    {"CONTENT_SECURITY_POLICY_REPORT_ONLY": WITH_NONCE},
    {"CONTENT_SECURITY_POLICY": {**WITH_NONCE, "EXCLUDE_URL_PREFIXES": ["/excluded/"]}},
    {"CONTENT_SECURITY_POLICY": None},
    {"DEBUG": True},
]


def _headers(middleware_class, view, path):
    request = RequestFactory().get(path)
    response = middleware_class(view)(request)
    return request, {
        name: value for name, value in response.headers.items() if name.startswith(HEADER)
    }


@pytest.mark.parametrize("overrides", POLICIES)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("path", ["/page/", "/excluded/page/"])
def test_the_headers_are_django_csps(settings, overrides, view, path):
    for name, value in overrides.items():
        setattr(settings, name, value)
    for _ in range(2):  # the second time from the texts kept
        request, ours = _headers(ContentSecurityPolicyMiddleware, view, path)
        nonce = getattr(request, "_csp_nonce", None)
        _request, djangos = _headers(CSPMiddleware, view, path)
        other_nonce = getattr(_request, "_csp_nonce", None)
        if nonce:  # each request its own nonce: django-csp's with ours in its place
            djangos = {name: value.replace(other_nonce, nonce) for name, value in djangos.items()}
        assert ours == djangos


def test_the_projects_policy_is_sent():
    _request, headers = _headers(ContentSecurityPolicyMiddleware, _plain, "/")
    assert headers.keys() == {HEADER}
    # In django-csp's order, which follows the hashing of strings (a set): varies per process.
    assert set(headers[HEADER].split("; ")) == {
        "default-src 'self'",
        "script-src 'none'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    }


def test_a_nonce_in_the_policy_is_each_requests_own(settings):
    settings.CONTENT_SECURITY_POLICY = WITH_NONCE
    first, first_headers = _headers(ContentSecurityPolicyMiddleware, _uses_nonce, "/")
    second, second_headers = _headers(ContentSecurityPolicyMiddleware, _uses_nonce, "/")
    assert first._csp_nonce != second._csp_nonce
    assert f"script-src 'self' 'nonce-{first._csp_nonce}'" in first_headers[HEADER]
    assert f"'nonce-{second._csp_nonce}'" in second_headers[HEADER]
    assert "\x00" not in first_headers[HEADER]


def test_a_changed_setting_changes_the_header(settings):
    _headers(ContentSecurityPolicyMiddleware, _plain, "/")
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [NONE]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"default-src": [SELF]}}
    assert _headers(ContentSecurityPolicyMiddleware, _plain, "/")[1] == {
        HEADER: "default-src 'none'",
        HEADER_REPORT_ONLY: "default-src 'self'",
    }


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    request = RequestFactory().get("/")
    ContentSecurityPolicyMiddleware(_plain)(request)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)

"""One-time access codes: hashed, bound to address and browser session, short-lived, single use,
limited tries, rate-limited, and silent about whether the address has written before."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.securemail.conftest import SENDER

pytestmark = pytest.mark.django_db

BINDING = "b" * 43


@pytest.fixture
def request_code(smtp_server, django_capture_on_commit_callbacks):
    from securemail.access import access_code_request

    def _request(email=SENDER, binding=BINDING, client_key="192.0.2.1"):
        smtp_server.clear()
        with django_capture_on_commit_callbacks(execute=True):
            access_code_request(email=email, binding=binding, client_key=client_key, language="en")
        [mail] = smtp_server.outbox
        return re.search(r"\b(\d{4} \d{4})\b", mail.text).group(1), mail

    return _request


def test_the_code_email_carries_the_code_and_the_address_but_no_link(request_code):
    from tests.notifications.test_case_notifications import LINK_MARKERS

    code, mail = request_code()
    assert mail.envelope_to == [SENDER]
    assert "securemail" in mail.text.lower()
    for part in (mail.text.lower(), mail.html.lower()):
        for marker in LINK_MARKERS:
            assert marker not in part


def test_only_hashes_are_stored(request_code):
    from securemail.models import AccessCode

    code, _mail = request_code()
    row = AccessCode.objects.get()
    columns = [str(getattr(row, f.attname)) for f in AccessCode._meta.concrete_fields]
    for column in columns:
        assert code.replace(" ", "") not in column
        assert SENDER not in column


def test_the_right_code_verifies_the_session_once(request_code):
    from securemail.access import AccessCodeRefused, access_code_verify, verified_access

    code, _mail = request_code()
    access = access_code_verify(binding=BINDING, code=code, client_key="192.0.2.1")
    assert access.email == SENDER
    assert verified_access(binding=BINDING).email_hash == access.email_hash
    with pytest.raises(AccessCodeRefused) as refusal:
        access_code_verify(binding=BINDING, code=code, client_key="192.0.2.1")
    assert refusal.value.reason == "used"


def test_a_code_does_not_work_in_another_browser(request_code):
    from securemail.access import AccessCodeRefused, access_code_verify

    code, _mail = request_code()
    with pytest.raises(AccessCodeRefused) as refusal:
        access_code_verify(binding="c" * 43, code=code, client_key="192.0.2.1")
    assert refusal.value.reason == "no_code"


def test_a_code_sent_to_another_address_does_not_open_this_one(request_code):
    from securemail.access import AccessCodeRefused, access_code_verify

    other_code, _mail = request_code(email="other@example.org", binding="d" * 43)
    request_code(email=SENDER)
    with pytest.raises(AccessCodeRefused) as refusal:
        access_code_verify(binding=BINDING, code=other_code, client_key="192.0.2.1")
    assert refusal.value.reason == "wrong"


def test_an_expired_code_is_refused(request_code, settings):
    from securemail.access import AccessCodeRefused, access_code_verify

    code, _mail = request_code()
    later = timezone.now() + timedelta(seconds=settings.SECUREMAIL_CODE_VALID_SECONDS + 1)
    with pytest.raises(AccessCodeRefused) as refusal:
        access_code_verify(binding=BINDING, code=code, client_key="192.0.2.1", now=later)
    assert refusal.value.reason == "expired"


def test_tries_are_limited_even_for_the_right_code_afterwards(request_code, settings):
    from securemail.access import AccessCodeRefused, access_code_verify

    code, _mail = request_code()
    reasons = []
    for _attempt in range(settings.SECUREMAIL_CODE_MAX_ATTEMPTS):
        with pytest.raises(AccessCodeRefused) as refusal:
            access_code_verify(binding=BINDING, code="0000 000", client_key="192.0.2.1")
        reasons.append(refusal.value.reason)
    assert reasons[-1] == "too_many_tries"
    with pytest.raises(AccessCodeRefused):
        access_code_verify(binding=BINDING, code=code, client_key="192.0.2.1")


def test_requests_are_limited_per_address(request_code):
    from securemail.access import REQUESTS_PER_ADDRESS, RateLimited, access_code_request

    for index in range(REQUESTS_PER_ADDRESS[0]):
        request_code(client_key=f"192.0.2.{index}")
    with pytest.raises(RateLimited):
        access_code_request(email=SENDER, binding=BINDING, client_key="198.51.100.1", language="en")


def test_requests_are_limited_per_client(request_code):
    from securemail.access import REQUESTS_PER_CLIENT, RateLimited, access_code_request

    for index in range(REQUESTS_PER_CLIENT[0]):
        request_code(email=f"person{index}@example.org")
    with pytest.raises(RateLimited):
        access_code_request(email=SENDER, binding=BINDING, client_key="192.0.2.1", language="en")


def test_the_code_email_is_the_same_whether_or_not_the_address_wrote_before(
    request_code, start_conversation
):
    _code, first = request_code(email="new@example.org", binding="e" * 43)
    start_conversation(email=SENDER)
    _code, second = request_code(email=SENDER)

    def without_codes(text):
        text = re.sub(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", "CODE", text)  # verification code
        return re.sub(r"\d", "0", text)

    assert without_codes(first.text) == without_codes(second.text)


def test_in_development_the_official_address_is_this_servers_own_securemail_page(settings):
    """`make run` must be followable as written: the address to type is the running server."""
    from securemail.access import official_address

    settings.DEVELOPMENT = True
    settings.PUBLIC_BASE_URL = "http://localhost:8010"
    assert official_address() == "localhost:8010/securemail/"


def test_in_production_the_official_address_is_the_authority_profiles(settings):
    from core.authority import authority
    from securemail.access import official_address

    settings.DEVELOPMENT = False
    settings.PUBLIC_BASE_URL = "https://permits.example.fi"
    assert authority().securemail_address
    assert official_address() == authority().securemail_address

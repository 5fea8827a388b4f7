import re

import pytest

from notifications.models import VerificationCode
from notifications.verification import verification_code_check, verification_code_issue
from trust.engine import CheckEngine, EngineConfig
from trust.selectors import engine_config_kwargs

from .helpers import section

pytestmark = pytest.mark.django_db

CODE_FORMAT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$")


def test_an_issued_code_has_the_published_format_and_codes_differ():
    codes = {
        verification_code_issue(recipient="a@example.org", channel="email", kind="x")
        for _ in range(20)
    }
    assert len(codes) == 20
    assert all(CODE_FORMAT.match(code) for code in codes)


def test_only_hashes_of_the_code_and_the_recipient_are_stored():
    code = verification_code_issue(
        recipient="Person@Example.org", channel="email", kind="case.decided"
    )
    row = VerificationCode.objects.get()
    stored = " ".join(str(value) for value in VerificationCode.objects.values_list().get())
    assert code.replace("-", "") not in stored.upper() and code not in stored
    assert "person@example.org" not in stored.lower()
    assert len(row.code_digest) == 64 and len(row.recipient_digest) == 64


def test_the_right_code_and_the_right_address_answer_yes_with_date_and_channel():
    code = verification_code_issue(
        recipient="person@example.org", channel="email", kind="case.decided"
    )
    answer = verification_code_check(code=code, recipient="PERSON@example.org ")
    assert answer is not None
    assert answer.channel == "email"
    assert answer.issued_at is not None


def test_a_code_read_with_letter_o_and_lower_case_still_matches():
    code = verification_code_issue(recipient="+358 40 123 4567", channel="sms", kind="x")
    typed = code.lower().replace("0", "o").replace("-", " ")
    assert verification_code_check(code=typed, recipient="+358401234567") is not None


def test_a_wrong_address_or_a_wrong_code_answers_no():
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    assert verification_code_check(code=code, recipient="other@example.org") is None
    assert verification_code_check(code="7K3M-Q9TX-2HDA", recipient="person@example.org") is None
    assert verification_code_check(code="not a code", recipient="person@example.org") is None


def test_without_an_address_the_engine_can_still_ask_whether_we_issued_the_code():
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    assert verification_code_check(code=code, recipient=None) is not None


def test_the_page_answers_yes_for_the_right_code_and_address(client):
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    response = client.post("/trust/verify/", {"code": code, "address": "person@example.org"})
    assert response.status_code == 200
    assert "Yes, we sent this message." in response.content.decode()


def test_the_page_answers_a_wrong_address_and_a_wrong_code_identically(client):
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    wrong_address = client.post("/trust/verify/", {"code": code, "address": "other@example.org"})
    wrong_code = client.post(
        "/trust/verify/", {"code": "7K3M-Q9TX-2HDA", "address": "person@example.org"}
    )
    assert wrong_address.status_code == wrong_code.status_code == 200
    assert section(wrong_address.content.decode()) == section(wrong_code.content.decode())
    assert "No, we did not send" in section(wrong_code.content.decode())


def test_one_code_cannot_be_tried_against_many_addresses(client):
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    for attempt in range(5):
        response = client.post(
            "/trust/verify/",
            {"code": code, "address": f"guess{attempt}@example.org"},
            REMOTE_ADDR=f"192.0.2.{attempt + 1}",
        )
        assert response.status_code == 200
    response = client.post(
        "/trust/verify/", {"code": code, "address": "person@example.org"}, REMOTE_ADDR="192.0.2.99"
    )
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0


def test_one_client_cannot_try_many_codes(client, settings):
    settings.RATE_LIMITS = {"trust.verify": (3, 3600)}
    for attempt in range(3):
        response = client.post(
            "/trust/verify/", {"code": f"7K3M-Q9TX-2HD{attempt}", "address": "a@b.fi"}
        )
        assert response.status_code == 200
    response = client.post("/trust/verify/", {"code": "7K3M-Q9TX-2HDZ", "address": "a@b.fi"})
    assert response.status_code == 429


def test_the_check_recognises_a_valid_code_in_a_pasted_message():
    engine = CheckEngine(EngineConfig(**engine_config_kwargs(), dns_enabled=False))
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    text = (
        "Maahanmuuttovirasto: a decision has been made in your case. Sign in to the e-service "
        f"to read it.\nVerification code: {code}"
    )
    result = engine.check_text(
        text, channel="email", sender="noreply@migri.fi", recipient="Person@Example.org"
    )
    assert [item["valid"] for item in result.verification_codes] == [True]
    assert result.has("verification_code_valid")


def test_without_the_typed_address_the_check_says_only_that_the_code_is_ours():
    engine = CheckEngine(EngineConfig(**engine_config_kwargs(), dns_enabled=False))
    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    result = engine.check_text(f"Verification code: {code}", channel="email")
    assert result.verdict == "unverified"
    assert result.has("verification_code_ours_unconfirmed")
    assert [item["status"] for item in result.verification_codes] == ["ours"]


def test_one_code_cannot_be_tried_against_many_addresses_through_the_check():
    from core.models import RateLimitCounter
    from trust.services.verification_checks import VERIFY_LIMIT_PER_CODE, verification_code_checker

    code = verification_code_issue(recipient="person@example.org", channel="email", kind="x")
    for guess in range(VERIFY_LIMIT_PER_CODE[0]):
        assert not verification_code_checker(code, f"guess{guess}@example.org")
    # The right address no longer helps once the code's attempts are spent: no answer at all.
    assert verification_code_checker(code, "person@example.org") is None
    assert RateLimitCounter.objects.filter(scope="trust.verify.code").count() == 1


@pytest.mark.parametrize(
    "typed", ["+358 40 123 4567", "0401234567", "00358401234567", "+358-40-123 4567"]
)
def test_a_code_sent_by_sms_is_confirmed_whichever_way_the_number_is_typed(typed):
    code = verification_code_issue(recipient="040 123 4567", channel="sms", kind="x")
    answer = verification_code_check(code=code, recipient=typed)
    assert answer is not None
    assert answer.channel == "sms"
    assert verification_code_check(code=code, recipient="+358 40 123 4568") is None


def test_the_page_confirms_an_sms_code_for_the_number_in_international_form(client):
    code = verification_code_issue(recipient="040 123 4567", channel="sms", kind="x")
    response = client.post("/trust/verify/", {"code": code, "address": "+358 40 123 4567"})
    assert "Yes, we sent this message." in response.content.decode()


def test_text_that_is_no_number_matches_only_itself():
    code = verification_code_issue(recipient="not a number", channel="sms", kind="x")
    assert verification_code_check(code=code, recipient="notanumber") is not None
    assert verification_code_check(code=code, recipient="") is None
    assert verification_code_check(code=code, recipient="+358 40 123 4567") is None

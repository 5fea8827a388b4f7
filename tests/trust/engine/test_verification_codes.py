"""The platform's verification codes: found, normalised, checked; proof unless the message was altered."""

from __future__ import annotations

from trust.engine.analyzers.verification_codes import find_codes, normalize_code

from .helpers import email

NOTIFICATION = (
    "You have new information in the e-service. Type enterfinland.fi yourself and sign in.\n"
    "Verification code: 7K3M-Q9TX-2HDA"
)


def test_codes_are_normalised_as_the_contract_says():
    assert normalize_code("7k3m-q9tx-2hda") == "7K3M-Q9TX-2HDA"
    assert normalize_code("OIL0-AAAA-BBBB") == "0110-AAAA-BBBB"
    assert normalize_code("UUUU-AAAA-BBBB") == ""


def test_codes_are_found_after_a_label_or_when_they_hold_digits():
    assert find_codes("Tarkistuskoodi: abcd-efgh-jkmn") == ["ABCD-EFGH-JKMN"]
    assert find_codes("the well-done-item list") == []
    assert find_codes("Kontrollkod 7K3M Q9TX 2HDA.") == ["7K3M-Q9TX-2HDA"]


def test_a_valid_code_proves_the_message_genuine(make_engine):
    calls = []

    def checker(code, recipient):
        calls.append((code, recipient))
        return code == "7K3M-Q9TX-2HDA"

    engine = make_engine(verification_code_checker=checker)
    result = engine.check_email(email(NOTIFICATION, sender="Migri <noreply@migri.fi>"))
    assert result.verdict == "genuine"
    assert result.verification_codes == [{"code": "7K3M-Q9TX-2HDA", "valid": True}]
    assert calls == [("7K3M-Q9TX-2HDA", "reader@example.com")]


def test_a_valid_code_in_an_altered_message_is_a_scam(make_engine):
    engine = make_engine(verification_code_checker=lambda code, recipient: True)
    altered = NOTIFICATION + "\nConfirm your passport number at https://migri-fi.com/confirm"
    result = engine.check_text(altered, "sms", "Migri")
    assert result.verdict == "scam"
    assert result.has("verification_code_in_altered_message")


def test_an_invalid_code_in_the_authoritys_name_is_flagged(make_engine):
    engine = make_engine(verification_code_checker=lambda code, recipient: False)
    result = engine.check_text(NOTIFICATION, "sms", "Migri")
    assert result.has("verification_code_invalid")
    assert result.verdict == "scam"
    assert result.verification_codes == [{"code": "7K3M-Q9TX-2HDA", "valid": False}]


def test_without_a_checker_the_code_is_only_noted(engine):
    result = engine.check_text(NOTIFICATION, "sms", "Migri")
    assert result.has("verification_code_unchecked")
    assert result.verdict == "unverified"


def test_a_lifted_code_does_not_make_a_message_with_a_foreign_link_genuine(make_engine):
    # A code proves that we sent a message with it, not what a message carrying it says now.
    engine = make_engine(verification_code_checker=lambda code, recipient: True)
    for addition in (
        "Read the decision at https://bit.ly/3abc",
        "Read the decision at https://decision-portal.example/d",
        "Questions? Contact our agent on WhatsApp +44 7700 900123.",
    ):
        result = engine.check_text(f"{NOTIFICATION}\n{addition}", "sms", "Migri")
        # In the authority's name, a link elsewhere to read the decision is itself a scam.
        assert result.verdict in ("suspicious", "scam"), addition
        assert result.has("verification_code_in_altered_message")

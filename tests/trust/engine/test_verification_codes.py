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


def _issued_to(address: str, code: str = "7K3M-Q9TX-2HDA"):
    """A checker that knows one code, issued to `address`, and records what it was asked."""
    calls = []

    def checker(asked_code, recipient):
        calls.append((asked_code, recipient))
        if asked_code != code:
            return False
        return recipient is None or recipient.lower() == address

    checker.calls = calls
    return checker


def test_a_code_checked_against_the_typed_recipient_proves_pasted_text_genuine(make_engine):
    checker = _issued_to("reader@example.com")
    engine = make_engine(verification_code_checker=checker)
    result = engine.check_text(NOTIFICATION, "sms", "Migri", recipient="reader@example.com")
    assert result.verdict == "genuine"
    assert result.verification_codes == [
        {"code": "7K3M-Q9TX-2HDA", "valid": True, "status": "confirmed"}
    ]
    assert checker.calls == [("7K3M-Q9TX-2HDA", None), ("7K3M-Q9TX-2HDA", "reader@example.com")]


def test_the_to_header_is_never_used_as_the_recipient(make_engine):
    # The attacker got a real code sent to their own address and wrote To: themselves.
    checker = _issued_to("attacker@example.net")
    engine = make_engine(verification_code_checker=checker)
    forged = email(NOTIFICATION, sender="Migri <noreply@migri.fi>", to="attacker@example.net")
    result = engine.check_email(forged)
    assert result.verdict == "unverified"
    assert result.has("verification_code_ours_unconfirmed")
    assert all(recipient is None for _code, recipient in checker.calls)


def test_without_a_typed_recipient_our_code_says_only_that_it_is_ours(make_engine):
    engine = make_engine(verification_code_checker=_issued_to("attacker@example.net"))
    result = engine.check_text(NOTIFICATION, "sms", "Migri")
    assert result.verdict == "unverified"
    assert [f.severity for f in result.findings if f.code.startswith("verification_code")] == [
        "info"
    ]
    assert result.verification_codes[0]["status"] == "ours"


def test_a_code_sent_to_someone_else_than_the_typed_address_makes_it_suspicious(make_engine):
    engine = make_engine(verification_code_checker=_issued_to("attacker@example.net"))
    result = engine.check_text(NOTIFICATION, "sms", "Migri", recipient="victim@example.org")
    assert result.verdict == "suspicious"
    assert result.has("verification_code_other_recipient")


def test_a_confirmed_code_does_not_make_an_unsigned_email_genuine(make_engine):
    engine = make_engine(verification_code_checker=_issued_to("reader@example.com"))
    forged = email(NOTIFICATION, sender="Migri <noreply@migri.fi>", to="reader@example.com")
    result = engine.check_email(forged, recipient="reader@example.com")
    assert result.verdict == "unverified"
    assert result.has("verification_code_confirmed_email")
    assert not result.has("verification_code_valid")


def test_a_rate_limited_answer_is_unchecked_not_invalid(make_engine):
    engine = make_engine(
        verification_code_checker=lambda code, recipient: True if recipient is None else None
    )
    result = engine.check_text(NOTIFICATION, "sms", "Migri", recipient="reader@example.com")
    assert result.verdict == "unverified"
    assert result.has("verification_code_unchecked")


def test_only_three_codes_are_looked_up_and_more_make_the_message_suspicious(make_engine):
    checker = _issued_to("reader@example.com")
    engine = make_engine(verification_code_checker=checker)
    codes = [f"7K3M-Q9TX-{index:04d}" for index in range(2000)]
    text = "Verification codes: " + " ".join(codes)
    result = engine.check_text(text, "sms", "Migri", recipient="reader@example.com")
    assert len({code for code, _recipient in checker.calls}) == 3
    assert result.has("verification_codes_too_many")
    assert result.verdict in ("suspicious", "scam")
    assert len(result.verification_codes) <= 13


def test_our_one_code_alone_is_not_over_the_cap(make_engine):
    engine = make_engine(verification_code_checker=_issued_to("reader@example.com"))
    result = engine.check_text(NOTIFICATION, "sms", "Migri", recipient="reader@example.com")
    assert not result.has("verification_codes_too_many")


def test_a_valid_code_in_an_altered_message_is_a_scam(make_engine):
    engine = make_engine(verification_code_checker=lambda code, recipient: True)
    altered = NOTIFICATION + "\nConfirm your passport number at https://migri-fi.com/confirm"
    result = engine.check_text(altered, "sms", "Migri", recipient="reader@example.com")
    assert result.verdict == "scam"
    assert result.has("verification_code_in_altered_message")


def test_an_invalid_code_in_the_authoritys_name_is_flagged(make_engine):
    engine = make_engine(verification_code_checker=lambda code, recipient: False)
    result = engine.check_text(NOTIFICATION, "sms", "Migri")
    assert result.has("verification_code_invalid")
    assert result.verdict == "scam"
    assert result.verification_codes == [
        {"code": "7K3M-Q9TX-2HDA", "valid": False, "status": "unknown"}
    ]


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
        result = engine.check_text(
            f"{NOTIFICATION}\n{addition}", "sms", "Migri", recipient="reader@example.com"
        )
        # In the authority's name, a link elsewhere to read the decision is itself a scam.
        assert result.verdict in ("suspicious", "scam"), addition
        assert result.has("verification_code_in_altered_message")


def test_a_code_of_letters_only_is_found_after_our_footers_label_in_every_language():
    for label in (
        "Verification code of this message:",
        "Tämän viestin tarkistuskoodi:",
        "Det här meddelandets kontrollkod:",
    ):
        assert find_codes(f"{label} ABCD-EFGH-JKMN") == ["ABCD-EFGH-JKMN"], label

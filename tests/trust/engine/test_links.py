"""Links and addresses: official or not, lookalikes, shorteners, IPs, misleading link text."""

from __future__ import annotations

from .helpers import email, severity

HTML_MISMATCH = (
    b"From: Migri <noreply@migri.fi>\r\nSubject: Permit\r\nContent-Type: text/html\r\n\r\n"
    b'<p>Sign in: <a href="https://evil.example/login">https://migri.fi/login</a></p>\r\n'
)


def test_link_text_that_shows_an_official_address_but_goes_elsewhere(engine):
    result = engine.check_email(HTML_MISMATCH)
    finding = next(f for f in result.findings if f.code == "link_text_mismatch")
    assert finding.evidence == {"shown": "migri.fi", "domain": "evil.example"}
    assert finding.severity == "high"


def test_a_lookalike_link_is_a_scam(engine):
    result = engine.check_text("Renew your permit at https://rnigri.fi/renew")
    assert result.verdict == "scam"
    assert result.indicators["domains"] == ["rnigri.fi"]


def test_a_raw_ip_address_is_flagged(engine):
    assert (
        severity(engine.check_text("Log in at http://185.12.4.9/migri"), "link_ip_address")
        == "high"
    )


def test_a_raw_ip_address_written_without_a_scheme_is_flagged(engine):
    result = engine.check_text("Migri: log in at 185.12.4.9/migri today", "sms", "+358401112222")
    assert severity(result, "link_ip_address") == "high"


def test_a_version_number_is_not_taken_for_an_ip_address(engine):
    assert not engine.check_text("Update to version 1.2.3.4 today.").has("link_ip_address")


def test_a_shortener_in_the_authoritys_name_is_flagged(engine):
    result = engine.check_text("Migri: check your case https://bit.ly/3abc", "sms", "+358401112222")
    assert severity(result, "link_shortener") == "medium"


def test_an_at_sign_disguise_is_flagged(engine):
    assert engine.check_text("https://migri.fi@evil.example/x").has("link_userinfo_trick")


def test_mixed_alphabets_in_an_unknown_domain_are_flagged(engine):
    assert engine.check_text("Visit https://pаypal.example").has("link_mixed_script")


def test_official_links_are_fine_and_not_indicators(engine):
    result = engine.check_text("Sign in at https://enterfinland.fi and read migri.fi/en.")
    assert result.verdict == "unverified"
    assert result.indicators["domains"] == []
    assert result.has("links_official")


def test_third_party_links_are_not_suspicious_by_themselves(engine):
    result = engine.check_email(email("News: https://yle.fi/a/1 and https://migri.fi/en"))
    assert result.verdict == "unverified"


def test_the_authoritys_official_social_accounts_count_as_official(engine):
    raw = email("Follow us: https://www.youtube.com/@MigriFinland", sender="noreply@migri.fi")
    assert not engine.check_email(raw).has("link_not_official")


def test_a_lookalike_email_address_in_the_text_is_flagged(engine):
    result = engine.check_text("Send the documents to case@migri-fi.com")
    assert result.has("email_address_lookalike")
    assert "case@migri-fi.com" in result.indicators["email_addresses"]


def test_a_private_phone_number_in_the_authoritys_name_is_flagged(engine):
    result = engine.check_text(
        "This is Migri. Call our agent on +44 7700 900123.", "sms", "+447700900123"
    )
    assert result.has("contact_phone_not_official")
    assert "+447700900123" in result.indicators["phone_numbers"]


def test_a_form_in_an_email_is_flagged(engine):
    raw = (
        b"From: x@y.example\r\nContent-Type: text/html\r\n\r\n"
        b'<form action="https://collect.example/p"><input name="card"></form>'
    )
    assert severity(engine.check_email(raw), "html_form") == "high"


def test_an_empty_or_separator_only_sender_is_not_an_official_social_account(engine):
    from trust.engine.analyzers.claims import official_social_account

    assert not official_social_account("", engine.config)
    assert not official_social_account("  @ ( ) ", engine.config)
    assert official_social_account("@MigriFinland", engine.config)

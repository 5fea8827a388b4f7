"""Email senders: impersonation from other domains, Reply-To and Return-Path elsewhere."""

from __future__ import annotations

from .helpers import email, severity


def test_the_authoritys_name_on_a_free_mail_address_is_impersonation(engine):
    result = engine.check_email(email("Hello.", sender="Migri <migri.service@gmail.com>"))
    finding = next(f for f in result.findings if f.code == "sender_impersonation")
    assert finding.evidence["free_mail"] == "yes"
    assert result.verdict == "scam"


def test_an_inflected_name_in_the_display_name_counts(engine):
    sender = "Maahanmuuttoviraston asiakaspalvelu <palvelu@example.net>"
    assert engine.check_email(email("Hei.", sender=sender)).has("sender_impersonation")


def test_a_lookalike_sender_domain_is_flagged(engine):
    result = engine.check_email(email("Hello.", sender="Info <info@migri-fi.com>"))
    assert severity(result, "sender_domain_lookalike") == "high"


def test_a_namesake_on_its_own_domain_is_not_impersonation(engine):
    result = engine.check_email(
        email("Påminnelse.", sender="Migrationsverket <noreply@migrationsverket.se>")
    )
    assert not result.has("sender_impersonation")


def test_an_official_sender_is_noted_but_not_proof(engine):
    result = engine.check_email(email("Hello.", sender="Migri <noreply@migri.fi>"))
    assert result.has("from_official_domain")
    assert result.verdict == "unverified"


def test_a_spoofed_official_sender_with_reply_to_elsewhere_is_a_scam(engine):
    raw = email(
        "Hello.", sender="Migri <noreply@migri.fi>", headers="Reply-To: help@evil.example\r\n"
    )
    result = engine.check_email(raw)
    assert severity(result, "reply_to_elsewhere") == "high"
    assert result.verdict in ("scam", "suspicious")


def test_an_unrelated_reply_to_is_only_a_small_sign(engine):
    raw = email("Hi.", headers="Reply-To: team@other.example\r\n")
    result = engine.check_email(raw)
    assert severity(result, "reply_to_elsewhere") == "low"
    assert result.verdict == "unverified"


def test_a_return_path_elsewhere_for_an_official_sender_is_noted(engine):
    raw = email("Hello.", sender="noreply@migri.fi", headers="Return-Path: <b@bulk.example>\r\n")
    assert severity(engine.check_email(raw), "return_path_elsewhere") == "medium"

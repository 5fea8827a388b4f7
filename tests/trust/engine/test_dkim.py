"""DKIM: every signature verified through a real DNS server on loopback; DMARC alignment."""

from __future__ import annotations

import base64
import time

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

MESSAGE = (
    b"From: Finnish Immigration Service <noreply@migri.fi>\r\n"
    b"To: applicant@example.com\r\n"
    b"Subject: New information in the e-service\r\n"
    b"Date: Mon, 19 May 2025 08:30:00 +0300\r\n"
    b"Message-ID: <1@migri.fi>\r\n"
    b"\r\n"
    b"You have new information in the e-service. Type enterfinland.fi yourself to sign in.\r\n"
)


def _key_pair() -> tuple[bytes, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode("ascii")


@pytest.fixture(scope="module")
def keys():
    return {"migri": _key_pair(), "relay": _key_pair()}


def _sign(message: bytes, domain: str, private: bytes, selector: str = "s1") -> bytes:
    signature = dkim.sign(
        message,
        selector.encode(),
        domain.encode(),
        private,
        include_headers=[b"from", b"to", b"subject", b"date", b"message-id"],
    )
    return signature + message


def _engine(make_engine, port: int, timeout: float = 2.0):
    return make_engine(
        dns_enabled=True, dns_nameservers=(("127.0.0.1", port),), dns_timeout=timeout
    )


def test_a_valid_signature_of_the_official_domain_makes_the_email_genuine(
    make_engine, dns_server, keys
):
    private, record = keys["migri"]
    dns_server.records["s1._domainkey.migri.fi"] = record
    result = _engine(make_engine, dns_server.port).check_email(_sign(MESSAGE, "migri.fi", private))
    assert result.verdict == "genuine"
    assert "dkim_valid_official" in result.codes()


def test_the_long_key_record_is_served_in_several_strings(dns_server, keys):
    assert len(keys["migri"][1]) > 255  # the record above really needed splitting


def test_one_changed_byte_breaks_the_signature(make_engine, dns_server, keys):
    private, record = keys["migri"]
    dns_server.records["s1._domainkey.migri.fi"] = record
    signed = _sign(MESSAGE, "migri.fi", private)
    altered = signed.replace(b"yourself to sign in", b"yourself to sign on")
    result = _engine(make_engine, dns_server.port).check_email(altered)
    assert result.verdict != "genuine"
    invalid = [f for f in result.findings if f.code == "dkim_invalid"]
    assert invalid and invalid[0].severity == "high"


def test_every_signature_is_verified_not_only_the_topmost(make_engine, dns_server, keys):
    migri_private, migri_record = keys["migri"]
    relay_private, relay_record = keys["relay"]
    dns_server.records["s1._domainkey.migri.fi"] = migri_record
    dns_server.records["s2._domainkey.relay.example"] = relay_record
    inner = _sign(MESSAGE, "migri.fi", migri_private)
    outer = _sign(inner, "relay.example", relay_private, selector="s2")
    result = _engine(make_engine, dns_server.port).check_email(outer)
    codes = result.codes()
    assert "dkim_valid_not_aligned" in codes  # the relay's outer signature, checked too
    assert "dkim_valid_official" in codes
    assert result.verdict == "genuine"


def test_an_outer_signature_that_fails_is_reported_even_when_the_inner_one_holds(
    make_engine, dns_server, keys
):
    migri_private, migri_record = keys["migri"]
    relay_private, _ = keys["relay"]
    dns_server.records["s1._domainkey.migri.fi"] = migri_record
    dns_server.records["s2._domainkey.relay.example"] = keys["migri"][1]  # the wrong key
    outer = _sign(_sign(MESSAGE, "migri.fi", migri_private), "relay.example", relay_private, "s2")
    result = _engine(make_engine, dns_server.port).check_email(outer)
    domains = {f.evidence.get("domain") for f in result.findings if f.code == "dkim_invalid"}
    assert domains == {"relay.example"}


def test_a_signature_of_another_domain_proves_nothing(make_engine, dns_server, keys):
    private, record = keys["relay"]
    dns_server.records["s1._domainkey.relay.example"] = record
    result = _engine(make_engine, dns_server.port).check_email(
        _sign(MESSAGE, "relay.example", private)
    )
    assert result.verdict != "genuine"
    assert "dkim_valid_not_aligned" in result.codes()


def test_relaxed_alignment_accepts_a_subdomain_signer_but_strict_does_not(
    make_engine, dns_server, keys
):
    private, record = keys["migri"]
    dns_server.records["s1._domainkey.mail.migri.fi"] = record
    signed = _sign(MESSAGE, "mail.migri.fi", private)
    engine = _engine(make_engine, dns_server.port)
    assert engine.check_email(signed).verdict == "genuine"
    dns_server.records["_dmarc.migri.fi"] = "v=DMARC1; p=reject; adkim=s"
    strict = _engine(make_engine, dns_server.port).check_email(signed)  # a fresh DNS cache
    assert strict.verdict != "genuine"
    assert "dkim_valid_not_aligned" in strict.codes()


def test_a_missing_key_makes_the_signature_invalid(make_engine, dns_server, keys):
    private, _ = keys["migri"]
    result = _engine(make_engine, dns_server.port).check_email(_sign(MESSAGE, "migri.fi", private))
    assert "dkim_invalid" in result.codes()
    assert result.verdict != "genuine"


def test_a_dns_server_that_never_answers_gives_unverifiable_quickly(make_engine, silent_dns, keys):
    private, _ = keys["migri"]
    engine = _engine(make_engine, silent_dns, timeout=0.3)
    started = time.monotonic()
    result = engine.check_email(_sign(MESSAGE, "migri.fi", private))
    assert time.monotonic() - started < 2.0
    assert "dkim_unverifiable" in result.codes()
    assert result.verdict == "unverified"


def test_with_dns_off_signatures_are_noted_but_not_checked(engine, keys):
    private, _ = keys["migri"]
    result = engine.check_email(_sign(MESSAGE, "migri.fi", private))
    assert "dkim_not_checked" in result.codes()
    assert result.verdict == "unverified"


def test_a_body_length_limited_signature_is_not_proof(make_engine, dns_server, keys):
    private, record = keys["migri"]
    dns_server.records["s1._domainkey.migri.fi"] = record
    signature = dkim.sign(MESSAGE, b"s1", b"migri.fi", private, length=True)
    appended = signature + MESSAGE + b"Click https://migri-fi.com now\r\n"
    result = _engine(make_engine, dns_server.port).check_email(appended)
    assert result.verdict != "genuine"

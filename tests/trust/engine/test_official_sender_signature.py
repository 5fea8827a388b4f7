"""Official senders sign: an email is genuine only with our valid DKIM signature over the whole body
and the From header; an official From without it is never genuine, and a scam with foreign content."""

from __future__ import annotations

import base64
import hashlib

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .helpers import email

NOTIFICATION = (
    "You have new information in the e-service. Type enterfinland.fi yourself and sign in.\n"
    "Verification code: 7K3M-Q9TX-2HDA"
)
OFFICIAL = "Finnish Immigration Service <noreply@migri.fi>"


@pytest.fixture(scope="module")
def key():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    public = private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return pem, "v=DKIM1; k=rsa; p=" + base64.b64encode(public).decode("ascii")


@pytest.fixture
def dns_engine(make_engine, dns_server, key):
    dns_server.records["s1._domainkey.migri.fi"] = key[1]
    return make_engine(dns_enabled=True, dns_nameservers=(("127.0.0.1", dns_server.port),))


def _signed(message: bytes, pem: bytes, headers=(b"from", b"to", b"subject")) -> bytes:
    return dkim.sign(message, b"s1", b"migri.fi", pem, include_headers=list(headers)) + message


def _signed_without_from(message: bytes, pem: bytes) -> bytes:
    """A valid signature whose h= leaves From out: dkim.sign refuses to make one, a forger not."""
    signer = dkim.DKIM(message)
    canonical = dkim.CanonicalizationPolicy.from_c_value(b"relaxed/simple")
    body_hash = base64.b64encode(hashlib.sha256(canonical.canonicalize_body(signer.body)).digest())
    include = (b"to", b"subject")
    fields = [
        (b"v", b"1"), (b"a", b"rsa-sha256"), (b"c", canonical.to_c_value()), (b"d", b"migri.fi"),
        (b"s", b"s1"), (b"h", b" : ".join(include)), (b"bh", body_hash), (b"b", b"0" * 60),
    ]  # fmt: skip
    signer.hasher = hashlib.sha256
    header = signer.gen_header(
        fields, include, canonical, b"DKIM-Signature", dkim.parse_pem_private_key(pem)
    )
    return b"DKIM-Signature: " + header + message


def test_our_signed_notification_is_genuine(dns_engine, key):
    result = dns_engine.check_email(_signed(email(NOTIFICATION, sender=OFFICIAL), key[0]))
    assert result.verdict == "genuine"
    assert result.has("dkim_valid_official")


def test_a_signature_that_leaves_the_from_header_out_proves_nothing(dns_engine, key):
    # dkimpy verifies such a signature (it requires From only when signing): we must not.
    message = email(NOTIFICATION, sender=OFFICIAL)
    signed = _signed_without_from(message, key[0])
    assert dkim.verify(signed, dnsfunc=lambda name, timeout=5: key[1].encode())
    result = dns_engine.check_email(signed)
    assert result.verdict != "genuine"
    assert not result.has("dkim_valid_official")


def test_a_second_from_header_above_the_signed_one_proves_nothing(dns_engine, key):
    signed = _signed(email(NOTIFICATION, sender=OFFICIAL), key[0])
    extra = b"From: Migri <noreply@migri.fi>\r\n"
    result = dns_engine.check_email(extra + signed)
    assert result.verdict != "genuine"


@pytest.mark.parametrize(
    "addition",
    [
        "Confirm your details at https://migri-permits.example/confirm",
        "Read it at https://bit.ly/3abc",
        "Send us your passport number and date of birth by reply.",
        "Pay the processing fee of 45 euros to account FI21 1234 5600 0007 85.",
    ],
)
def test_an_unsigned_official_sender_with_foreign_content_is_a_scam(engine, addition):
    result = engine.check_email(email(f"{NOTIFICATION}\n{addition}", sender=OFFICIAL))
    assert result.verdict == "scam", result.codes()
    assert result.has("official_sender_unsigned")


def test_an_unsigned_official_notification_without_foreign_content_stays_unverified(engine):
    result = engine.check_email(email(NOTIFICATION, sender=OFFICIAL))
    assert result.verdict == "unverified"
    assert not result.has("official_sender_unsigned")


def test_a_signed_official_message_whose_body_was_altered_is_not_genuine(dns_engine, key):
    signed = _signed(email(NOTIFICATION, sender=OFFICIAL), key[0])
    altered = signed.replace(b"sign in.", b"sign in at https://migri-login.example/.")
    result = dns_engine.check_email(altered)
    assert result.verdict == "scam"
    assert result.has("official_sender_unsigned")


def test_an_unchecked_official_signature_is_not_called_forged(make_engine, key):
    # DNS off: the signature is there but unchecked; the rule cannot claim the mail is unsigned.
    engine = make_engine(dns_enabled=False)
    signed = _signed(email(f"{NOTIFICATION}\nhttps://example.org/x", sender=OFFICIAL), key[0])
    result = engine.check_email(signed)
    assert not result.has("official_sender_unsigned")
    assert result.verdict != "genuine"


def test_a_signature_over_part_of_the_body_does_not_cover_what_was_appended(dns_engine, key):
    message = email(NOTIFICATION, sender=OFFICIAL)
    signed = (
        dkim.sign(message, b"s1", b"migri.fi", key[0], include_headers=[b"from"], length=True)
        + message
    )
    appended = signed + b"Pay the 49 EUR fee now at https://migri-fee.example/pay\r\n"
    result = dns_engine.check_email(appended)
    assert not result.has("dkim_valid_official")
    assert result.verdict == "scam"
    assert result.has("official_sender_unsigned")


def test_our_unsigned_warning_that_names_the_lures_is_not_called_forged(engine):
    # A warning names the very data scammers ask for; the content analyzer plays those words
    # down, so they are no request that our own mail would never make.
    warning = (
        "Det har skickats bluffmeddelanden i vårt namn. Våra kunder har ombetts uppge till "
        "exempel sin födelsetid, passets nummer och sitt civilstånd samt skicka sina kontoutdrag "
        "och lönespecifikationer.\n\nVi ber aldrig dig lämna personuppgifter via e-post. Om du "
        "har fått ett bluffmeddelande: svara inte och klicka inte på länkarna.\n\n"
        "Läs mer: https://migri.fi/sv/anvand-e-tjansterna-tryggt"
    )
    result = engine.check_email(email(warning, sender=OFFICIAL, subject="Beware of scams"))
    assert not result.has("official_sender_unsigned")
    assert result.verdict == "unverified"

"""A real code the platform sent to an attacker's own address, in a message of the attacker's
making, never makes the check page or the API answer "genuine"; only the address the person types
does, and for an email file only our DKIM signature."""

from __future__ import annotations

import base64
import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.trust.engine.conftest import LoopbackDns

from .attack_material import ATTACKER, VICTIM, attacker_messages, code_sent_to_the_attacker

pytestmark = pytest.mark.django_db

MESSAGES = ["scam_text", "copied_notification_text", "forged_eml_scam", "forged_eml_copied_notification"]  # fmt: skip
SCAMS = {"scam_text", "forged_eml_scam"}


@pytest.fixture
def attacker_code(client, django_capture_on_commit_callbacks):
    return code_sent_to_the_attacker(client, django_capture_on_commit_callbacks)


def _page(client, kind: str, content: bytes, channel: str = "email", recipient: str = ""):
    if kind == "eml":
        data = {
            "mode": "eml",
            "eml-eml": SimpleUploadedFile("message.eml", content),
            "eml-recipient": recipient,
        }
    else:
        data = {
            "mode": "text",
            "text-text": content.decode(),
            "text-channel": channel,
            "text-sender": "Migri" if channel == "sms" else "noreply@migri.fi",
            "text-recipient": recipient,
        }
    response = client.post("/trust/check/", data)
    assert response.status_code == 200
    return response.context["verdict"], [item["code"] for item in response.context["explanations"]]


def _api(client, kind: str, content: bytes, channel: str = "email", recipient: str = ""):
    if kind == "eml":
        payload = {"raw_email": base64.b64encode(content).decode()}
    else:
        payload = {"text": content.decode(), "channel": channel}
    if recipient:
        payload["recipient"] = recipient
    response = client.post("/api/v1/check", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    data = json.loads(response.content)
    return data["verdict"], [finding["code"] for finding in data["findings"]]


def _command(kind: str, content: bytes, channel: str, recipient: str, tmp_path):
    path = tmp_path / ("message.eml" if kind == "eml" else "message.txt")
    path.write_bytes(content)
    out = io.StringIO()
    arguments = [str(path), "--json", "--channel", channel]
    if recipient:
        arguments += ["--recipient", recipient]
    call_command("check_message", *arguments, stdout=out)
    data = json.loads(out.getvalue())
    return data["verdict"], [finding["code"] for finding in data["findings"]]


PATHS = {
    "page": lambda client, kind, content, channel, recipient, tmp_path: _page(
        client, kind, content, channel, recipient
    ),
    "api": lambda client, kind, content, channel, recipient, tmp_path: _api(
        client, kind, content, channel, recipient
    ),
    "check_message": lambda client, kind, content, channel, recipient, tmp_path: _command(
        kind, content, channel, recipient, tmp_path
    ),
}


# An email file has no channel to choose; pasted text comes by email or SMS.
MESSAGE_CHANNELS = [
    (message, channel)
    for message in MESSAGES
    for channel in (("email",) if "eml" in message else ("email", "sms"))
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("message", "channel"), MESSAGE_CHANNELS)
@pytest.mark.parametrize("recipient", ["", VICTIM], ids=["no-recipient", "victim-typed"])
def test_the_attackers_own_code_in_the_attackers_message_is_not_genuine(
    client, attacker_code, tmp_path, path, message, channel, recipient
):
    kind, content = attacker_messages(attacker_code)[message]
    verdict, codes = PATHS[path](client, kind, content, channel, recipient, tmp_path)
    assert verdict != "genuine", codes
    assert "verification_code_valid" not in codes
    if message in SCAMS:
        assert verdict in ("scam", "suspicious"), codes
    if message == "forged_eml_scam":
        assert verdict == "scam" and "official_sender_unsigned" in codes
    if recipient == VICTIM:
        assert "verification_code_other_recipient" in codes
    else:
        assert "verification_code_ours_unconfirmed" in codes


def test_without_a_typed_address_the_answer_says_how_to_verify(client, attacker_code):
    response = client.post(
        "/trust/check/",
        {
            "mode": "text",
            "text-text": attacker_code.notification_text,
            "text-channel": "email",
            "text-sender": "noreply@migri.fi",
        },
    )
    html = response.content.decode()
    assert response.context["verdict"] == "unverified"
    assert 'href="/trust/verify/"' in html
    assert "anyone can copy their own code" in html


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("channel", ["email", "sms"])
def test_our_unaltered_notification_with_its_real_recipient_typed_is_genuine(
    client, attacker_code, tmp_path, path, channel
):
    # The same code, checked by the person it was really sent to, in our own unchanged text.
    content = attacker_code.notification_text.encode()
    verdict, codes = PATHS[path](client, "text", content, channel, ATTACKER.upper(), tmp_path)
    assert verdict == "genuine", codes
    assert "verification_code_valid" in codes


def test_a_confirmed_code_does_not_make_an_unsigned_email_file_genuine(client, attacker_code):
    kind, content = attacker_messages(attacker_code)["forged_eml_copied_notification"]
    verdict, codes = _page(client, kind, content, recipient=ATTACKER)
    assert verdict == "unverified"
    assert "verification_code_confirmed_email" in codes


def test_2000_code_like_tokens_cost_a_constant_number_of_queries(
    client, attacker_code, django_assert_max_num_queries
):
    from core.models import RateLimitCounter

    tokens = " ".join(f"code 7K3M-Q9TX-{index:04d};" for index in range(2000))
    text = f"Verification codes: {attacker_code.code} {tokens}"
    assert len(text) > 40_000
    before = RateLimitCounter.objects.count()
    with django_assert_max_num_queries(25):
        verdict, codes = _api(client, "text", text.encode(), "sms", ATTACKER)
    assert verdict in ("suspicious", "scam")
    assert "verification_codes_too_many" in codes
    assert RateLimitCounter.objects.count() - before <= 3


@pytest.fixture
def published_dkim_key(tmp_path, settings):
    """The platform signs its mail with a key generated now; a DNS server on loopback publishes
    the record `manage.py dkim_dns_record` prints; the check asks that server."""
    from notifications import dkim as permitsafe_dkim

    key = tmp_path / "dkim.pem"
    permitsafe_dkim.generate_private_key(key)
    settings.DKIM_PRIVATE_KEY_FILE = str(key)
    settings.DKIM_SELECTOR = "test2026"
    output = io.StringIO()
    call_command("dkim_dns_record", stdout=output)
    line = output.getvalue().strip()
    server = LoopbackDns()
    server.records[line.split()[0].rstrip(".").lower()] = "".join(re.findall(r'"([^"]*)"', line))
    server.start()
    settings.TRUST_DNS_ENABLED = True
    settings.TRUST_DNS_NAMESERVERS = [("127.0.0.1", server.port)]
    yield server
    server.stop()


@pytest.mark.parametrize("recipient", ["", ATTACKER])
def test_our_signed_notification_file_is_genuine(
    client, smtp_server, published_dkim_key, settings, django_capture_on_commit_callbacks, recipient
):
    settings.EMAIL_BACKEND = "notifications.dkim.DKIMSigningSMTPBackend"
    raw = code_sent_to_the_attacker(client, django_capture_on_commit_callbacks, smtp_server).raw
    assert b"DKIM-Signature" in raw
    verdict, codes = _page(client, "eml", raw, recipient=recipient)
    assert verdict == "genuine", codes
    assert "dkim_valid_official" in codes
    tampered = raw.replace(b"ignore this message", b"pay at https://migri-pay.example", 1)
    verdict, codes = _page(client, "eml", tampered, recipient=recipient)
    assert verdict == "scam", codes


def test_the_check_page_asks_for_the_address_the_message_came_to(client):
    html = client.get("/trust/check/").content.decode()
    assert 'name="text-recipient"' in html and 'name="eml-recipient"' in html
    assert 'name="url-recipient"' not in html

"""Reports with a real code sent to an attacker's own address, in a message of the attacker's
making, are never stored as "genuine": not through the report page, not through the check page's
report button, not through mail forwarded to the inbound SMTP receiver (whose forwarder's own
address is never taken as the message's recipient)."""

from __future__ import annotations

import email
import email.policy
import smtplib
from email.message import EmailMessage

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from trust.models import ScamReport

from ..web.attack_material import ATTACKER, VICTIM, attacker_messages, code_sent_to_the_attacker
from .conftest import REPORT_ADDRESS

pytestmark = pytest.mark.django_db


@pytest.fixture
def attacker_code(client, django_capture_on_commit_callbacks):
    return code_sent_to_the_attacker(client, django_capture_on_commit_callbacks)


def _report(client, kind: str, content: bytes, recipient: str = ""):
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
            "text-channel": "sms",
            "text-sender": "Migri",
            "text-recipient": recipient,
        }
    response = client.post("/trust/report/", data)
    assert response.status_code == 302
    return ScamReport.objects.order_by("-id").first()


@pytest.mark.parametrize(
    "message",
    ["scam_text", "copied_notification_text", "forged_eml_scam", "forged_eml_copied_notification"],
)
@pytest.mark.parametrize("recipient", ["", VICTIM], ids=["no-recipient", "victim-typed"])
def test_a_report_of_the_attackers_message_is_not_genuine(
    client, attacker_code, message, recipient
):
    kind, content = attacker_messages(attacker_code)[message]
    report = _report(client, kind, content, recipient)
    assert report.verdict != "genuine", report.finding_codes
    assert "verification_code_valid" not in report.finding_codes


def test_the_reporters_typed_address_is_used_for_the_check_and_is_no_indicator(
    client, attacker_code
):
    text = f"{attacker_code.notification_text}\nForwarded by {VICTIM}"
    report = _report(client, "text", text.encode(), recipient=VICTIM)
    assert "verification_code_other_recipient" in report.finding_codes
    assert VICTIM not in report.indicators["email_addresses"]


def test_the_check_pages_report_button_carries_the_typed_address(client, attacker_code):
    kind, content = attacker_messages(attacker_code)["copied_notification_text"]
    page = client.post(
        "/trust/check/",
        {"mode": "text", "text-text": content.decode(), "text-channel": "sms",
         "text-recipient": VICTIM},
    )  # fmt: skip
    assert f'name="text-recipient" value="{VICTIM}"' in page.content.decode()


def _forwarded_by_the_attacker(original: bytes) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Attacker <{ATTACKER}>"
    message["To"] = REPORT_ADDRESS
    message["Subject"] = "Fwd: Your residence permit"
    message.set_content("Is this real?")
    message.add_attachment(email.message_from_bytes(original, policy=email.policy.default))
    return message


@pytest.mark.django_db(transaction=True)  # the receiver stores reports from a thread of its own
@pytest.mark.parametrize("message", ["forged_eml_scam", "forged_eml_copied_notification"])
def test_mail_forwarded_to_the_receiver_is_not_genuine(report_server, attacker_code, message):
    # The forwarder writes From: with the very address the code was sent to: it is not typed by
    # a person about the message, so it vouches for nothing.
    _kind, content = attacker_messages(attacker_code)[message]
    with smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as smtp:
        smtp.send_message(_forwarded_by_the_attacker(content))
    report = ScamReport.objects.get()
    assert report.source == "email" and report.content_kind == "eml"
    assert report.verdict != "genuine", report.finding_codes
    assert "verification_code_ours_unconfirmed" in report.finding_codes

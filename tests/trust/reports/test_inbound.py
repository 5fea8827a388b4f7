import email
import email.policy
import smtplib
from email.message import EmailMessage

import pytest

from trust.inbound import forwarded_original
from trust.models import ScamReport
from trust.services import scam_report_content, scam_report_reporter_address

from ..web.helpers import SCAM_TEXT, small_eml
from .conftest import REPORT_ADDRESS, running_report_server


def _forward(
    original: bytes, *, attach: bool = True, base64_attachment: bool = False
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "Reporter <reporter@example.org>"
    message["To"] = REPORT_ADDRESS
    message["Subject"] = "Fwd: Your residence permit"
    message.set_content("I got this, is it real?")
    if attach and base64_attachment:
        # Some mail programs forward the original base64-encoded, against RFC 2046.
        message.add_attachment(original, maintype="message", subtype="rfc822")
    elif attach:
        message.add_attachment(email.message_from_bytes(original, policy=email.policy.default))
    return message


def test_the_forwarded_original_is_the_attached_message():
    kind, content = forwarded_original(bytes(_forward(small_eml())))
    assert kind == "eml"
    assert b"From: Migri <info@migri-fi.com>" in content and b"passport number" in content


def test_a_base64_encoded_forwarded_message_is_decoded():
    kind, content = forwarded_original(bytes(_forward(small_eml(), base64_attachment=True)))
    assert kind == "eml"
    assert content.startswith(b"From: Migri <info@migri-fi.com>")


def test_without_an_attachment_the_body_is_the_report():
    message = _forward(b"", attach=False)
    kind, content = forwarded_original(bytes(message))
    assert kind == "text" and b"is it real?" in content


def test_a_forwarded_text_in_an_unknown_charset_is_still_read():
    raw = (
        b"From: reporter@example.org\r\nTo: report@migri.fi\r\nSubject: Fwd: permit\r\n"
        b"Content-Type: text/plain; charset=x-unknown-8bit\r\n\r\n"
        b"Pay the fee at migri-fi.com today \xe4\r\n"
    )
    kind, content = forwarded_original(raw)
    assert kind == "text" and b"migri-fi.com" in content


@pytest.mark.django_db(transaction=True)
def test_mail_forwarded_over_smtp_becomes_a_report_in_a_campaign(report_server, client):
    client.post("/trust/report/", {"mode": "text", "text-text": SCAM_TEXT, "text-channel": "email"})
    with smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as smtp:
        smtp.send_message(_forward(small_eml()))
    reports = list(ScamReport.objects.order_by("id"))
    assert len(reports) == 2
    forwarded = reports[1]
    assert forwarded.source == "email" and forwarded.content_kind == "eml"
    assert b"passport number" in scam_report_content(forwarded)
    assert scam_report_reporter_address(forwarded) == "reporter@example.org"
    assert "reporter@example.org" not in forwarded.indicators["email_addresses"]
    assert forwarded.campaign_id is not None and forwarded.campaign_id == reports[0].campaign_id


@pytest.mark.django_db(transaction=True)
def test_mail_for_any_other_address_is_refused(report_server):
    with (
        smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        smtp.sendmail("x@example.org", ["someone@migri.fi"], bytes(_forward(small_eml())))
    assert ScamReport.objects.count() == 0


def _plain_forward(number: int) -> bytes:
    message = _forward(b"", attach=False)
    message.replace_header("Subject", f"Fwd: permit {number}")
    return bytes(message)


def _send_many(smtp, count: int) -> list[int]:
    """Send `count` messages on one connection; the reply code of each MAIL FROM."""
    smtp.ehlo_or_helo_if_needed()
    codes = []
    for number in range(count):
        code, _reply = smtp.mail("reporter@example.org")
        codes.append(code)
        if code != 250:
            break
        smtp.rcpt(REPORT_ADDRESS)
        smtp.data(_plain_forward(number))
    return codes


@pytest.mark.django_db(transaction=True)
def test_one_connection_delivers_at_most_the_limit_then_gets_421_and_is_closed(
    report_server, settings
):
    settings.RATE_LIMITS = {"trust.inbound.client": (1000, 3600)}
    limit = report_server.handler.messages_per_connection
    assert limit == 10
    smtp = smtplib.SMTP("127.0.0.1", report_server.port, timeout=10)
    codes = _send_many(smtp, limit + 1)
    assert codes == [250] * limit + [421]
    assert ScamReport.objects.count() == limit
    with pytest.raises(smtplib.SMTPServerDisconnected):
        smtp.noop()
    # A new connection may send again.
    with smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as again:
        again.send_message(_forward(small_eml()))
    assert ScamReport.objects.count() == limit + 1


@pytest.mark.django_db(transaction=True)
def test_the_messages_per_connection_are_configurable(settings):
    settings.TRUST_INBOUND_MESSAGES_PER_CONNECTION = 2
    settings.RATE_LIMITS = {"trust.inbound.client": (1000, 3600)}
    with (
        running_report_server(settings) as controller,
        smtplib.SMTP("127.0.0.1", controller.port, timeout=10) as smtp,
    ):
        assert _send_many(smtp, 3) == [250, 250, 421]
    assert ScamReport.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_client_address_past_its_limit_gets_a_clear_421_across_connections(
    report_server, settings
):
    settings.RATE_LIMITS = {"trust.inbound.client": (3, 3600)}
    for _ in range(3):
        with smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as smtp:
            smtp.send_message(_forward(small_eml()))
    smtp = smtplib.SMTP("127.0.0.1", report_server.port, timeout=10)
    smtp.ehlo()
    code, reply = smtp.mail("reporter@example.org")
    assert code == 421
    assert b"Too many messages from your address" in reply and b"try again in" in reply
    with pytest.raises(smtplib.SMTPServerDisconnected):
        smtp.noop()
    assert ScamReport.objects.count() == 3


INLINE_FORWARD = """Is this real?

Best regards,
Maija Meikäläinen
Tel. +358 40 765 4321

---------- Forwarded message ---------
From: Migri <info@migri-fi.com>
Date: Mon, 2 Nov 2026 at 10.00
Subject: Your residence permit
To: Maija <maija.meikalainen@example.fi>

Maahanmuuttovirasto: send your passport number and date of birth within 24 hours
or your residence permit is cancelled. Call +358 44 987 6543 or log in at https://migri-fi.com/login
"""


@pytest.mark.django_db(transaction=True)
def test_a_forward_typed_inline_keeps_only_the_scammers_indicators(report_server, settings):
    settings.RATE_LIMITS = {"trust.inbound.client": (1000, 3600)}
    message = EmailMessage()
    message["From"] = "Maija <maija.meikalainen@example.fi>"
    message["To"] = REPORT_ADDRESS
    message["Subject"] = "Fwd: Your residence permit"
    message.set_content(INLINE_FORWARD)
    with smtplib.SMTP("127.0.0.1", report_server.port, timeout=10) as smtp:
        smtp.send_message(message)
    report = ScamReport.objects.get()
    assert report.content_kind == "text"
    values = set(report.indicator_rows.values_list("value", flat=True))
    values |= set(report.indicators["email_addresses"]) | set(report.indicators["phone_numbers"])
    assert "maija.meikalainen@example.fi" not in values and "+358407654321" not in values
    assert {"info@migri-fi.com", "+358449876543", "migri-fi.com"} <= values
    assert len(report.personal_digests) == 2

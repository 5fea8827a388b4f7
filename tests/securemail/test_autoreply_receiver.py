"""The plain-email receiver over real SMTP on loopback: one reply a day per sender, DKIM-signed, in
the sender's language, without a link or anything of the message; no reply to automatic mail, to
ourselves or past the flood limits; a huge message refused while it arrives; nothing stored."""

from __future__ import annotations

import email.policy
import logging
import smtplib
import socket
import tracemalloc
from email.message import EmailMessage

import dkim
import pytest
from django.db import connection

from core.authority import authority
from notifications import dkim as permitsafe_dkim
from notifications.models import OutboundEmail, OutboundEmailStatus
from securemail.access import official_address
from securemail.autoreply import NOTIFICATION_KIND
from tests.notifications.test_case_notifications import LINK_MARKERS

from .conftest import PUBLIC_ADDRESS, running_plain_mail_server

pytestmark = pytest.mark.django_db(transaction=True)

SECRET_PHRASE = "Kalevala-passport-AB1234567-secret"


def _message(sender: str = "maija@example.org", *headers: tuple[str, str]) -> EmailMessage:
    message = EmailMessage()
    message["From"] = f"Maija <{sender}>"
    message["To"] = PUBLIC_ADDRESS
    message["Subject"] = f"My residence permit {SECRET_PHRASE}"
    message.set_content(f"Here is my passport number: {SECRET_PHRASE}\n")
    message.add_attachment(
        SECRET_PHRASE.encode() * 100,
        maintype="application",
        subtype="pdf",
        filename=f"{SECRET_PHRASE}.pdf",
    )
    for name, value in headers:  # after the content: set_content clears Content-* fields
        message[name] = value
    return message


def _raw(message: EmailMessage) -> bytes:
    return message.as_bytes(policy=email.policy.SMTP)


def _send(port: int, message: EmailMessage, envelope_sender: str | None = None) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message, from_addr=envelope_sender)


@pytest.fixture
def signing(settings, tmp_path):
    path = tmp_path / "dkim.pem"
    permitsafe_dkim.generate_private_key(path)
    settings.DKIM_PRIVATE_KEY_FILE = str(path)
    settings.EMAIL_BACKEND = "notifications.dkim.DKIMSigningSMTPBackend"


def _published_key(name, timeout=5):
    # The DNS answer for the selector: the record `manage.py dkim_dns_record` prints.
    return permitsafe_dkim.public_key_record_value().encode()


def test_plain_email_gets_one_signed_reply_in_the_senders_language_without_content_or_link(
    plain_mail_server, smtp_server, signing
):
    _send(plain_mail_server.port, _message("maija@example.org", ("Content-Language", "fi-FI")))
    [reply] = smtp_server.outbox
    assert reply.envelope_to == ["maija@example.org"]
    assert reply.envelope_from == authority().notification_sender
    message = reply.message
    assert message["From"] == authority().notification_sender
    assert message["Auto-Submitted"] == "auto-replied"
    assert message["Content-Language"] == "fi"
    assert dkim.verify(reply.raw, dnsfunc=_published_key)
    assert official_address() in reply.text
    assert "Hei," in reply.text and "Hello," not in reply.text
    raw_text = reply.raw.decode("utf-8", "replace").lower()
    assert SECRET_PHRASE.lower() not in raw_text and "residence permit" not in raw_text
    assert message["In-Reply-To"] is None and message["References"] is None
    for marker in LINK_MARKERS:
        assert marker not in reply.text.lower(), marker
    assert not message.is_multipart()  # plain text only: no HTML part to carry a link
    outbound = OutboundEmail.objects.get()
    assert outbound.kind == NOTIFICATION_KIND and outbound.status == OutboundEmailStatus.SENT


def test_a_sender_without_a_language_gets_finnish_swedish_and_english_in_one_reply(
    plain_mail_server, smtp_server
):
    _send(plain_mail_server.port, _message("anna@example.org"))
    [reply] = smtp_server.outbox
    assert reply.message["Content-Language"] == "fi, sv, en"
    assert all(greeting in reply.text for greeting in ("Hei,", "Hej,", "Hello,"))


def test_a_sender_is_answered_once_a_day(plain_mail_server, smtp_server):
    for _ in range(3):
        _send(plain_mail_server.port, _message("maija@example.org"))
    _send(plain_mail_server.port, _message("MAIJA@example.org"))
    _send(plain_mail_server.port, _message("maija+permits@example.org"))
    _send(plain_mail_server.port, _message("pekka@example.org"))
    assert [mail.envelope_to for mail in smtp_server.outbox] == [
        ["maija@example.org"],
        ["pekka@example.org"],
    ]


@pytest.mark.parametrize(
    "header",
    [("Auto-Submitted", "auto-replied"), ("Precedence", "bulk"), ("List-Id", "<a.example.org>")],
)
def test_automatic_mail_gets_no_reply(plain_mail_server, smtp_server, header):
    _send(plain_mail_server.port, _message("maija@example.org", header))
    assert smtp_server.outbox == []


def test_a_null_return_path_gets_no_reply(plain_mail_server, smtp_server):
    with smtplib.SMTP("127.0.0.1", plain_mail_server.port, timeout=10) as smtp:
        smtp.sendmail("<>", [PUBLIC_ADDRESS], _raw(_message("maija@example.org")))
    assert smtp_server.outbox == []


@pytest.mark.parametrize("sender", ["migri@migri.fi", "noreply@migri.fi", "mailer-daemon@a.org"])
def test_our_own_and_daemon_addresses_get_no_reply(plain_mail_server, smtp_server, sender):
    _send(plain_mail_server.port, _message(sender))
    assert smtp_server.outbox == []


def test_our_own_reply_sent_back_to_us_is_not_answered(plain_mail_server, smtp_server):
    _send(plain_mail_server.port, _message("maija@example.org"))
    [reply] = smtp_server.outbox
    smtp_server.clear()
    # A forwarding rule sends our reply back to the public address under the person's address.
    reply_message = reply.message
    del reply_message["To"]
    reply_message["To"] = PUBLIC_ADDRESS
    _send(plain_mail_server.port, reply_message, envelope_sender="pekka@example.org")
    assert smtp_server.outbox == []


def test_mail_for_any_other_address_is_refused(plain_mail_server, smtp_server):
    with (
        smtplib.SMTP("127.0.0.1", plain_mail_server.port, timeout=10) as smtp,
        pytest.raises(smtplib.SMTPRecipientsRefused),
    ):
        smtp.sendmail("maija@example.org", ["someone@migri.fi"], _raw(_message()))
    assert smtp_server.outbox == []


def _send_from_many_senders(port: int, count: int) -> None:
    for number in range(count):
        _send(port, _message(f"victim{number}@example.org"))


def test_one_client_cannot_make_us_write_to_many_third_parties(
    plain_mail_server, smtp_server, settings
):
    settings.SECUREMAIL_AUTOREPLY_CLIENT_REPLIES_PER_HOUR = 3
    _send_from_many_senders(plain_mail_server.port, 6)
    assert len(smtp_server.outbox) == 3


def test_the_hourly_cap_holds_for_all_clients_together(plain_mail_server, smtp_server, settings):
    settings.SECUREMAIL_AUTOREPLY_REPLIES_PER_HOUR = 2
    _send_from_many_senders(plain_mail_server.port, 4)
    assert len(smtp_server.outbox) == 2


def test_a_client_past_its_message_limit_gets_421_and_is_disconnected(
    plain_mail_server, smtp_server, settings
):
    settings.SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR = 2
    _send_from_many_senders(plain_mail_server.port, 2)
    smtp = smtplib.SMTP("127.0.0.1", plain_mail_server.port, timeout=10)
    smtp.ehlo()
    code, reply = smtp.mail("maija@example.org")
    assert code == 421 and b"Too many messages from your address" in reply
    with pytest.raises(smtplib.SMTPServerDisconnected):
        smtp.noop()
    assert len(smtp_server.outbox) == 2


def test_one_connection_carries_at_most_the_configured_messages(settings, smtp_server):
    settings.SECUREMAIL_AUTOREPLY_MESSAGES_PER_CONNECTION = 2
    with (
        running_plain_mail_server() as server,
        smtplib.SMTP("127.0.0.1", server.port, timeout=10) as smtp,
    ):
        smtp.ehlo()
        codes = []
        for number in range(3):
            code, _reply = smtp.mail(f"person{number}@example.org")
            codes.append(code)
            if code != 250:
                break
            smtp.rcpt(PUBLIC_ADDRESS)
            smtp.data(_raw(_message(f"person{number}@example.org")))
    assert codes == [250, 250, 421]
    assert len(smtp_server.outbox) == 2


def test_a_declared_size_over_the_limit_is_refused_before_any_data(settings, smtp_server):
    settings.SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES = 1024 * 1024
    with (
        running_plain_mail_server() as server,
        smtplib.SMTP("127.0.0.1", server.port, timeout=10) as smtp,
    ):
        smtp.ehlo()
        code, _reply = smtp.mail("maija@example.org", options=[f"SIZE={50 * 1024 * 1024}"])
    assert code == 552
    assert smtp_server.outbox == []


def _read_reply(replies) -> bytes:
    """One whole SMTP reply (a multi-line one ends with a line whose code is followed by a space)."""
    lines = [replies.readline()]
    while lines[-1][3:4] == b"-":
        lines.append(replies.readline())
    return b"".join(lines)


def test_a_huge_message_is_refused_while_it_arrives_without_being_held_in_memory(
    settings, smtp_server
):
    settings.SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES = 1024 * 1024
    total = 40 * 1024 * 1024
    line = b"A" * 998 + b"\r\n"
    chunk = line * 64  # 64 KB, sent again and again: the client holds no more than this
    with running_plain_mail_server() as server:
        tracemalloc.start()
        try:
            with (
                socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock,
                sock.makefile("rb") as replies,
            ):
                _read_reply(replies)
                for command in (b"EHLO client", b"MAIL FROM:<maija@example.org>"):
                    sock.sendall(command + b"\r\n")
                    _read_reply(replies)
                sock.sendall(f"RCPT TO:<{PUBLIC_ADDRESS}>\r\n".encode())
                assert _read_reply(replies).startswith(b"250")
                sock.sendall(b"DATA\r\n")
                assert _read_reply(replies).startswith(b"354")
                sock.sendall(b"From: maija@example.org\r\nSubject: big\r\n\r\n")
                for _ in range(total // len(chunk)):
                    sock.sendall(chunk)
                sock.sendall(b".\r\n")
                answer = _read_reply(replies)
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert answer.startswith(b"552"), answer
    # The limit (1 MB) plus the stream's buffers; the 40 MB never are in memory at once.
    assert peak < 8 * 1024 * 1024, peak
    assert smtp_server.outbox == []


def _database_text() -> str:
    """Every value of every table, as text (bytes decoded leniently)."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, bytes | memoryview):
                        value = bytes(value).decode("latin-1")
                    parts.append(str(value))
    return "\n".join(parts)


def test_nothing_of_the_message_is_stored_or_logged(
    plain_mail_server, smtp_server, caplog, tmp_path, settings
):
    caplog.set_level(logging.DEBUG)
    _send(plain_mail_server.port, _message("maija@example.org"))
    assert len(smtp_server.outbox) == 1
    assert "received and not opened: replied" in caplog.text  # the log was written, and searched
    stored = _database_text()
    assert "securemail.autoreply.sender" in stored  # the rate-limit rows were read
    for secret in (SECRET_PHRASE, "residence permit", "passport number", "maija@example.org"):
        assert secret not in stored, secret
        assert secret not in caplog.text, secret
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    for path in written:
        assert SECRET_PHRASE.encode() not in path.read_bytes(), path

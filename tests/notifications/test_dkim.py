"""DKIM: a notification sent through the real SMTP server on loopback verifies with dkimpy against
the published key, served by a DNS server on loopback; one changed byte fails the check."""

from __future__ import annotations

import io
import re
import socket

import dkim
import dns.resolver
import pytest
from django.core.management import call_command
from dnslib import QTYPE, RR, TXT
from dnslib.server import BaseResolver, DNSServer

from notifications import dkim as permitsafe_dkim
from notifications.case_notifications import render_email
from notifications.services import email_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def dkim_key(tmp_path, settings):
    path = tmp_path / "dkim.pem"
    permitsafe_dkim.generate_private_key(path)
    settings.DKIM_PRIVATE_KEY_FILE = str(path)
    settings.DKIM_SELECTOR = "test2026"
    return path


class _PublishedKey(BaseResolver):
    """Answers TXT queries for the DKIM record with the command's own output."""

    def __init__(self, name: str, strings: list[str]):
        self.name = name.rstrip(".") + "."
        self.strings = strings

    def resolve(self, request, handler):
        reply = request.reply()
        question = request.q
        if str(question.qname).lower() == self.name and question.qtype == QTYPE.TXT:
            reply.add_answer(
                RR(question.qname, QTYPE.TXT, rdata=TXT([s.encode() for s in self.strings]))
            )
        return reply


def _free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _published_record() -> tuple[str, list[str]]:
    """Parse what `manage.py dkim_dns_record` prints, as an operator would publish it."""
    output = io.StringIO()
    call_command("dkim_dns_record", stdout=output)
    line = output.getvalue().strip()
    name = line.split()[0]
    return name, re.findall(r'"([^"]*)"', line)


@pytest.fixture
def dns_server(dkim_key):
    name, strings = _published_record()
    port = _free_udp_port()
    server = DNSServer(_PublishedKey(name, strings), port=port, address="127.0.0.1")
    server.start_thread()
    yield port
    server.stop()


def _dnsfunc(port: int):
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port

    def lookup(name, timeout=5):
        qname = name.decode() if isinstance(name, bytes) else name
        answer = resolver.resolve(qname, "TXT", lifetime=timeout)
        return b"".join(b"".join(record.strings) for record in answer)

    return lookup


def _send_notification(settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "notifications.dkim.DKIMSigningSMTPBackend"
    subject, text_body, html_body = render_email(
        kind="decision_made", code="7K3M-Q9TX-2HDA", language="en"
    )
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to="reader@example.org",
            subject=subject,
            text_body=text_body,
            html_body=html_body,
            language="en",
            kind="case.decision_made",
        )


def test_a_sent_notification_verifies_against_the_published_key(
    smtp_server, dns_server, settings, django_capture_on_commit_callbacks
):
    _send_notification(settings, django_capture_on_commit_callbacks)
    [mail] = smtp_server.outbox

    assert mail.message["DKIM-Signature"] is not None
    assert "d=migri.fi" in mail.message["DKIM-Signature"].replace(" ", "")
    assert dkim.verify(mail.raw, dnsfunc=_dnsfunc(dns_server))


def test_one_changed_byte_fails_the_signature(
    smtp_server, dns_server, settings, django_capture_on_commit_callbacks
):
    _send_notification(settings, django_capture_on_commit_callbacks)
    raw = smtp_server.outbox[0].raw
    tampered = raw.replace(b"7K3M-Q9TX-2HDA", b"7K3M-Q9TX-2HDB", 1)
    assert tampered != raw

    assert not dkim.verify(tampered, dnsfunc=_dnsfunc(dns_server))


def test_a_changed_header_fails_the_signature(
    smtp_server, dns_server, settings, django_capture_on_commit_callbacks
):
    _send_notification(settings, django_capture_on_commit_callbacks)
    raw = smtp_server.outbox[0].raw
    tampered = raw.replace(b"From: noreply@migri.fi", b"From: noreply@migri.fj", 1)
    assert tampered != raw

    assert not dkim.verify(tampered, dnsfunc=_dnsfunc(dns_server))


def test_the_dns_record_is_split_into_strings_of_at_most_255_bytes(dkim_key):
    name, strings = _published_record()

    assert name == "test2026._domainkey.migri.fi."
    assert len(strings) >= 2  # a 2048-bit key does not fit one string
    assert all(len(item.encode()) <= 255 for item in strings)
    assert "".join(strings).startswith("v=DKIM1; k=rsa; p=")


def test_without_a_key_in_production_mail_goes_out_unsigned(settings):
    settings.DKIM_PRIVATE_KEY_FILE = ""
    settings.DEVELOPMENT = False
    raw = b"From: a@migri.fi\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n"
    assert permitsafe_dkim.sign_message(raw) == raw


def test_development_generates_a_key_under_var(settings, tmp_path):
    settings.DKIM_PRIVATE_KEY_FILE = ""
    settings.VAR_DIR = tmp_path
    raw = b"From: a@migri.fi\r\nTo: b@example.org\r\nSubject: x\r\n\r\nbody\r\n"
    assert permitsafe_dkim.sign_message(raw).startswith(b"DKIM-Signature:")
    assert (tmp_path / "dkim" / "permitsafe.pem").exists()

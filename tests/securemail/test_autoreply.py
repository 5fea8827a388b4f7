"""The decision whether plain email gets Securemail's automatic reply, and the reply's text."""

from __future__ import annotations

import pytest

from core.authority import authority
from securemail.access import official_address
from securemail.autoreply import (
    REPLY_LANGUAGES,
    autoreply_render,
    header_section,
    parse_headers,
    reply_decision,
    sender_language,
)
from tests.notifications.test_case_notifications import LINK_MARKERS


def _headers(*lines: str):
    return parse_headers(("\r\n".join(lines) + "\r\n\r\nbody\r\n").encode())


def _decide(*lines: str, sender: str = "maija@example.org"):
    return reply_decision(
        headers=_headers("From: maija@example.org", *lines), envelope_sender=sender
    )


def test_a_person_writing_by_plain_email_gets_a_reply():
    decision = _decide("Subject: my passport")
    assert decision.reply and decision.languages == REPLY_LANGUAGES


@pytest.mark.parametrize(
    "header",
    [
        "Auto-Submitted: auto-replied",
        "Auto-Submitted: auto-generated",
        "Auto-Submitted: auto-notified; owner-email=x@example.org",
        "Precedence: bulk",
        "Precedence: list",
        "Precedence: JUNK",
        "List-Id: <news.example.org>",
        "List-Unsubscribe: <mailto:leave@example.org>",
        "X-Auto-Response-Suppress: OOF, AutoReply",
        "Content-Type: multipart/report; report-type=delivery-status; boundary=x",
    ],
)
def test_automatic_and_list_mail_gets_no_reply(header):
    decision = _decide(header)
    assert not decision.reply and decision.reason == "automatic"


def test_auto_submitted_no_is_a_person():
    assert _decide("Auto-Submitted: no").reply


@pytest.mark.parametrize(
    "sender",
    [
        "MAILER-DAEMON@example.org",
        "postmaster@example.org",
        "noreply@example.org",
        "no-reply@example.org",
        "do-not-reply@example.org",
        "news-request@lists.example.org",
        "owner-news@lists.example.org",
        "bounces+123@example.org",
    ],
)
def test_automatic_senders_get_no_reply(sender):
    decision = _decide(sender=sender)
    assert not decision.reply and decision.reason == "automatic-sender"


@pytest.mark.parametrize("sender", ["", " "])
def test_a_null_return_path_gets_no_reply(sender):
    assert _decide(sender=sender).reason == "null-sender"


@pytest.mark.parametrize("sender", ["not an address", "a@b@c", "x" * 65 + "@example.org"])
def test_a_malformed_sender_gets_no_reply(sender):
    assert _decide(sender=sender).reason == "bad-sender"


@pytest.mark.parametrize(
    "sender",
    [
        "migri@migri.fi",
        "noreply@migri.fi",
        "Kirjaamo@MIGRI.fi",
        "someone@mail.migri.fi",
    ],
)
def test_our_own_addresses_get_no_reply(sender):
    # noreply@ is both automatic and ours; either way no loop.
    assert not _decide(sender=sender).reply


@pytest.mark.parametrize(
    "from_field", ["Migri <migri@migri.fi>", "x@example.org, noreply@migri.fi"]
)
def test_mail_claiming_to_be_from_us_is_not_answered(from_field):
    headers = _headers(f"From: {from_field}")
    decision = reply_decision(headers=headers, envelope_sender="victim@example.org")
    assert not decision.reply and decision.reason == "own-address"


def test_the_configured_sender_is_never_answered(settings):
    settings.DEFAULT_FROM_EMAIL = "notices@permits.example"
    assert _decide(sender="notices@permits.example").reason == "own-address"


@pytest.mark.parametrize(
    ("results", "sender", "expected"),
    [
        ("mx.migri.fi; spf=pass smtp.mailfrom=maija@example.org", "maija@example.org", True),
        ("mx.migri.fi; dkim=pass (2048-bit key) header.d=example.org", "maija@example.org", True),
        ("mx.migri.fi; dmarc=pass header.from=example.org", "maija@example.org", True),
        ("mx.migri.fi; spf=pass smtp.mailfrom=mail.example.org", "maija@example.org", True),
        ("mx.migri.fi; spf=fail smtp.mailfrom=example.org; dkim=none", "maija@example.org", False),
        ("mx.migri.fi; spf=pass smtp.mailfrom=attacker.example", "victim@example.org", False),
        # Another server's verdict, written by whoever sent the message, proves nothing.
        ("mx.attacker.example; spf=pass smtp.mailfrom=example.org", "maija@example.org", False),
        ("", "maija@example.org", False),
    ],
)
def test_with_authentication_results_only_an_authenticated_sender_is_answered(
    settings, results, sender, expected
):
    settings.SECUREMAIL_AUTOREPLY_AUTHSERV_ID = "mx.migri.fi"
    lines = [f"Authentication-Results: {results}"] if results else []
    decision = _decide(*lines, sender=sender)
    assert decision.reply is expected
    if not expected:
        assert decision.reason == "not-authenticated"


def test_without_an_authserv_id_authentication_results_are_not_needed(settings):
    settings.SECUREMAIL_AUTOREPLY_AUTHSERV_ID = ""
    assert _decide("Authentication-Results: mx.migri.fi; spf=fail").reply


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Content-Language: fi-FI"], "fi"),
        (["Content-Language: sv"], "sv"),
        (["Accept-Language: de-DE, sv-FI;q=0.5, en;q=0.8"], "en"),
        (["Content-Language: de", "Accept-Language: de, fi;q=0.3"], "fi"),
        (["Accept-Language: en;q=0, sv;q=0.1"], "sv"),
        (["Content-Language: de-DE"], None),
        ([], None),
    ],
)
def test_the_senders_language_is_read_from_the_headers(lines, expected):
    assert sender_language(_headers(*lines)) == expected


def test_the_header_section_stops_at_the_first_empty_line():
    raw = b"From: a@example.org\r\nSubject: x\r\n\r\nSecret body\r\n\r\nmore"
    assert b"Secret body" not in header_section(raw)
    assert header_section(raw).startswith(b"From: a@example.org\r\nSubject: x")


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_reply_in_one_language_has_no_link_and_names_securemail(language):
    subject, text = autoreply_render(languages=(language,), verification_code="7K3M-Q9TX-2HDA")
    for marker in LINK_MARKERS:
        assert marker not in text.lower() and marker not in subject.lower()
    assert official_address() in text
    assert "7K3M-Q9TX-2HDA" in text
    assert authority().name(language) in subject


def test_the_reply_in_every_language_carries_all_three():
    subject, text = autoreply_render(languages=REPLY_LANGUAGES, verification_code="7K3M-Q9TX-2HDA")
    for language, phrase in (
        ("fi", "Tämä on automaattinen vastaus."),
        ("sv", "Detta är ett automatiskt svar."),
        ("en", "This is an automatic reply."),
    ):
        assert phrase in text, language
        assert authority().name(language) in subject

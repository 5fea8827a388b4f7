"""Bounded cost of a report beyond the engine: the campaign text and the recipients are read from
a message cut by the engine's caps, and the forwarding mail is cut the same way."""

from __future__ import annotations

import pytest

from trust.engine.limits import MAX_BOUNDARY_LINES, MAX_TEXT_CHARS
from trust.models import ScamReport
from trust.report_similarity import message_text

MANY_PARTS = (
    b"From: a@example.org\r\nSubject: parts\r\n"
    b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
    + b"".join(
        b"--B\r\nContent-Type: text/plain\r\n\r\npart %d\r\n" % index for index in range(5000)
    )
    + b"--B--\r\n"
)


def test_the_campaign_text_of_pasted_text_is_cut_to_the_engines_allowance():
    assert len(message_text("text", b"word " * MAX_TEXT_CHARS)) == MAX_TEXT_CHARS


def test_the_campaign_text_of_an_email_reads_only_the_parts_the_engine_reads():
    text = message_text("eml", MANY_PARTS)
    assert "part 0\n" in text
    assert text.count("part ") <= MAX_BOUNDARY_LINES


@pytest.mark.django_db
def test_a_forwarding_mail_of_thousands_of_parts_is_parsed_only_up_to_the_cap(monkeypatch):
    from trust import inbound

    parsed: list[bytes] = []
    original = inbound.email.message_from_bytes

    def recording(data, *args, **kwargs):
        parsed.append(data)
        return original(data, *args, **kwargs)

    monkeypatch.setattr(inbound.email, "message_from_bytes", recording)
    public_id = inbound.store_forwarded_report(MANY_PARTS, "reporter@example.org")
    assert ScamReport.objects.get(public_id=public_id).content_kind == "text"
    assert parsed
    assert all(data.count(b"\n--B") <= MAX_BOUNDARY_LINES for data in parsed)

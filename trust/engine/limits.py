"""Caps on what one check reads, so that its cost stays bounded whatever the input.

Everything here is far above what a notification of the authority carries (a few hundred
characters of text, one or two links, one DKIM signature, no attachment) and above every message
of the labelled corpus. Reaching a cap is a finding (`input_limit_reached`): what was left unread
may hold what would change the verdict, so the verdict is then at least "suspicious", never
"genuine". The figures were measured with bench/trust_adversarial.py.
"""

from __future__ import annotations

import re

from .result import Finding

# Links (text, HTML and form targets) analysed per message. A heavy newsletter has about a hundred;
# each distinct host costs a lookalike match (about 0.25 ms).
MAX_LINKS = 300
# E-mail addresses and phone numbers taken from the text, each. A letter names a few; every one
# costs a lookalike match and, in a report, an indicator row in the database.
MAX_CONTACTS = 50
# MIME parts walked, containers included. Real mail has a handful; a forwarded thread a few dozen.
MAX_PARTS = 200
# Readable text analysed per message (subject, plain parts, text of the HTML parts). About 60
# pages of prose; the sentence, vocabulary and contact searches cost about 2.5 s a MB.
MAX_TEXT_CHARS = 100_000
# HTML parsed per message, parts and HTML attachments together: html.parser reads about 1.2 MB a
# second. Gmail clips messages at 102 KB of HTML; three times that covers the heaviest newsletters.
MAX_HTML_CHARS = 300_000
# Header fields and bytes of the header block parsed. A delivered message has 20 to 80 fields
# (a long Received chain included) in a few kilobytes; a To of a thousand addresses is 40 KB.
MAX_HEADER_FIELDS = 1000
MAX_HEADER_BYTES = 256 * 1024
# Lines that start with "--" parsed: every MIME part opens with such a boundary line and every
# multipart closes with one, so this bounds the parts and the nesting depth before the stdlib's
# parser builds an object for each (200,000 parts took 8 s to parse).
MAX_BOUNDARY_LINES = 2 * MAX_PARTS
# Lines parsed: the stdlib parser's cost is per line (about 2.5 microseconds). A 25 MB message
# holding one attachment has 340,000 lines of base64; only a flood of short lines has more.
MAX_LINES = 350_000
# The body of a message that is one text part is parsed up to here: 5 MB in any transfer encoding
# and charset (a third for base64, three bytes a byte for quoted-printable, four bytes a character
# at most) holds more characters than MAX_HTML_CHARS and MAX_TEXT_CHARS, so nothing that would be
# read is lost, and the text allowance still reports the cut.
MAX_TEXT_BODY_BYTES = 5 * 1024 * 1024
# DKIM signatures verified per message. A message carries one or two (the author's domain, the
# sending service), a mailing list adds one; dkimpy canonicalises the body again for each.
MAX_DKIM_SIGNATURES = 5
# Messages larger than this, or whose header block reached a cap above, are not DKIM-verified:
# dkimpy canonicalises the body (about 12 MB a second, relaxed) and every header field once per
# signature. The authority's notifications are a few kilobytes.
MAX_DKIM_MESSAGE_BYTES = 1024 * 1024

_FIELD_START = re.compile(rb"\n(?![ \t])")
_CONTENT_TYPE = re.compile(rb"(?im)^content-type:\s*([a-z0-9.+-]*)")

LIMIT_FINDING = "input_limit_reached"
TIME_BUDGET_FINDING = "check_time_budget_exceeded"
LIMITS = {
    "links": MAX_LINKS,
    "parts": MAX_PARTS,
    "contacts": MAX_CONTACTS,
    "header_fields": MAX_HEADER_FIELDS,
    "header_bytes": MAX_HEADER_BYTES,
    "lines": MAX_LINES,
    "text": MAX_TEXT_CHARS,
    "html": MAX_HTML_CHARS,
    "dkim_signatures": MAX_DKIM_SIGNATURES,
    "dkim_message_bytes": MAX_DKIM_MESSAGE_BYTES,
}


def limit_finding(limit: str) -> Finding:
    """The finding that says which cap was reached; medium, so the verdict is at least suspicious."""
    return Finding(LIMIT_FINDING, "medium", {"limit": limit, "maximum": str(LIMITS[limit])})


def bounded_for_parsing(raw: bytes, max_lines: int | None = MAX_LINES) -> tuple[bytes, list[str]]:
    """The part of `raw` the MIME parser reads, and the caps that cut it.

    Cut before parsing, because the stdlib parser's cost is per header field and per part: the
    header block to MAX_HEADER_FIELDS fields and MAX_HEADER_BYTES (at a field's start), the body
    before its (MAX_BOUNDARY_LINES + 1)th boundary-like line, and all before line `max_lines`
    (None: no line cap, for a forwarding mail whose base64 attachment is a third larger).
    """
    reached: list[str] = []
    if max_lines is not None and raw.count(b"\n") > max_lines:
        reached.append("lines")
        raw = raw[: len(raw) - len(raw.split(b"\n", max_lines)[-1])]
    # The blank line that ends the header block, found with bytes.find (a regex scan of 25 MB
    # for a message without one cost half a second).
    ends = [at for at in (raw.find(b"\n\n"), raw.find(b"\n\r\n")) if at >= 0]
    header_end = min(ends) if ends else len(raw)
    header_cut = header_end
    if header_end > MAX_HEADER_BYTES:
        reached.append("header_bytes")
        header_cut = raw.rfind(b"\n", 0, MAX_HEADER_BYTES) + 1
    for count, field in enumerate(_FIELD_START.finditer(raw, 0, header_cut), start=1):
        if count >= MAX_HEADER_FIELDS:
            reached.append("header_fields")
            header_cut = field.start() + 1
            break
    body_start = header_end  # from the blank line on
    body_end = len(raw)
    content_type = _CONTENT_TYPE.search(raw, 0, header_cut)
    maintype = content_type.group(1).lower() if content_type else b"text"
    if maintype in (b"text", b"") and body_end - body_start > MAX_TEXT_BODY_BYTES:
        body_end = body_start + MAX_TEXT_BODY_BYTES
    elif raw.count(b"\n--", body_start) > MAX_BOUNDARY_LINES:
        reached.append("parts")
        position = body_start
        for _ in range(MAX_BOUNDARY_LINES + 1):
            position = raw.find(b"\n--", position) + 1
        body_end = position  # the line break kept, the boundary line dropped
    if header_cut == header_end and body_end == len(raw):
        return raw, reached
    return raw[:header_cut] + raw[body_start:body_end], reached

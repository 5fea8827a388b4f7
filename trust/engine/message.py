"""The message model: an email or pasted text parsed once into headers, text, links and attachments.

Parsing never raises: malformed MIME, wrong or missing charsets, encoded-word headers, nested
multiparts and binary junk all give whatever could be read, with the problem noted in `defects`.
The MIME structure is read with the stdlib's compat32 policy and only the headers the analyzers use
are decoded: email.policy.default builds a parsed object for every header of every part, which
measured 3.0 ms a message on the corpus against 0.36 ms, most of the engine's time budget.
"""

from __future__ import annotations

import email
import email.header
import email.policy
import email.utils
import re
from dataclasses import dataclass, field
from functools import cached_property

from core.phones import DEFAULT_PHONE_REGION

from .htmltext import HtmlForm, parse_html
from .limits import (
    MAX_CONTACTS,
    MAX_HTML_CHARS,
    MAX_LINKS,
    MAX_PARTS,
    MAX_TEXT_CHARS,
    bounded_for_parsing,
)
from .link_extraction import (
    Address,
    find_email_addresses,
    find_phone_numbers,
    find_urls,
    parse_address,
)

# The header of a quoted earlier message in a reply, on the line that names an address: "From: ...",
# "Lähettäjä: ...", "Från: ...", or "On <date>, <name> <a@b> wrote:" / "kirjoitti:" / "skrev:".
_QUOTE_FIELD = re.compile(r"(?i)^[ \t>]*(?:from|lähettäjä|från|avsändare)[ \t]*:")
_QUOTE_WROTE = re.compile(r"(?i)(?:wrote|kirjoitti|skrev)[ \t]*:[ \t]*$")
_MAX_QUOTE_LOOKUPS = 20  # occurrences of the reader's address examined: bounded cost
_QUOTE_SEPARATOR = re.compile(r"(?m)^[ \t]*-{3,}[^\n]{0,60}-{3,}[ \t]*\n\s*\Z")


@dataclass(frozen=True)
class Link:
    address: Address
    text: str = ""  # what the reader sees (the anchor text of an HTML link)
    source: str = "text"  # text | html | form | header

    @property
    def url(self) -> str:
        return self.address.url

    @property
    def host(self) -> str:
        return self.address.host


@dataclass
class Attachment:
    filename: str
    content_type: str
    payload: bytes = b""


@dataclass
class ParsedMessage:
    kind: str  # email | text | url
    channel: str = "email"
    sender: str = ""
    raw: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)  # (lower-case name, value)
    from_display: str = ""
    from_address: str = ""
    reply_to: list[str] = field(default_factory=list)
    return_path: str = ""
    to: list[str] = field(default_factory=list)
    subject: str = ""
    text_parts: list[str] = field(default_factory=list)
    html_parts: list[str] = field(default_factory=list)
    html_texts: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    forms: list[HtmlForm] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)
    limits: list[str] = field(default_factory=list)  # caps reached while parsing (limits.py)
    text_chars: int = 0  # readable text kept so far, against MAX_TEXT_CHARS
    html_chars: int = 0  # HTML parsed so far, against MAX_HTML_CHARS
    # The region national phone numbers are read in; the engine sets it from its configuration.
    phone_region: str = DEFAULT_PHONE_REGION

    def reached(self, limit: str) -> None:
        if limit not in self.limits:
            self.limits.append(limit)

    def keep_text(self, text: str) -> str:
        """`text` cut to what is left of the message's text allowance."""
        room = max(0, MAX_TEXT_CHARS - self.text_chars)
        if len(text) > room:
            self.reached("text")
            text = text[:room]
        self.text_chars += len(text)
        return text

    def add_link(self, link: Link) -> bool:
        """Keep `link` unless the message already holds MAX_LINKS; False once it is full."""
        if len(self.links) >= MAX_LINKS:
            self.reached("links")
            return False
        self.links.append(link)
        return True

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [value for header, value in self.headers if header == name]

    @cached_property
    def body_text(self) -> str:
        """All readable text: the subject, the plain parts and the text of the HTML parts."""
        parts = [self.subject, *self.text_parts]
        # An HTML part usually repeats the plain one; read it only when it adds something.
        if not self.text_parts:
            parts.extend(self.html_texts)
        else:
            parts.extend(text for text in self.html_texts if text[:200] not in self.text_parts[0])
        return "\n".join(part for part in parts if part)

    @cached_property
    def own_text(self) -> str:
        """The body without the reader's own earlier message quoted at the end of a reply.

        A reply quotes what the reader wrote under a header naming the reader's address, which is
        where this message went (To:). Those words (their questions, their own address) are not
        the sender's requests or contacts. A forwarded message keeps its quote: its header names
        whoever wrote it, not the reader."""
        text = self.body_text
        recipients = {address.lower() for address in self.to}
        if self.kind != "email" or not recipients:
            return text
        lowered = text.lower()
        for address in sorted(recipients)[:5]:
            position = lowered.find(address)
            for _ in range(_MAX_QUOTE_LOOKUPS):
                if position < 0:
                    break
                line_start = text.rfind("\n", 0, position) + 1
                line_end = text.find("\n", position)
                line_end = line_end if line_end >= 0 else len(text)
                # A quote header is a short line: look at its start and its end only.
                if _QUOTE_FIELD.match(text[line_start : line_start + 40]) or _QUOTE_WROTE.search(
                    text[max(line_start, line_end - 40) : line_end]
                ):
                    head = text[:line_start]
                    # Only the line right above the header may be the separator: a bounded look.
                    tail_start = max(0, len(head) - 200)
                    separator = _QUOTE_SEPARATOR.search(head, tail_start)
                    return head[: separator.start()] if separator else head
                position = lowered.find(address, position + len(address))
        return text

    @cached_property
    def email_addresses(self) -> list[str]:
        return self._contacts(find_email_addresses(self.own_text))

    @cached_property
    def phone_numbers(self) -> list[str]:
        return self._contacts(find_phone_numbers(self.own_text, self.phone_region))

    def _contacts(self, found: list[str]) -> list[str]:
        if len(found) > MAX_CONTACTS:
            self.reached("contacts")
        return found[:MAX_CONTACTS]

    @property
    def from_domain(self) -> str:
        return domain_of(self.from_address)


def domain_of(address: str) -> str:
    _, _, domain = (address or "").rpartition("@")
    return domain.strip().strip(">").strip(".").lower()


def _decode_payload(part, limit: int) -> str:
    # Four bytes at most per character: no more is decoded than the caller can keep, and one
    # byte more, so that the caller sees that something was left over.
    payload = _payload_bytes(part)[: max(0, limit) * 4 + 1]
    charset = _safe(part.get_content_charset, None) or "utf-8"
    for candidate in (charset, "utf-8"):
        try:
            return payload.decode(candidate, "replace")
        except (LookupError, ValueError):
            continue
    return payload.decode("latin-1")


def decode_header_value(value) -> str:
    """An encoded-word header as text, unfolded; undecodable bytes replaced."""
    try:
        if isinstance(value, email.header.Header):
            # Raw 8-bit bytes in a header (common in spam): read them as UTF-8, not as '?'.
            value = "".join(
                part.decode("utf-8" if charset in (None, "unknown-8bit") else charset, "replace")
                if isinstance(part, bytes)
                else part
                for part, charset in email.header.decode_header(value)
            )
        text = str(value)
        if "=?" in text:
            text = str(email.header.make_header(email.header.decode_header(text)))
    except Exception:  # noqa: BLE001 (a broken encoded word: keep it as written)
        text = str(value)
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return " ".join(text.split())


def _payload_bytes(part) -> bytes:
    try:
        payload = part.get_payload(decode=True)
    except Exception:  # noqa: BLE001
        return b""
    if isinstance(payload, str):
        return payload.encode("utf-8", "replace")
    return payload or b""


def _safe(callable_, default):
    try:
        return callable_()
    except Exception:  # noqa: BLE001 (a malformed header or part must not stop the check)
        return default


def _addresses(values: list[str]) -> list[tuple[str, str]]:
    try:
        return [(name, address.lower()) for name, address in email.utils.getaddresses(values)]
    except Exception:  # noqa: BLE001
        return []


def _from_addresses(values: list[str]) -> list[tuple[str, str]]:
    """From's (name, address) pairs. Many mailers leave a comma in the display name unquoted
    ("City of Helsinki, Immigrant Services <x@hel.fi>"), which splits it into a bare word and the
    real address: with one angle address and no other "@", the words before it are its name."""
    pairs = _addresses(values)
    if len(values) != 1 or len(pairs) < 2 or values[0].count("<") != 1:
        return pairs
    with_at = [pair for pair in pairs if "@" in pair[1]]
    if len(with_at) != 1 or not values[0].rstrip().endswith(">"):
        return pairs
    display = values[0].split("<", 1)[0].strip()
    # Only name-like parts ("Helsingin kaupunki, Maahanmuuttajapalvelut"): phishers' Froms carry a
    # trailing comma, junk after it ("Kundenservice, jehd") or a quoted name before it, and those
    # stay the malformed headers they are.
    parts = [part.strip() for part in display.split(",")]
    if '"' in display or not all(part[:1].isupper() and part[1:2].islower() for part in parts):
        return pairs
    return [(display, with_at[0][1])]


def _add_links_from_text(message: ParsedMessage, text: str, source: str = "text") -> None:
    for url in find_urls(text):
        address = parse_address(url)
        if address and not message.add_link(Link(address, url, source)):
            return


def _add_html(message: ParsedMessage, html: str) -> None:
    room = max(0, MAX_HTML_CHARS - message.html_chars)
    if len(html) > room:
        message.reached("html")
        html = html[:room]
    if not html:
        return
    message.html_chars += len(html)
    content = parse_html(html)
    message.html_parts.append(html)
    message.html_texts.append(message.keep_text(content.text))
    for form in content.forms:
        message.forms.append(form)
        address = parse_address(form.action)
        if address:
            message.add_link(Link(address, "", "form"))
    for href, text in content.links:
        address = parse_address(href)
        if address and not message.add_link(Link(address, text, "html")):
            break


def parse_email(raw: bytes) -> ParsedMessage:
    message = ParsedMessage(kind="email", channel="email", raw=raw)
    readable, reached = bounded_for_parsing(raw)
    for limit in reached:
        message.reached(limit)
    parsed = _safe(lambda: email.message_from_bytes(readable, policy=email.policy.compat32), None)
    if parsed is None:
        message.defects.append("unparseable")
        return message
    for name, value in _safe(parsed.items, []):
        message.headers.append((str(name).lower(), decode_header_value(value)))
    froms = _from_addresses(message.header_values("from"))
    if froms:
        message.from_display, message.from_address = froms[0]
    message.reply_to = [address for _, address in _addresses(message.header_values("reply-to"))]
    return_paths = _addresses(message.header_values("return-path"))
    message.return_path = return_paths[0][1] if return_paths else ""
    message.to = [address for _, address in _addresses(message.header_values("to")) if address]
    message.subject = message.keep_text((message.header_values("subject") or [""])[0])
    for index, part in enumerate(_safe(lambda: list(parsed.walk()), [parsed])):
        if index >= MAX_PARTS:
            message.reached("parts")
            break
        if _safe(part.is_multipart, False):
            continue
        content_type = _safe(part.get_content_type, "application/octet-stream")
        disposition = _safe(part.get_content_disposition, None)
        filename = decode_header_value(_safe(part.get_filename, None) or "")
        if filename or disposition == "attachment":
            message.attachments.append(Attachment(filename, content_type, _payload_bytes(part)))
        elif content_type == "text/html":
            _add_html(message, _decode_payload(part, MAX_HTML_CHARS - message.html_chars))
        elif content_type.startswith("text/") or part is parsed:
            text = _decode_payload(part, MAX_TEXT_CHARS - message.text_chars)
            message.text_parts.append(message.keep_text(text))
    for text in message.text_parts:
        _add_links_from_text(message, text)
    _add_links_from_text(message, message.subject)
    if not message.text_parts and not message.html_parts and not message.headers:
        message.defects.append("no_content")
    return message


def parse_text(text: str, channel: str = "email", sender: str = "") -> ParsedMessage:
    message = ParsedMessage(kind="text", channel=channel, sender=(sender or "").strip())
    text = text or ""
    if "<a " in text.lower() and "href" in text.lower():
        _add_html(message, text)
    else:
        message.text_parts.append(message.keep_text(text))
        _add_links_from_text(message, message.text_parts[-1])
    if "@" in message.sender and not message.sender.startswith("@"):
        pairs = _addresses([message.sender])
        if pairs and "@" in pairs[0][1]:
            message.from_display, message.from_address = pairs[0]
        else:
            message.from_display = message.sender
    else:
        message.from_display = message.sender
    return message


def parse_url(url: str) -> ParsedMessage:
    message = ParsedMessage(kind="url", channel="web")
    address = parse_address(url)
    if address:
        message.links.append(Link(address, "", "text"))
    else:
        message.defects.append("not_a_web_address")
    return message

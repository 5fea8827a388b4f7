"""People's own addresses and numbers in a report, which are never a scam's indicators.

The reporter, the checked message's recipients, the addresses in forwarded-message header blocks
("---------- Forwarded message ---------", Outlook's "From: ... Sent: ... To: ...", Finnish
"Lähettäjä: / Vastaanottaja:", Swedish "Från: / Till:") and the contact lines of a forwarder's
signature belong to people, not to the scammer. They are kept only as keyed digests, so that a
publication can refuse any address or number that was ever a person's in the campaign.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass
from email.utils import getaddresses

from core.authority import authority
from core.keyed_hashes import keyed_hash, keyed_hashes
from trust.engine.limits import bounded_for_parsing
from trust.engine.link_extraction import find_email_addresses, find_phone_numbers
from trust.report_similarity import message_text

# Labels of a forwarded header block, as mail programs write them in English, Finnish and Swedish.
SENDER_LABELS = frozenset(
    {"from", "sender", "reply-to", "lähettäjä", "vastausosoite", "från", "avsändare", "svara till"}
)
RECIPIENT_LABELS = frozenset(
    {
        "to", "cc", "bcc", "delivered-to", "vastaanottaja", "vastaanottajat", "kopio",
        "piilokopio", "till", "kopia", "hemlig kopia", "mottagare",
    }
)  # fmt: skip
OTHER_LABELS = frozenset(
    {
        "sent", "date", "subject", "lähetetty", "päivämäärä", "päiväys", "aihe", "skickat",
        "datum", "ämne", "importance", "tärkeys", "prioritet", "attachments", "liitteet", "bilagor",
    }
)  # fmt: skip
_LABELS = SENDER_LABELS | RECIPIENT_LABELS | OTHER_LABELS
_LABEL_ALTERNATIVES = "|".join(re.escape(label) for label in sorted(_LABELS, key=len, reverse=True))
_QUOTE = r"^[ \t]*(?:>[ \t]*)*"
# A line that starts with a label; the label's value runs to the next label on the same line (a
# header block flattened into one line: "From: a Sent: Monday To: b Subject: c").
# Mail programs may mark labels bold in plain text: "*From:*", "**To**:".
_LABEL = rf"\*{{0,2}}({_LABEL_ALTERNATIVES})\*{{0,2}}[ \t]*:\*{{0,2}}"
_HEADER_START = re.compile(rf"(?i){_QUOTE}{_LABEL}")
_LABEL_IN_LINE = re.compile(rf"(?i)(?:^|(?<=[\s>]))(?:>[ \t]*)*{_LABEL}")
_SEPARATOR = re.compile(
    r"(?i)^[\s>*_=-]*(?:forwarded message|original message|begin forwarded message|"
    r"välitetty viesti|edelleenlähetetty viesti|alkuperäinen viesti|"
    r"vidarebefordrat meddelande|vidarebefordrat brev|ursprungligt meddelande)\b"
)
# Where a signature starts in the forwarder's own text: the "-- " delimiter or a closing phrase.
_SIGNATURE_START = re.compile(
    r"(?i)^[ \t]*(?:--[ \t]*$|(?:best |kind |warm )?regards\b|br\b|thanks\b|thank you\b|cheers\b|"
    r"sincerely\b|terveisin\b|ystävällisin terveisin\b|parhain terveisin\b|t\.\s|kiitos\b|"
    r"hälsningar\b|med vänliga hälsningar\b|mvh\b|vänliga hälsningar\b|tack\b)"
)
# A contact line anywhere in the forwarder's own text: "Puh. 040 ...", "Anna, tel +358 ...",
# "E-post: anna@...".
_CONTACT_LINE = re.compile(
    r"(?i)\b(?:tel|puh|puhelin|gsm|mob|mobile|matkapuhelin|phone|telefon|tfn|mobil|"
    r"email|e-mail|sähköposti|e-post)\b\.?[ \t]*:?[ \t]*(?=[+(0-9]|[\w.+-]+@)"
)
# Bounds on the work per report, far above any real forward: lines read, the length of a header
# line (a long To: list) and of a signature line, header values per block, blocks per text.
MAX_LINES = 20_000
MAX_HEADER_LINE_CHARS = 4_000
MAX_SIGNATURE_LINE_CHARS = 300
MAX_PAIRS_PER_BLOCK = 100
MAX_BLOCKS = 50


@dataclass(frozen=True)
class _Block:
    first_line: int
    last_line: int
    senders: tuple[str, ...]
    recipients: tuple[str, ...]


def _segments(line: str) -> list[tuple[str, str]]:
    """(label, value) pairs of a header line."""
    matches = list(_LABEL_IN_LINE.finditer(line))
    pairs = []
    for index, match in enumerate(matches):
        end = matches[index + 1].start() if index + 1 < len(matches) else len(line)
        pairs.append((match.group(1).lower(), line[match.end() : end]))
    return pairs


_QUOTE_MARKERS = re.compile(r"^[ \t]*(?:>[ \t]?)+")


def _is_continuation(line: str) -> bool:
    """A folded header value: indented, also inside a quote ("> " markers, then the indent)."""
    rest = _QUOTE_MARKERS.sub("", line, count=1)
    return rest[:1] in (" ", "\t") and bool(rest.strip())


def _is_header_line(line: str) -> bool:
    return len(line) <= MAX_HEADER_LINE_CHARS and _HEADER_START.match(line) is not None


def _header_blocks(lines: list[str]) -> list[_Block]:
    """Runs of header lines that are a forwarded message's headers: after a separator line, or
    with at least two labels of which one names a sender or a recipient."""
    blocks: list[_Block] = []
    index = 0
    while index < len(lines) and len(blocks) < MAX_BLOCKS:
        if not _is_header_line(lines[index]):
            index += 1
            continue
        start = index
        pairs: list[tuple[str, str]] = []
        while index < len(lines):
            line = lines[index]
            if _is_header_line(line):
                if len(pairs) < MAX_PAIRS_PER_BLOCK:
                    pairs.extend(_segments(line))
            elif pairs and _is_continuation(line):
                # A folded value: the rest of a long To: or Cc: list.
                if len(line) <= MAX_HEADER_LINE_CHARS:
                    pairs[-1] = (pairs[-1][0], pairs[-1][1] + " " + line)
            else:
                break
            index += 1
        labels = {label for label, _value in pairs}
        previous = [line for line in lines[max(0, start - 3) : start] if line.strip()]
        after_separator = any(_SEPARATOR.match(line) for line in previous)
        names_people = labels & (SENDER_LABELS | RECIPIENT_LABELS)
        if after_separator or (len(pairs) >= 2 and names_people):
            blocks.append(
                _Block(
                    first_line=start,
                    last_line=index - 1,
                    senders=tuple(value for label, value in pairs if label in SENDER_LABELS),
                    recipients=tuple(value for label, value in pairs if label in RECIPIENT_LABELS),
                )
            )
    return blocks


def _identifiers(text: str) -> set[str]:
    # Numbers as the engine reads them (its phone_region is the authority's country too).
    return {*find_email_addresses(text), *find_phone_numbers(text, authority().country)}


def _signature_identifiers(lines: list[str]) -> set[str]:
    found: set[str] = set()
    in_signature = False
    for line in lines:
        if len(line) > MAX_SIGNATURE_LINE_CHARS:
            continue  # prose, not a signature or a contact line
        if _SEPARATOR.match(line):
            break
        in_signature = in_signature or bool(_SIGNATURE_START.match(line))
        if in_signature or _CONTACT_LINE.search(line):
            found |= _identifiers(line)
    return found


def forwarded_personal_identifiers(text: str) -> set[str]:
    """Addresses (lower case) and phone numbers (as the engine normalises them) that belong to
    people in a forwarded text: every recipient in a header block, every sender except the
    innermost block's (the original message's sender, the one indicator the block holds), and the
    signature and contact lines of each forwarder's own text before the original message."""
    lines = text.splitlines()[:MAX_LINES]
    blocks = _header_blocks(lines)
    if not blocks:
        return set()
    found: set[str] = set()
    for position, block in enumerate(blocks):
        for value in block.recipients:
            found |= _identifiers(value)
        if position < len(blocks) - 1:
            for value in block.senders:
                found |= _identifiers(value)
    # The text above each block but the innermost's body is a forwarder's own.
    starts = [0] + [block.last_line + 1 for block in blocks[:-1]]
    for start, block in zip(starts, blocks, strict=True):
        found |= _signature_identifiers(lines[start : block.first_line])
    return found


def recipient_addresses(content_kind: str, content: bytes) -> list[str]:
    """To, Cc and Delivered-To of a reported email (the people it was sent to)."""
    if content_kind != "eml":
        return []
    try:
        # The engine's caps first: the stdlib parser is not linear in every pathological input.
        message = email.message_from_bytes(
            bounded_for_parsing(content)[0], policy=email.policy.compat32
        )
        headers = [
            str(value)
            for name in ("To", "Cc", "Delivered-To")
            for value in message.get_all(name, [])
        ]
        return [address for _name, address in getaddresses(headers) if address]
    except Exception:  # a damaged header hides no indicator worth a failed report
        return []


def report_personal_identifiers(
    *, content_kind: str, content: bytes, reporter_address: str = ""
) -> set[str]:
    """Everything of a report that is a person's: the reporter, the recipients and what the
    forwarded text shows of people (lower case, phone numbers normalised)."""
    found = {
        address.strip().lower()
        for address in [reporter_address, *recipient_addresses(content_kind, content)]
        if address and address.strip()
    }
    return found | forwarded_personal_identifiers(message_text(content_kind, content))


PERSONAL_SALT = "trust.personal_identifier"


def personal_digest(value: str) -> str:
    """The keyed digest under which a person's address or number is remembered."""
    return keyed_hash(PERSONAL_SALT, value.strip().lower())


def is_personal(value: str, digests: set[str]) -> bool:
    """Whether `value` was a person's, by the digests remembered of the campaign's reports.

    Rotation: reports are kept for years, so a digest stored under a fallback key still counts;
    `manage.py trust_rehash_personal_digests` moves them to the current key before it is dropped.
    """
    return not digests.isdisjoint(keyed_hashes(PERSONAL_SALT, value.strip().lower()))


def personal_digests(values: set[str]) -> list[str]:
    return sorted({personal_digest(value) for value in values if value})


def without_personal(indicators: dict, personal: set[str]) -> dict:
    """The engine's indicators without the people's own addresses and numbers."""
    cleaned = {key: list(values) for key, values in (indicators or {}).items()}
    for key in ("email_addresses", "phone_numbers"):
        cleaned[key] = [value for value in cleaned.get(key, []) if value.lower() not in personal]
    return cleaned

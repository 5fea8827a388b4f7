"""How reports are recognised as the same scam: near-duplicate text (5-word shingles, MinHash and
an LSH index) or a shared indicator specific enough (a domain, a URL, an address, a number)."""

from __future__ import annotations

import email
import email.policy
import html
import re
from collections.abc import Iterable

import numpy
from datasketch import LeanMinHash, MinHash, MinHashLSH

from trust.engine.limits import MAX_TEXT_CHARS, bounded_for_parsing

SHINGLE_WORDS = 5
NUM_PERM = 128
SEED = 1
# Fixed explicitly so that signatures stored today still compare after a datasketch upgrade.
SCHEME = "affine32"
SIMILARITY_THRESHOLD = 0.6

# Shared by unrelated senders and links: a match on these alone says nothing about a campaign.
GENERIC_DOMAINS = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com",
        "yahoo.com", "icloud.com", "me.com", "aol.com", "proton.me", "protonmail.com", "gmx.com",
        "gmx.net", "mail.com", "yandex.com", "yandex.ru", "mail.ru", "luukku.com", "suomi24.fi",
        "bit.ly", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "rebrand.ly", "cutt.ly",
        "forms.gle", "docs.google.com", "sites.google.com", "wa.me", "t.me",
    }
)  # fmt: skip

_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"\w+", re.UNICODE)


def message_text(content_kind: str, content: bytes) -> str:
    """The readable text of a report: an email's subject and text parts, or the pasted text."""
    if content_kind != "eml":
        return content[: MAX_TEXT_CHARS * 4].decode("utf-8", errors="replace")[:MAX_TEXT_CHARS]
    try:
        # The engine's caps on fields, parts and lines, before the (slow) default policy parses.
        message = email.message_from_bytes(
            bounded_for_parsing(content)[0], policy=email.policy.default
        )
        pieces = [str(message.get("Subject", ""))]
        plain, markup = [], []
        for part in message.walk():
            if part.get_content_maintype() != "text" or part.is_attachment():
                continue
            body = part.get_content()
            (plain if part.get_content_subtype() == "plain" else markup).append(body)
        pieces += plain or [html.unescape(_TAG.sub(" ", body)) for body in markup]
        return "\n".join(pieces)[:MAX_TEXT_CHARS]
    except Exception:  # a damaged message still groups by what can be read of it
        return content[: MAX_TEXT_CHARS * 4].decode("utf-8", errors="replace")[:MAX_TEXT_CHARS]


def shingles(text: str) -> set[str]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {
        " ".join(words[index : index + SHINGLE_WORDS])
        for index in range(len(words) - SHINGLE_WORDS + 1)
    }


def minhash_signature(text: str) -> bytes | None:
    """The MinHash of the text's shingles as bytes to store; None when there is no text."""
    pieces = shingles(text)
    if not pieces:
        return None
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    minhash.update_batch([piece.encode("utf-8") for piece in pieces])
    return minhash.hashvalues.astype("<u4").tobytes()


def load_signature(blob: bytes) -> LeanMinHash:
    values = numpy.frombuffer(bytes(blob), dtype="<u4").astype(numpy.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def similar_by_text(signature: bytes, candidates: Iterable[tuple[int, bytes]]) -> set[int]:
    """Ids of the candidates whose estimated Jaccard similarity reaches the threshold.

    The LSH index narrows the candidates; the estimate then confirms each, since LSH alone lets
    some pairs just under the threshold through.
    """
    target = load_signature(signature)
    index = MinHashLSH(threshold=SIMILARITY_THRESHOLD, num_perm=NUM_PERM)
    loaded: dict[int, LeanMinHash] = {}
    for report_id, blob in candidates:
        if not blob or len(blob) != NUM_PERM * 4:
            continue
        loaded[report_id] = load_signature(blob)
        index.insert(report_id, loaded[report_id])
    return {
        report_id
        for report_id in index.query(target)
        if target.jaccard(loaded[report_id]) >= SIMILARITY_THRESHOLD
    }


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].lower()


def report_indicator_rows(
    indicators: dict, *, excluded_addresses: Iterable[str] = ()
) -> set[tuple[str, str]]:
    """(kind, value) rows for a report from the engine's indicators; the sender domains of its
    email addresses count as domains too. `excluded_addresses` (the reporter, the recipients, the
    people in forwarded text: addresses and numbers) are personal data, not indicators."""
    excluded = {address.lower() for address in excluded_addresses if address}
    rows: set[tuple[str, str]] = set()
    for domain in indicators.get("domains", []):
        rows.add(("domain", domain.lower()))
    for url in indicators.get("urls", []):
        rows.add(("url", url))
    for address in indicators.get("email_addresses", []):
        if address.lower() in excluded:
            continue
        rows.add(("email_address", address.lower()))
        if _domain_of(address):
            rows.add(("domain", _domain_of(address)))
    for number in indicators.get("phone_numbers", []):
        if number.lower() not in excluded:
            rows.add(("phone_number", number))
    # Longer values do not fit the indexed column and are kept in the report's JSON only.
    return {(kind, value) for kind, value in rows if value and len(value) <= 1000}


def distinctive(
    rows: Iterable[tuple[str, str]], *, official_domains: Iterable[str] = ()
) -> set[tuple[str, str]]:
    """The rows specific enough that two reports sharing one belong to the same campaign."""
    official = {domain.lower() for domain in official_domains}

    def ignorable(domain: str) -> bool:
        return any(
            domain == known or domain.endswith("." + known) for known in GENERIC_DOMAINS | official
        )

    kept = set()
    for kind, value in rows:
        if kind == "domain" and ignorable(value):
            continue
        if kind == "email_address" and _domain_of(value) in official:
            continue
        kept.add((kind, value))
    return kept

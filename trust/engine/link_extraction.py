"""Web addresses, e-mail addresses and phone numbers found in free text."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from urllib.parse import urlsplit

from core.phones import DEFAULT_PHONE_REGION, normalize_phone

from .domains import has_known_suffix, ip_address, normalize_host

_TRAILING = ".,;:!?)]}'\"»”’>"
_SCHEME_URL = re.compile(r"(?i)\b(?:https?|hxxps?|ftp)://[^\s<>\"'`]+")
_WWW_URL = re.compile(r"(?i)(?<![\w./@-])www\.[^\s<>\"'`]+")
_BARE_DOMAIN = re.compile(
    r"(?<![\w@./:-])((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24})(?::\d{1,5})?(/[^\s<>\"'`]*)?"
)
# A raw IPv4 address without a scheme counts only with a port or a path ("185.12.4.9/login"):
# a bare number with dots is more often a version or a reference than an address to visit.
_BARE_IP = re.compile(
    r"(?<![\w@./:-])(?:\d{1,3}\.){3}\d{1,3}(?:(?::\d{1,5})(?:/[^\s<>\"'`]*)?|/[^\s<>\"'`]*)"
)
_EMAIL = re.compile(
    r"(?<![\w.+-])[\w.+%-]{1,64}@((?:[^\W_](?:[\w-]{0,61}[^\W_])?\.)+[^\W\d_]{2,24})"
)
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)[1-9]\d{0,2}|0\d{1,3})(?:[ \-]?\(?\d{1,4}\)?){2,5}(?!\w)"
)
# Words that are also top-level domains but are usually file names or abbreviations in text.
_FILE_LIKE_SUFFIXES = frozenset(
    {"zip", "mov", "exe", "pdf", "doc", "docx", "txt", "jpg", "png", "js"}
)


@dataclass(frozen=True)
class Address:
    """A web address as written, with its host normalised (Unicode, lower case)."""

    url: str
    host: str
    userinfo: str = ""
    scheme: str = ""


def parse_address(url: str) -> Address | None:
    """Split a web address; None when it has no usable host. Never raises."""
    url = (url or "").strip().strip("<>").strip()
    if not url or len(url) > 8192:
        return None
    candidate = url
    lowered = candidate.lower()
    if lowered.startswith(("hxxp://", "hxxps://")):
        candidate = "http" + candidate[4:]
    elif lowered.startswith("//"):
        candidate = "http:" + candidate
    elif "://" not in candidate[:12]:
        if lowered.startswith(("mailto:", "tel:", "sms:", "javascript:", "data:", "#", "cid:")):
            return None
        candidate = "http://" + candidate
    try:
        parts = urlsplit(candidate)
        netloc = parts.netloc
        scheme = parts.scheme.lower()
    except ValueError:
        return None
    userinfo, _, hostport = netloc.rpartition("@")
    host = hostport
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else ""
    elif ":" in host:
        host = host.split(":", 1)[0]
    # Browsers treat a backslash and some full-width dots like a slash or a dot.
    host = host.split("\\", 1)[0].replace("。", ".").replace("．", ".").replace("｡", ".")
    host = normalize_host(host)
    if not host or any(c.isspace() for c in host):
        return None
    return Address(url=url, host=host, userinfo=userinfo, scheme=scheme)


def _clean(match_text: str) -> str:
    while match_text and match_text[-1] in _TRAILING:
        if match_text[-1] == ")" and match_text.count("(") >= match_text.count(")"):
            break
        match_text = match_text[:-1]
    return match_text


class _Spans:
    """Spans sorted by start with the running maximum of their ends: "is this position inside
    any span" in O(log n), so extraction stays linear-logarithmic in the number of matches
    (a scan of every earlier match made 32,000 URLs cost 82 s)."""

    def __init__(self, spans: list[tuple[int, int]]):
        spans = sorted(spans)
        self._starts = [start for start, _ in spans]
        self._reach: list[int] = []
        reach = -1
        for _, end in spans:
            reach = max(reach, end)
            self._reach.append(reach)

    def covers(self, position: int) -> bool:
        index = bisect_right(self._starts, position) - 1
        return index >= 0 and self._reach[index] > position


def find_urls(text: str) -> list[str]:
    """Web addresses in `text`: with a scheme, from www., or bare domains with a known suffix.

    The patterns run in order of confidence; a match that starts inside an address already found
    by an earlier pattern is part of it. Matches of one pattern never overlap each other.
    """
    if not text:
        return []
    found: list[tuple[int, str]] = []
    scheme_spans: list[tuple[int, int]] = []
    for match in _SCHEME_URL.finditer(text):
        url = _clean(match.group(0))
        if url:
            found.append((match.start(), url))
            scheme_spans.append((match.start(), match.start() + len(url)))
    taken = _Spans(scheme_spans)
    spans = list(scheme_spans)
    for match in _WWW_URL.finditer(text):
        if taken.covers(match.start()):
            continue
        url = _clean(match.group(0))
        if url:
            found.append((match.start(), url))
            spans.append((match.start(), match.start() + len(url)))
    taken = _Spans(spans)
    for match in _BARE_IP.finditer(text):
        if taken.covers(match.start()):
            continue
        url = _clean(match.group(0))
        if ip_address(url.split("/", 1)[0].split(":", 1)[0]):
            found.append((match.start(), url))
            spans.append((match.start(), match.start() + len(url)))
    taken = _Spans(spans)
    in_email = _Spans([(m.start(), m.end()) for m in _EMAIL.finditer(text)])
    for match in _BARE_DOMAIN.finditer(text):
        start = match.start()
        if taken.covers(start) or in_email.covers(start):
            continue
        host = normalize_host(match.group(1))
        suffix = host.rsplit(".", 1)[-1]
        if suffix in _FILE_LIKE_SUFFIXES or not has_known_suffix(host):
            continue
        url = _clean(match.group(0))
        if url:
            found.append((start, url))
    found.sort()
    return list(dict.fromkeys(url for _, url in found))


def find_email_addresses(text: str) -> list[str]:
    if not text:
        return []
    addresses = []
    for match in _EMAIL.finditer(text):
        address = match.group(0).strip(".").lower()
        if has_known_suffix(normalize_host(match.group(1))):
            addresses.append(address)
    return list(dict.fromkeys(addresses))


def find_phone_numbers(text: str, region: str = DEFAULT_PHONE_REGION) -> list[str]:
    """Phone numbers in the text, in E.164 form; national ones are read as numbers of `region`."""
    if not text:
        return []
    numbers = []
    for match in _PHONE.finditer(text):
        written = match.group(0)
        # A national number written as one run of digits is at least 9 long (09 1234567, 040
        # 1234567); eight digits in a row are a one-time code more often than a phone number.
        if written.isdigit() and not written.startswith("00") and len(written) < 9:
            continue
        # The regex finds candidates in prose; the field's library decides what is a number.
        number = normalize_phone(written, region)
        if number and len(number) >= 10:  # "+" and at least 9 digits, as before
            numbers.append(number)
    return list(dict.fromkeys(numbers))

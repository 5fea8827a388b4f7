"""Senders that dress up as someone else: a well-known brand's name over an unrelated address, a
display name that shows another address, an address that is not one, hidden characters in names.

Brand-independent of the authority: these catch mail in a bank's, a parcel service's or a mail
provider's name, which the authority's own checks (sender.py) do not look at.
"""

from __future__ import annotations

import re
import unicodedata

from ..brands import (
    LETTER_SPACED_WORD,
    brand_in,
    domain_belongs_to,
    free_hosting,
    institution_in,
    shares_a_word,
)
from ..confusables import scripts
from ..domains import has_known_suffix, normalize_host, registrable_domain
from ..link_extraction import find_email_addresses
from ..message import domain_of
from ..policy import FREE_MAIL
from ..result import Finding

# Mailing lists and sharing services legitimately show the author's address: "ann@x.org via List".
_ON_BEHALF = re.compile(r"(?i)\b(?:via|on behalf of|through|kautta|genom)\b")
_HARMLESS_FORMAT = frozenset({"\u00ad"})  # a soft hyphen only marks where a word may break
# Letters that look like plain Latin ones but are not: small capitals, mathematical bold and
# italic letters, full-width letters. Filters that read words do not see "Nᴏᴛɪғɪᴄᴀᴄᴀᴏ" or "𝗣𝗮𝘆".
_LOOKALIKE_LETTER_RANGES = ((0x1D00, 0x1D7F), (0x1D400, 0x1D7FF), (0xFF21, 0xFF5A))
_LOOKALIKE_SCRIPTS = frozenset({"CYRILLIC", "GREEK", "ARMENIAN", "CHEROKEE"})
MAX_NAME_CHARS = 2000


def disguised_letters(text: str) -> int:
    """How many tricks hide the words of `text` from a reader's or a filter's eye: invisible
    format characters inside a Latin word, lookalike letters, Latin words with Cyrillic or
    Greek letters mixed in."""
    text = text[:MAX_NAME_CHARS]
    if text.isascii():  # no invisible, lookalike or mixed-script letter can be there
        return len(LETTER_SPACED_WORD.findall(text))
    count = 0
    for index in range(1, len(text) - 1):
        char = text[index]
        if char in _HARMLESS_FORMAT or unicodedata.category(char) != "Cf":
            continue
        after_index = index + 1
        while after_index < len(text) and unicodedata.category(text[after_index]) == "Cf":
            after_index += 1
        after = text[after_index] if after_index < len(text) else ""
        if _latin_letter(text[index - 1]) and _latin_letter(after):
            count += 1
    count += sum(
        1
        for char in text
        if any(low <= ord(char) <= high for low, high in _LOOKALIKE_LETTER_RANGES)
    )
    count += len(LETTER_SPACED_WORD.findall(text))
    for word in text.split():
        found = scripts(word)
        if "LATIN" in found and found & _LOOKALIKE_SCRIPTS:
            count += 1
    return count


def _latin_letter(char: str) -> bool:
    return bool(char) and char.isalpha() and "LATIN" in unicodedata.name(char, "")


_HOST_CHARACTERS = re.compile(r"^[^\W_](?:[\w.-]{0,251}[^\W_])?$")


def _valid_address(address: str) -> bool:
    local, at, domain = address.rpartition("@")
    domain = normalize_host(domain)
    return bool(
        local
        and at
        and "." in domain
        and _HOST_CHARACTERS.match(domain)
        and has_known_suffix(domain)
    )


def analyze(message, context) -> list[Finding]:
    if message.kind != "email":
        return []
    findings: list[Finding] = []
    address = message.from_address
    display = message.from_display
    from_domain = domain_of(address)
    if address and not _valid_address(address):
        findings.append(Finding("sender_address_invalid", "medium", {"address": address[:100]}))
    elif not address and display:
        findings.append(Finding("sender_address_invalid", "medium", {"address": display[:100]}))
    if context.policy.is_official_email_domain(from_domain):
        return findings
    brand = brand_in(display)
    if not brand and institution_in(display) and not shares_a_word(display, from_domain):
        brand = institution_in(display)
    if brand and from_domain and not domain_belongs_to(brand, from_domain):
        free_mail = registrable_domain(from_domain) in FREE_MAIL
        evidence = {"brand": brand, "domain": from_domain}
        findings.append(
            Finding("sender_brand_mismatch", "high" if free_mail else "medium", evidence)
        )
    if display and "@" in display and not _ON_BEHALF.search(display):
        shown = find_email_addresses(display)
        shown_domains = {registrable_domain(domain_of(a)) for a in shown}
        recipients = {a.lower() for a in message.to}
        if shown and registrable_domain(from_domain) not in shown_domains:
            evidence = {"shown": shown[0], "address": address}
            findings.append(Finding("sender_display_address", "medium", evidence))
        elif any(r and r in display.lower() for r in recipients):
            evidence = {"shown": next(r for r in recipients if r in display.lower())}
            evidence["address"] = address
            findings.append(Finding("sender_display_address", "medium", evidence))
    replies = [a for a in message.reply_to if registrable_domain(domain_of(a)) in FREE_MAIL]
    if (
        replies
        and registrable_domain(from_domain) not in FREE_MAIL
        and display
        and not shares_a_word(display, address)
    ):
        # A name that is not the sending account's, with answers going to a free-mail box: the
        # account was borrowed (often a school's or a town's) to send someone else's fraud.
        evidence = {"reply_to": replies[0], "address": address}
        findings.append(Finding("reply_to_free_mail", "medium", evidence))
    hosting = free_hosting(from_domain)
    if hosting:
        findings.append(Finding("sender_free_hosting", "low", {"domain": from_domain}))
    in_name, in_subject = disguised_letters(display), disguised_letters(message.subject)
    if in_name or in_subject:
        # A subject may use styled letters as decoration; a sender's name has no reason to.
        severity = "medium" if in_name or in_subject >= 3 else "low"
        where = "display_name" if in_name else "subject"
        findings.append(Finding("disguised_letters", severity, {"where": where}))
    return findings

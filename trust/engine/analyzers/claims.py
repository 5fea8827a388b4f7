"""Does the message speak in the authority's name? Sender, display name, opening or signature."""

from __future__ import annotations

import re

from ..message import ParsedMessage, domain_of
from ..result import Finding

# The message speaks as the authority: "this is the Finnish Immigration Service", "Migri: ...".
_SPEAKER_BEFORE = re.compile(
    r"(?i)(?:^\W{0,3}|\b(?:this is|from|on behalf of|här är|detta är|det här är|från|"
    r"på uppdrag av|tässä|täältä|täällä|"
    r"terveisin|hälsningar|regards)\W+(?:the\s+)?)$"
)
_SPEAKER_AFTER = re.compile(
    r"(?i)^\w*\W{0,3}(?::|\]|ilmoittaa|tiedottaa|muistuttaa|informerar|meddelar|påminner|"
    r"informs|notifies|here\b|täällä)"
)
_PHONE_SENDER = re.compile(r"^\s*\+?[\d\s().-]{6,}$")


def _speaks_as(policy, text: str) -> str:
    for match in policy.name_pattern.finditer(text):
        before = text[max(0, match.start() - 40) : match.start()]
        after = text[match.end() : match.end() + 20]
        if _SPEAKER_BEFORE.search(before) or _SPEAKER_AFTER.search(after):
            return match.group(0)
    return ""


def find_claim(message: ParsedMessage, context):
    from . import Claim

    policy = context.policy
    domain = domain_of(message.from_address)
    if domain and policy.is_official_email_domain(domain):
        return Claim("strong", "from_domain", domain)
    for where, value in (
        ("sender", message.sender),
        ("display_name", message.from_display),
        ("from_address", message.from_address.partition("@")[0]),
    ):
        name = policy.names_authority(value)
        if name:
            return Claim("strong", where, name)
    if domain and policy.classify(domain).kind == "lookalike":
        return Claim("strong", "from_domain", domain)
    # A sender that names itself (an address, an account) is who speaks; only an anonymous one
    # (a bare phone number, no sender at all) lets the text say who it claims to be.
    identified = bool(message.from_address or message.from_display) and not _PHONE_SENDER.match(
        message.from_display or message.sender or ""
    )
    body = message.body_text.strip()
    if body:
        if not identified:
            lines = body.splitlines()
            opening = " ".join(lines[:2])[:160]
            name = _speaks_as(policy, opening) or _speaks_as(policy, " ".join(lines[-2:])[-120:])
            if name:
                return Claim("strong", "text", name)
        name = policy.names_authority(body) or policy.names_authority(message.subject)
        if name:
            return Claim("weak", "mention", name)
    return Claim()


def analyze(message, context) -> list[Finding]:
    claim = context.claim
    if claim.strength == "none":
        return []
    code = "claims_authority" if claim.strong else "mentions_authority"
    return [Finding(code, "info", {"where": claim.where, "name": claim.name})]

"""Every link and address: official or not, lookalikes, shorteners, raw IPs, misleading text."""

from __future__ import annotations

import re

from ..awareness import WARNING_CONCEPTS, names_lure_address
from ..confusables import is_mixed_script
from ..domains import registrable_domain
from ..link_extraction import find_urls, parse_address
from ..message import domain_of
from ..policy import FREE_MAIL
from ..result import Finding
from .claims import identified

# Inflected too: "WhatsAppissa", "Telegramissa".
_MESSAGING_WORDS = re.compile(r"(?i)\b(whatsapp|telegram|viber|wechat)\w*|\b(signal)\b")


def _visible_host(text: str) -> str:
    if not text or "." not in text:
        return ""
    urls = find_urls(text)
    if not urls:
        return ""
    address = parse_address(urls[0])
    return address.host if address else ""


def _vouched_by_own_site(message, context) -> bool:
    """The sender names itself from its own (not free-mail, not lookalike) domain, and the
    message also links to that domain: phishing from a borrowed domain does not send readers to
    the borrowed site."""
    own = registrable_domain(message.from_domain)
    if not own or own in FREE_MAIL or not identified(message):
        return False
    if context.policy.classify(own).kind != "unknown":
        return False
    return any(registrable_domain(link.host) == own for link in message.links[:50])


def _link_findings(link, host_class, context, claims: bool) -> list[Finding]:
    findings = []
    host = link.host
    kind = host_class.kind
    if kind == "ip":
        findings.append(Finding("link_ip_address", "high", {"url": link.url[:200], "ip": host}))
    elif kind == "lookalike":
        evidence = {"domain": host, "imitates": host_class.imitates, "family": host_class.family}
        severity = "info" if names_lure_address(context, link) else "high"
        findings.append(Finding("link_lookalike", severity, evidence))
    elif kind == "shortener":
        findings.append(Finding("link_shortener", "medium" if claims else "low", {"domain": host}))
    elif kind == "messaging":
        findings.append(
            Finding("unofficial_contact_channel", "medium" if claims else "info", {"via": host})
        )
    elif kind == "unknown" and any(is_mixed_script(label) for label in host.split(".")):
        findings.append(Finding("link_mixed_script", "high", {"domain": host}))
    if link.address.userinfo and "." in link.address.userinfo:
        findings.append(
            Finding(
                "link_userinfo_trick",
                "high",
                {"shown": link.address.userinfo[:100], "domain": host},
            )
        )
    if link.source == "html":
        visible = _visible_host(link.text)
        if visible and registrable_domain(visible) != host_class.registrable:
            shown = context.policy.classify(visible)
            official_shown = shown.kind in ("official", "other_official")
            if official_shown or claims:
                severity = "high"
            elif shown.kind == "unknown" and _vouched_by_own_site(context.message, context):
                # An organisation writing from its own domain and linking to its own site too
                # names a third party's site by another of its names (Studyinfo.fi for
                # opintopolku.fi): a sign, but no disguise of who is writing.
                severity = "low"
            else:
                severity = "medium"
            findings.append(
                Finding("link_text_mismatch", severity, {"shown": visible, "domain": host})
            )
    return findings


def analyze(message, context) -> list[Finding]:
    policy = context.policy
    claims = context.claim.strong
    findings: list[Finding] = []
    seen: set[tuple[str, str, str]] = set()
    official_domains: set[str] = set()
    elsewhere: list[str] = []
    for link in message.links:
        if context.out_of_time():  # each new host costs a lookalike match
            context.cut_short("links")
            break
        key = (link.host, link.text, link.address.userinfo)
        if key in seen:
            continue
        seen.add(key)
        host_class = policy.classify(link.host)
        if host_class.kind in ("official", "other_official") or policy.is_official_social_link(
            link.host, link.url
        ):
            official_domains.add(host_class.registrable)
        elif host_class.kind == "unknown" and host_class.registrable not in elsewhere:
            elsewhere.append(host_class.registrable)
        if link.source == "form":
            findings.append(
                Finding(
                    "html_form",
                    "high" if host_class.kind != "official" else "medium",
                    {"domain": link.host},
                )
            )
        findings.extend(_link_findings(link, host_class, context, claims))
    if message.kind == "url":
        return findings
    if elsewhere:
        findings.append(
            Finding(
                "link_not_official",
                "low" if claims else "info",
                {"domains": ", ".join(elsewhere[:5])},
            )
        )
    if official_domains:
        findings.append(
            Finding("links_official", "info", {"domains": ", ".join(sorted(official_domains))})
        )
    findings.extend(_contact_findings(message, context, claims))
    return findings


def _contact_findings(message, context, claims: bool) -> list[Finding]:
    policy = context.policy
    findings: list[Finding] = []
    for address in message.email_addresses:
        domain = domain_of(address)
        host_class = policy.classify(domain)
        if host_class.kind == "lookalike":
            findings.append(
                Finding(
                    "email_address_lookalike",
                    "high",
                    {"address": address, "imitates": host_class.imitates},
                )
            )
        elif claims and registrable_domain(domain) in FREE_MAIL:
            findings.append(Finding("contact_address_not_official", "medium", {"address": address}))
    if claims:
        official = context.policy.official_phone_numbers
        others = [n for n in message.phone_numbers if n not in official]
        if others:
            findings.append(Finding("contact_phone_not_official", "medium", {"phone": others[0]}))
        # "If someone contacts you on WhatsApp, it is a scam" warns; it does not invite.
        match = next(
            (
                found
                for sentence in context.sentences
                if not sentence.concepts & WARNING_CONCEPTS
                for found in [_MESSAGING_WORDS.search(sentence.text)]
                if found
            ),
            None,
        )
        if match:
            findings.append(
                Finding(
                    "unofficial_contact_channel",
                    "medium",
                    {"via": match.group(1) or match.group(2)},
                )
            )
    return findings

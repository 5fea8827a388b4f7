"""Every DKIM signature verified with dkimpy; DMARC alignment of the From domain with the signer.

A valid signature aligned with an official sender domain is the proof that makes an email genuine.
Alignment follows DMARC: relaxed (same organisational domain by the Public Suffix List) unless the
From domain's DMARC record asks for strict (adkim=s). No DNS answer gives "dkim_unverifiable".
The message is parsed by dkimpy once and every signature verified from that one object; at most
MAX_DKIM_SIGNATURES are verified, and none in a message over MAX_DKIM_MESSAGE_BYTES (limits.py).
"""

from __future__ import annotations

import re
import time

import dkim

from ..dnsresolver import DnsUnavailable
from ..domains import registrable_domain
from ..limits import MAX_DKIM_MESSAGE_BYTES, MAX_DKIM_SIGNATURES, limit_finding
from ..result import Finding

_TAG = re.compile(rb"(?:^|;)\s*([a-z]+)\s*=\s*([^;]*)")


def _tags(value: bytes) -> dict[bytes, bytes]:
    return {name: re.sub(rb"\s+", b"", v) for name, v in _TAG.findall(value)}


def _parse(raw: bytes, timeout: float) -> tuple[dkim.DKIM | None, list[dict[bytes, bytes]]]:
    """dkimpy's parse of the message, done once, and the tags of its signatures in order."""
    try:
        verifier = dkim.DKIM(raw, timeout=timeout)
    except Exception:  # noqa: BLE001 (dkimpy on malformed input)
        return None, []
    signatures = [
        _tags(value) for name, value in verifier.headers if name.lower() == b"dkim-signature"
    ]
    return verifier, signatures


def _alignment_mode(from_domain: str, lookup) -> str:
    organisational = registrable_domain(from_domain)
    for name in dict.fromkeys((from_domain, organisational)):
        try:
            record = lookup(f"_dmarc.{name}")
        except DnsUnavailable:
            return "r"
        if record and record.lower().startswith(b"v=dmarc1"):
            tags = _tags(record.lower())
            return "s" if tags.get(b"adkim") == b"s" else "r"
    return "r"


def aligned(from_domain: str, signing_domain: str, mode: str) -> bool:
    if mode == "s":
        return from_domain == signing_domain
    return registrable_domain(from_domain) == registrable_domain(signing_domain)


def analyze(message, context) -> list[Finding]:
    if message.kind != "email" or not message.raw:
        return []
    official_from = context.policy.is_official_email_domain(message.from_domain)
    headers = message.header_values("dkim-signature")
    if not headers:
        return [
            Finding("dkim_missing", "info", {"official_sender": "yes" if official_from else "no"})
        ]
    if not context.config.dns_enabled or context.resolver is None:
        domains = ", ".join(
            _tags(value.encode("utf-8", "replace")).get(b"d", b"?").decode("ascii", "replace")
            for value in headers[:MAX_DKIM_SIGNATURES]
        )
        findings = [Finding("dkim_not_checked", "info", {"domains": domains})]
        if len(headers) > MAX_DKIM_SIGNATURES:
            findings.append(limit_finding("dkim_signatures"))
        return findings
    if len(message.raw) > MAX_DKIM_MESSAGE_BYTES:
        return [limit_finding("dkim_message_bytes")]
    if {"header_bytes", "header_fields"} & set(message.limits):
        return []  # the parser's own limit finding says that the header block was too large
    resolver = context.resolver
    verifier, signatures = _parse(message.raw, resolver.timeout)
    findings: list[Finding] = []
    if len(signatures) > MAX_DKIM_SIGNATURES:
        findings.append(limit_finding("dkim_signatures"))
        signatures = signatures[:MAX_DKIM_SIGNATURES]
    deadline = time.monotonic() + resolver.timeout * 2
    if context.deadline is not None:
        deadline = min(deadline, context.deadline)
    unavailable: list[str] = []

    def lookup(name: str) -> bytes | None:
        return resolver.txt(name, deadline)

    def dnsfunc(name, timeout=5):
        text_name = name.decode("ascii", "replace") if isinstance(name, bytes) else name
        try:
            return lookup(text_name)
        except DnsUnavailable as error:
            unavailable.append(text_name)
            raise dkim.DnsTimeoutError(str(error)) from error

    from_domain = message.from_domain
    mode = None
    for index, tags in enumerate(signatures):
        if context.out_of_time():
            context.cut_short("dkim_signatures")
            break
        domain = tags.get(b"d", b"").decode("ascii", "replace").lower().rstrip(".")
        evidence = {
            "domain": domain or "?",
            "selector": tags.get(b"s", b"").decode("ascii", "replace"),
        }
        before = len(unavailable)
        try:
            valid = verifier.verify(idx=index, dnsfunc=dnsfunc)
            reason = "" if valid else "signature does not match"
        except dkim.DKIMException as error:
            valid, reason = False, str(error)[:120]
        except Exception as error:  # noqa: BLE001 (dkimpy on malformed input)
            valid, reason = False, type(error).__name__
        if len(unavailable) > before:
            findings.append(Finding("dkim_unverifiable", "info", evidence))
            continue
        if not valid:
            official_signer = context.policy.is_official_email_domain(domain)
            severity = "high" if official_signer or official_from else "low"
            findings.append(Finding("dkim_invalid", severity, {**evidence, "reason": reason}))
            continue
        body_length = tags.get(b"l")
        if mode is None:
            mode = _alignment_mode(from_domain, lookup) if from_domain else "r"
        is_aligned = bool(from_domain) and aligned(from_domain, domain, mode)
        evidence["alignment"] = "strict" if mode == "s" else "relaxed"
        # dkimpy verifies whatever h= names, without requiring From (RFC 6376 5.4 does): a
        # signature that leaves From out, or a second From the signature cannot pin, proves nothing
        # about who sent the message.
        signed = [name.strip().lower() for name in tags.get(b"h", b"").split(b":")]
        from_pinned = b"from" in signed and len(message.header_values("from")) == 1
        if is_aligned and official_from and not body_length and from_pinned:
            findings.append(Finding("dkim_valid_official", "proof", evidence))
        elif is_aligned:
            findings.append(Finding("dkim_valid_aligned", "info", evidence))
        else:
            findings.append(Finding("dkim_valid_not_aligned", "info", evidence))
    return findings

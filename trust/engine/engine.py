"""The check engine: parse once, run the analyzers, let the verdict policy decide."""

from __future__ import annotations

from .analyzers import (
    Context,
    account_phishing,
    attachments,
    authentication_results,
    brand_sender,
    channel,
    claims,
    content,
    dkim_signatures,
    links,
    sender,
    verification_codes,
)
from .config import EngineConfig
from .dnsresolver import TxtResolver
from .indicators import collect
from .language import Vocabulary
from .message import ParsedMessage, parse_email, parse_text, parse_url
from .policy import DomainPolicy
from .result import CheckResult, Finding, MessageTooLarge
from .verdict import decide

ANALYZERS = (
    claims.analyze,
    sender.analyze,
    dkim_signatures.analyze,
    authentication_results.analyze,
    channel.analyze,
    links.analyze,
    content.analyze,
    attachments.analyze,
    verification_codes.analyze,
    brand_sender.analyze,
    account_phishing.analyze,
)
CHANNELS = ("email", "sms", "social")


class CheckEngine:
    """Build once (it indexes the lookalikes and stems the vocabulary); reuse for every check."""

    def __init__(self, config: EngineConfig):
        self.config = config
        self.policy = DomainPolicy(config)
        self.vocabulary = Vocabulary()
        self.resolver = (
            TxtResolver(config.dns_nameservers, config.dns_timeout) if config.dns_enabled else None
        )

    def check_email(self, raw: bytes) -> CheckResult:
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        self._check_size(len(raw))
        return self._run(parse_email(raw))

    def check_text(self, text: str, channel: str = "email", sender: str = "") -> CheckResult:
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        self._check_size(len(text))
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}")
        return self._run(parse_text(text, channel, sender))

    def check_url(self, url: str) -> CheckResult:
        self._check_size(len(url or ""))
        message = parse_url(url)
        result = self._run(message)
        if message.links and result.verdict == "unverified" and not result.findings:
            host_class = self.policy.classify(message.links[0].host)
            if host_class.kind in ("official", "other_official"):
                code = "url_official" if host_class.kind == "official" else "url_other_official"
                result.findings.append(Finding(code, "proof", {"domain": host_class.host}))
                result.verdict = "genuine"
            else:
                result.findings.append(Finding("url_unknown", "info", {"domain": host_class.host}))
        elif not message.links:
            result.findings.append(Finding("url_invalid", "info", {"url": (url or "")[:200]}))
        return result

    def _check_size(self, size: int) -> None:
        if size > self.config.max_message_bytes:
            raise MessageTooLarge(
                f"{size} bytes is over the limit of {self.config.max_message_bytes}"
            )

    def _run(self, message: ParsedMessage) -> CheckResult:
        context = Context(self.config, self.policy, self.vocabulary, self.resolver, message)
        findings: list[Finding] = []
        for analyzer in ANALYZERS:
            findings.extend(analyzer(message, context))
        for defect in message.defects:
            findings.append(Finding("message_malformed", "info", {"defect": defect}))
        verdict, findings = decide(findings)
        return CheckResult(
            verdict=verdict,
            findings=findings,
            indicators=collect(message, self.policy, self.config.phone_numbers),
            verification_codes=context.facts.get("verification_codes", []),
        )

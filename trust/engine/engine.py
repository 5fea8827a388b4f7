"""The check engine: parse once, run the analyzers, let the verdict policy decide."""

from __future__ import annotations

import time

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
from .language_detection import detect_language
from .limits import LIMIT_FINDING, TIME_BUDGET_FINDING, limit_finding
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

    def check_email(self, raw: bytes, recipient: str | None = None) -> CheckResult:
        """`recipient`: the address the person typed as the one the message came to, if any."""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        self._check_size(len(raw))
        started = time.monotonic()
        return self._run(parse_email(raw), started, recipient)

    def check_text(
        self, text: str, channel: str = "email", sender: str = "", recipient: str | None = None
    ) -> CheckResult:
        """`recipient`: the address or phone number the person typed, if any."""
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        # A character is at most four bytes: encode only when the length alone cannot tell.
        too_long = len(text) * 4 > self.config.max_message_bytes
        self._check_size(len(text.encode("utf-8", "surrogatepass")) if too_long else len(text))
        if channel not in CHANNELS:
            raise ValueError(f"channel must be one of {CHANNELS}")
        started = time.monotonic()
        return self._run(parse_text(text, channel, sender), started, recipient)

    def check_url(self, url: str) -> CheckResult:
        self._check_size(len((url or "").encode("utf-8", "surrogatepass")))
        started = time.monotonic()
        message = parse_url(url)
        result = self._run(message, started)
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

    def _run(
        self, message: ParsedMessage, started: float, recipient: str | None = None
    ) -> CheckResult:
        deadline = started + self.config.check_time_budget
        message.phone_region = self.config.phone_region
        context = Context(
            self.config,
            self.policy,
            self.vocabulary,
            self.resolver,
            message,
            recipient=recipient,
            deadline=deadline,
        )
        findings: list[Finding] = []
        skipped: list[str] = []
        for analyzer in ANALYZERS:
            # Out of time, the check answers with what it has and says what it did not look at.
            if context.out_of_time():
                skipped.append(analyzer.__module__.rsplit(".", 1)[-1])
                continue
            findings.extend(analyzer(message, context))
        if skipped or context.facts.get("cut_short"):
            evidence = {"skipped": ", ".join(skipped) or "-"}
            if context.facts.get("cut_short"):
                evidence["cut_short"] = ", ".join(context.facts["cut_short"])
            findings.append(Finding(TIME_BUDGET_FINDING, "medium", evidence))
        # Read here, whether or not an analyzer needed them, so that their cap is reported too.
        _ = message.email_addresses, message.phone_numbers
        reported = {f.evidence.get("limit") for f in findings if f.code == LIMIT_FINDING}
        for limit in message.limits:
            if limit not in reported:
                findings.append(limit_finding(limit))
        for defect in message.defects:
            findings.append(Finding("message_malformed", "info", {"defect": defect}))
        verdict, findings = decide(findings)
        return CheckResult(
            verdict=verdict,
            findings=findings,
            indicators=collect(message, self.policy, self.config.phone_region),
            verification_codes=context.facts.get("verification_codes", []),
            message_language=detect_language(message.body_text) if message.kind != "url" else "",
        )

"""What a check returns: findings (code, severity, evidence) and the verdict drawn from them."""

from __future__ import annotations

from dataclasses import dataclass, field

SEVERITIES = ("info", "low", "medium", "high", "proof")
VERDICTS = ("genuine", "scam", "suspicious", "unverified")


class MessageTooLarge(ValueError):
    """The input is larger than EngineConfig.max_message_bytes; it was not parsed."""


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    evidence: dict[str, str] = field(default_factory=dict, hash=False, compare=True)

    def __post_init__(self):
        if self.severity not in SEVERITIES:
            raise ValueError(f"unknown severity {self.severity!r}")

    def to_dict(self) -> dict:
        return {"code": self.code, "severity": self.severity, "evidence": dict(self.evidence)}


def empty_indicators() -> dict[str, list[str]]:
    return {"domains": [], "urls": [], "email_addresses": [], "phone_numbers": []}


@dataclass
class CheckResult:
    verdict: str
    findings: list[Finding] = field(default_factory=list)
    indicators: dict[str, list[str]] = field(default_factory=empty_indicators)
    verification_codes: list[dict] = field(default_factory=list)
    # "fi", "sv" or "en" when the message is certainly written in it, else "" (pages mark quoted
    # text with it: WCAG 3.1.2). Not part of to_dict(): a fact about the text, not a finding.
    message_language: str = ""

    def codes(self) -> list[str]:
        return [finding.code for finding in self.findings]

    def has(self, code: str) -> bool:
        return any(finding.code == code for finding in self.findings)

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "findings": [finding.to_dict() for finding in self.findings],
            "indicators": {key: list(values) for key, values in self.indicators.items()},
            "verification_codes": [dict(code) for code in self.verification_codes],
        }

"""The one verdict policy: findings in, verdict out. The findings, not a score, explain it."""

from __future__ import annotations

from .result import Finding

# One of these alone is strong evidence of impersonation or fraud.
CONCLUSIVE = frozenset({
    "link_lookalike", "sender_domain_lookalike", "sender_impersonation", "email_address_lookalike",
    "link_userinfo_trick", "social_media_request", "social_account_impersonation",
    "attachment_executable", "attachment_html_form", "attachment_macro_document",
    "verification_code_in_altered_message", "verification_code_invalid", "dmarc_fail",
    "sms_sender_not_official", "attachment_double_extension", "link_mixed_script",
})  # fmt: skip
PROOF_CODES = frozenset({"dkim_valid_official", "verification_code_valid"})
# Asking for these in the authority's name is what the seed calls a scam: the authority asks for
# them only inside the e-service.
REQUESTS_THE_AUTHORITY_NEVER_MAKES = frozenset({"sensitive_data_request", "payment_request"})


def decide(findings: list[Finding]) -> tuple[str, list[Finding]]:
    """(verdict, findings with any the policy itself adds)."""
    by_severity: dict[str, list[Finding]] = {
        "info": [],
        "low": [],
        "medium": [],
        "high": [],
        "proof": [],
    }
    for finding in findings:
        by_severity[finding.severity].append(finding)
    high, medium, low = by_severity["high"], by_severity["medium"], by_severity["low"]
    proofs = by_severity["proof"]
    if proofs:
        if not high:
            return "genuine", findings
        if any(p.code == "verification_code_valid" for p in proofs):
            code = next(p for p in proofs if p.code == "verification_code_valid").evidence["code"]
            altered = Finding(
                "verification_code_in_altered_message",
                "high",
                {"code": code, "because": ", ".join(sorted({f.code for f in high}))},
            )
            return "scam", [*findings, altered]
        return "suspicious", findings
    high_codes = {f.code for f in high}
    claims_authority = any(f.code == "claims_authority" for f in findings)
    if high_codes & CONCLUSIVE or len(high_codes) >= 2 or (high and medium):
        return "scam", findings
    if claims_authority and high_codes & REQUESTS_THE_AUTHORITY_NEVER_MAKES:
        return "scam", findings
    if high or len({f.code for f in medium}) >= 1:
        return "suspicious", findings
    if len({f.code for f in low}) >= 3:
        return "suspicious", findings
    return "unverified", findings

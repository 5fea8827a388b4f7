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
# Medium findings about the envelope, not the content: a genuine notification may carry them.
_NOT_CONTENT = frozenset({"return_path_elsewhere"})
# Low findings that no notification of ours carries: links and contacts outside our channels.
_FOREIGN_CONTENT = frozenset({"link_not_official", "link_shortener", "unofficial_contact_channel"})
PROOF_CODES = frozenset({"dkim_valid_official", "verification_code_valid"})
# Asking for these in the authority's name is what the seed calls a scam: the authority asks for
# them only inside the e-service.
REQUESTS_THE_AUTHORITY_NEVER_MAKES = frozenset({"sensitive_data_request", "payment_request"})
# The check did not read everything (a cap in limits.py or the time budget was reached): what was
# left unread may contradict a proof, so no proof makes such a message genuine. Both findings are
# medium, so without a proof the verdict is at least suspicious too.
INCOMPLETE_CHECK = frozenset({"input_limit_reached", "check_time_budget_exceeded"})


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
        code_proof = next((p for p in proofs if p.code == "verification_code_valid"), None)
        # A code proves that we sent a message carrying it, not what the message says now (a
        # DKIM signature covers the content): a code alone does not vouch for foreign links.
        doubts = [f for f in findings if f.code in INCOMPLETE_CHECK]
        if all(p.code == "verification_code_valid" for p in proofs):
            doubts = [f for f in medium if f.code not in _NOT_CONTENT] + [
                f for f in low if f.code in _FOREIGN_CONTENT
            ]
        if not high and not doubts:
            return "genuine", findings
        if code_proof is not None:
            altered = Finding(
                "verification_code_in_altered_message",
                "high" if high else "medium",
                {
                    "code": code_proof.evidence["code"],
                    "because": ", ".join(sorted({f.code for f in high or doubts})),
                },
            )
            return ("scam" if high else "suspicious"), [*findings, altered]
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

"""The one verdict policy: findings in, verdict out. The findings, not a score, explain it."""

from __future__ import annotations

from .domains import registrable_domain
from .result import Finding

# One of these alone is strong evidence of impersonation or fraud.
CONCLUSIVE = frozenset({
    "link_lookalike", "sender_domain_lookalike", "sender_impersonation", "email_address_lookalike",
    "link_userinfo_trick", "social_media_request", "social_account_impersonation",
    "attachment_executable", "attachment_html_form", "attachment_macro_document",
    "verification_code_in_altered_message", "verification_code_invalid", "dmarc_fail",
    "sms_sender_not_official", "attachment_double_extension", "link_mixed_script",
    "official_sender_unsigned",
})  # fmt: skip
# Medium findings about the envelope, not the content: a genuine notification may carry them.
_NOT_CONTENT = frozenset({"return_path_elsewhere"})
# Low findings that no notification of ours carries: links and contacts outside our channels.
_FOREIGN_CONTENT = frozenset({"link_not_official", "link_shortener", "unofficial_contact_channel"})
# Asking for these in the authority's name is what the seed calls a scam: the authority asks for
# them only inside the e-service.
REQUESTS_THE_AUTHORITY_NEVER_MAKES = frozenset({
    "sensitive_data_request", "payment_request", "link_action_not_official",
})  # fmt: skip
# Speaking in the authority's name: naming it as the speaker, or acting in its role unnamed.
_CLAIMS = frozenset({"claims_authority", "claims_authority_role"})


# What our own mail never carries: with one of these, an official From without our valid signature
# is forged or was altered on the way (whatever the severity the analyzer gave it).
_NEVER_IN_OUR_MAIL = frozenset({
    "link_not_official", "link_shortener", "link_lookalike", "link_ip_address", "link_mixed_script",
    "link_userinfo_trick", "link_text_mismatch", "html_form", "unofficial_contact_channel",
    "contact_address_not_official", "contact_phone_not_official", "email_address_lookalike",
    "sensitive_data_request", "payment_request",
})  # fmt: skip
# Requests count only as the content analyzer weighed them: one it played down (a warning that
# names the lures it warns of) is not a request our mail would never make.
_REQUESTS = frozenset({"sensitive_data_request", "payment_request"})
# Signatures that were there but could not be checked (DNS off or not answering).
_SIGNATURE_UNCHECKED = frozenset({"dkim_not_checked", "dkim_unverifiable"})


def _signature_may_still_prove(findings: list[Finding], from_domain: str) -> bool:
    """An unchecked signature aligned with the From domain: we cannot say the mail is unsigned."""
    organisational = registrable_domain(from_domain)
    for finding in findings:
        if finding.code in _SIGNATURE_UNCHECKED:
            domains = finding.evidence.get("domains") or finding.evidence.get("domain") or ""
            for domain in domains.split(","):
                domain = domain.strip().lower().rstrip(".")
                if domain and registrable_domain(domain) == organisational:
                    return True
    return False


def _official_sender_unsigned(findings: list[Finding]) -> Finding | None:
    """Our own mail is always signed: an official From without our valid signature that carries
    foreign links, data or payment requests was forged or altered on the way."""
    official_from = next((f for f in findings if f.code == "from_official_domain"), None)
    if official_from is None or any(f.code == "dkim_valid_official" for f in findings):
        return None
    from_domain = official_from.evidence.get("domain", "")
    if _signature_may_still_prove(findings, from_domain):
        return None
    foreign = sorted(
        {
            f.code
            for f in findings
            if f.code in _NEVER_IN_OUR_MAIL
            and not (f.code in _REQUESTS and f.severity in ("info", "low"))
        }
    )
    if not foreign:
        return None
    return Finding(
        "official_sender_unsigned", "high", {"domain": from_domain, "because": ", ".join(foreign)}
    )


# The check did not read everything (a cap in limits.py or the time budget was reached): what was
# left unread may contradict a proof, so no proof makes such a message genuine. Both findings are
# medium, so without a proof the verdict is at least suspicious too.
INCOMPLETE_CHECK = frozenset({"input_limit_reached", "check_time_budget_exceeded"})


def decide(findings: list[Finding]) -> tuple[str, list[Finding]]:
    """(verdict, findings with any the policy itself adds)."""
    unsigned = _official_sender_unsigned(findings)
    if unsigned is not None:
        findings = [*findings, unsigned]
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
    claims_authority = any(f.code in _CLAIMS for f in findings)
    if high_codes & CONCLUSIVE or len(high_codes) >= 2 or (high and medium):
        return "scam", findings
    if claims_authority and high_codes & REQUESTS_THE_AUTHORITY_NEVER_MAKES:
        return "scam", findings
    if high or len({f.code for f in medium}) >= 1:
        return "suspicious", findings
    if len({f.code for f in low}) >= 3:
        return "suspicious", findings
    return "unverified", findings

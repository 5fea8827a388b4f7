"""SPF and DMARC results read from Authentication-Results, trusting only what a receiver added.

Only the topmost header (added by the last receiving server) or headers from the configured trusted
receiving servers count: anything below can be written by the sender, as SpamAssassin's AuthRes
plugin knows. A pass is never proof of `genuine` on its own; a fail is evidence of spoofing.
"""

from __future__ import annotations

import re

from ..result import Finding

_RESULT = re.compile(r"(?i)\b(spf|dmarc|dkim)\s*=\s*([a-z]+)")


def parse(value: str) -> tuple[str, dict[str, str]]:
    """(authserv-id, {method: result}) of one Authentication-Results value; first result wins."""
    authserv, _, rest = value.partition(";")
    authserv_id = authserv.strip().split()[0].lower() if authserv.strip() else ""
    results: dict[str, str] = {}
    for method, result in _RESULT.findall(rest):
        results.setdefault(method.lower(), result.lower())
    return authserv_id, results


def trusted_results(message, context) -> list[tuple[str, dict[str, str]]]:
    headers = message.header_values("authentication-results")
    if not headers:
        return []
    trusted_ids = {i.lower() for i in context.config.trusted_authserv_ids}
    parsed = [parse(value) for value in headers]
    if trusted_ids:
        return [item for item in parsed if item[0] in trusted_ids]
    return parsed[:1]


def analyze(message, context) -> list[Finding]:
    if message.kind != "email":
        return []
    findings: list[Finding] = []
    trusted = trusted_results(message, context)
    official = context.policy.is_official_email_domain(message.from_domain)
    for authserv_id, results in trusted:
        spf, dmarc = results.get("spf"), results.get("dmarc")
        if dmarc == "fail":
            severity = "high" if official or context.claim.strong else "medium"
            findings.append(Finding("dmarc_fail", severity, {"receiver": authserv_id}))
        elif dmarc == "pass":
            findings.append(Finding("dmarc_pass_reported", "info", {"receiver": authserv_id}))
        if spf in ("fail", "softfail"):
            severity = "medium" if official else "low"
            findings.append(Finding("spf_fail", severity, {"receiver": authserv_id, "result": spf}))
        elif spf == "pass":
            findings.append(Finding("spf_pass_reported", "info", {"receiver": authserv_id}))
    untrusted = len(message.header_values("authentication-results")) - len(trusted)
    if untrusted > 0:
        findings.append(
            Finding("authentication_results_ignored", "info", {"count": str(untrusted)})
        )
    return findings

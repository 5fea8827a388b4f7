"""Email senders: a From that claims the authority from elsewhere; replies and bounces elsewhere."""

from __future__ import annotations

from ..domains import registrable_domain
from ..message import domain_of
from ..policy import FREE_MAIL
from ..result import Finding


def analyze(message, context) -> list[Finding]:
    if message.kind != "email" or not message.from_address:
        return []
    policy = context.policy
    findings: list[Finding] = []
    from_domain = domain_of(message.from_address)
    official = policy.is_official_email_domain(from_domain)
    host = policy.classify(from_domain) if from_domain else None
    if official:
        findings.append(Finding("from_official_domain", "info", {"domain": from_domain}))
    elif host and host.kind == "lookalike":
        findings.append(
            Finding(
                "sender_domain_lookalike",
                "high",
                {"domain": from_domain, "imitates": host.imitates, "family": host.family},
            )
        )
    elif host and host.kind in ("official", "other_official"):
        pass  # a web domain of the authority or a partner used as a sender: not an impersonation
    else:
        name = policy.names_authority(message.from_display) or policy.names_authority(
            message.from_address.partition("@")[0]
        )
        if name and not policy.domain_carries_name(from_domain, name):
            evidence = {"display_name": message.from_display or message.from_address, "name": name}
            evidence["domain"] = from_domain
            if registrable_domain(from_domain) in FREE_MAIL:
                evidence["free_mail"] = "yes"
            findings.append(Finding("sender_impersonation", "high", evidence))
    from_registrable = registrable_domain(from_domain)
    claims = context.claim.strong
    for address in message.reply_to:
        domain = domain_of(address)
        if not domain or registrable_domain(domain) == from_registrable:
            continue
        if policy.is_official_email_domain(domain):
            continue
        severity = "high" if official else "medium" if claims else "low"
        findings.append(
            Finding("reply_to_elsewhere", severity, {"address": address, "from": from_domain})
        )
    return_domain = domain_of(message.return_path)
    if (
        return_domain
        and registrable_domain(return_domain) != from_registrable
        and not policy.is_official_email_domain(return_domain)
    ):
        severity = "medium" if official else "low" if claims else "info"
        findings.append(
            Finding(
                "return_path_elsewhere",
                severity,
                {"address": message.return_path, "from": from_domain},
            )
        )
    return findings

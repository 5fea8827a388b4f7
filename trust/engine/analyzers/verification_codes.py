"""The platform's own verification codes (Crockford base32, XXXX-XXXX-XXXX) found in the text.

A code proves only that we sent it to one recipient. It vouches for a message only when checked
against the address or phone number the person typed in themselves (`context.recipient`), never
against anything the message says about itself (its To: header was written by whoever wrote it).
An email file is vouched for only by our DKIM signature: a code in it lifts nothing.
"""

from __future__ import annotations

import re

from ..result import Finding

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z-])([0-9A-Za-z]{4})[-‐–\s]([0-9A-Za-z]{4})[-‐–\s]([0-9A-Za-z]{4})(?![0-9A-Za-z-])"
)
# "Verification code:", "Tarkistuskoodi:", "kontrollkod:", and our footer's "Verification code of
# this message:" (whose English puts words between the label and the code).
_LABEL = re.compile(
    r"(?i)(verification|tarkistus|kontroll|check|code|koodi|kod)\w*(\s+of\s+this\s+message)?"
    r"\W{0,5}$"
)
_CROCKFORD = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})

# Our notifications carry exactly one code. Only this many distinct codes are looked up, so that a
# message costs a constant number of database queries and rate-limit rows whatever it holds.
MAX_CODES_CHECKED = 3
# Beyond those, this many more are listed as unchecked; the rest are only counted as "more".
MAX_CODES_LISTED = 10
# What the result says of each code (the API's verification_codes[].status).
STATUS = {
    "verification_code_valid": "confirmed",
    "verification_code_confirmed_email": "confirmed",
    "verification_code_ours_unconfirmed": "ours",
    "verification_code_other_recipient": "other_recipient",
    "verification_code_invalid": "unknown",
    "verification_code_unchecked": "unchecked",
}


def normalize_code(text: str) -> str:
    """Upper case, O→0, I/L→1, groups joined by hyphens; '' if not a code."""
    compact = re.sub(r"[\s\-‐–]", "", text or "").upper().translate(_TRANSLATE)
    if len(compact) != 12 or not set(compact) <= _CROCKFORD:
        return ""
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def find_codes(text: str, limit: int | None = None) -> list[str]:
    """Distinct codes in order of appearance; at most `limit` of them (the scan stops there)."""
    codes: dict[str, None] = {}
    for match in _CANDIDATE.finditer(text or ""):
        raw = "".join(match.groups())
        code = normalize_code(raw)
        if not code or code in codes:
            continue
        labelled = bool(_LABEL.search(text[max(0, match.start() - 40) : match.start()]))
        if labelled or any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw):
            codes[code] = None
            if limit is not None and len(codes) >= limit:
                break
    return list(codes)


def _ask(checker, code: str, recipient: str | None) -> bool | None:
    """The checker's answer: True, False, or None when it could not answer (rate limit, error)."""
    try:
        answer = checker(code, recipient)
    except Exception:  # noqa: BLE001 (a failing checker must not fail the whole check)
        return None
    return None if answer is None else bool(answer)


def _checked_finding(code: str, checker, recipient: str | None, message, context) -> Finding:
    ours = _ask(checker, code, None)
    if ours is None:
        return Finding("verification_code_unchecked", "info", {"code": code})
    if not ours:
        if context.claim.strength != "none":
            return Finding("verification_code_invalid", "high", {"code": code})
        return Finding("verification_code_unchecked", "info", {"code": code})
    if not recipient:
        # Ours, but sent to someone we cannot name: perhaps to the very person who pasted it here.
        return Finding("verification_code_ours_unconfirmed", "info", {"code": code})
    sent_to_them = _ask(checker, code, recipient)
    if sent_to_them is None:
        return Finding("verification_code_unchecked", "info", {"code": code})
    if not sent_to_them:
        return Finding("verification_code_other_recipient", "medium", {"code": code})
    if message.kind == "email":
        # The text of an email file can be changed around a genuine code; our signature cannot.
        return Finding("verification_code_confirmed_email", "info", {"code": code})
    return Finding("verification_code_valid", "proof", {"code": code})


def analyze(message, context) -> list[Finding]:
    if message.kind == "url":
        return []
    checker = context.config.verification_code_checker
    recipient = (context.recipient or "").strip() or None
    codes = find_codes(message.body_text, MAX_CODES_CHECKED + MAX_CODES_LISTED + 1)
    results = []
    findings: list[Finding] = []
    for index, code in enumerate(codes[: MAX_CODES_CHECKED + MAX_CODES_LISTED]):
        if checker is None or index >= MAX_CODES_CHECKED:
            finding = Finding("verification_code_unchecked", "info", {"code": code})
        else:
            finding = _checked_finding(code, checker, recipient, message, context)
        findings.append(finding)
        results.append(
            {
                "code": code,
                "valid": finding.code == "verification_code_valid",
                "status": STATUS[finding.code],
            }
        )
    if len(codes) > MAX_CODES_CHECKED:
        shown = (
            str(len(codes))
            if len(codes) <= MAX_CODES_CHECKED + MAX_CODES_LISTED
            else (f"{MAX_CODES_CHECKED + MAX_CODES_LISTED}+")
        )
        findings.append(
            Finding(
                "verification_codes_too_many",
                "medium",
                {"count": shown, "checked": str(MAX_CODES_CHECKED)},
            )
        )
    context.facts["verification_codes"] = results
    return findings

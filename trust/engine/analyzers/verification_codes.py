"""The platform's own verification codes (Crockford base32, XXXX-XXXX-XXXX) found in the text."""

from __future__ import annotations

import re

from ..result import Finding

_CANDIDATE = re.compile(
    r"(?<![0-9A-Za-z-])([0-9A-Za-z]{4})[-‐–\s]([0-9A-Za-z]{4})[-‐–\s]([0-9A-Za-z]{4})(?![0-9A-Za-z-])"
)
_LABEL = re.compile(r"(?i)(verification|tarkistus|kontroll|check|code|koodi|kod)\w*\W{0,5}$")
_CROCKFORD = frozenset("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def normalize_code(text: str) -> str:
    """Upper case, O→0, I/L→1, groups joined by hyphens; '' if not a code."""
    compact = re.sub(r"[\s\-‐–]", "", text or "").upper().translate(_TRANSLATE)
    if len(compact) != 12 or not set(compact) <= _CROCKFORD:
        return ""
    return f"{compact[:4]}-{compact[4:8]}-{compact[8:]}"


def find_codes(text: str) -> list[str]:
    codes = []
    for match in _CANDIDATE.finditer(text or ""):
        raw = "".join(match.groups())
        code = normalize_code(raw)
        if not code:
            continue
        labelled = bool(_LABEL.search(text[max(0, match.start() - 40) : match.start()]))
        if labelled or any(c.isdigit() for c in raw) and any(c.isalpha() for c in raw):
            codes.append(code)
    return list(dict.fromkeys(codes))


def analyze(message, context) -> list[Finding]:
    if message.kind == "url":
        return []
    codes = find_codes(message.body_text)
    checker = context.config.verification_code_checker
    recipient = message.to[0] if message.to else None
    results = []
    findings: list[Finding] = []
    for code in codes:
        valid = None
        if checker is not None:
            try:
                valid = bool(checker(code, recipient))
            except Exception:  # noqa: BLE001 (a failing checker must not fail the whole check)
                valid = None
        results.append({"code": code, "valid": bool(valid)})
        if valid:
            findings.append(Finding("verification_code_valid", "proof", {"code": code}))
        elif valid is False and context.claim.strength != "none":
            findings.append(Finding("verification_code_invalid", "high", {"code": code}))
        else:
            findings.append(Finding("verification_code_unchecked", "info", {"code": code}))
    context.facts["verification_codes"] = results
    return findings

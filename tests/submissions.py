"""What the double-submission tests share: reading a page's one-time submission token, and the
list of templates whose POST forms must each carry one (tests/test_submission_tokens.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FORM = re.compile(r"<form\b[^>]*>(.*?)</form>", re.S | re.I)
TOKEN = re.compile(r'name="submission_token" value="([A-Za-z0-9_-]+)"')


def token_in(html: str) -> str:
    match = TOKEN.search(html)
    assert match, "the form carries no submission token"
    return match.group(1)


def token_from(response) -> str:
    return token_in(response.content.decode())


def _templates(app: str, pattern: str = "*.html") -> list[Path]:
    return sorted((ROOT / app / "templates").rglob(pattern))


# Every template with a state-changing form, app by app.
STATE_CHANGING_TEMPLATES = [
    *_templates("applications"),
    *_templates("casework"),
    *_templates("securemail"),
    *(
        path
        for path in _templates("accounts")
        # Signing in and out is repeatable as it is; the second-factor pages change the session
        # key, so a token kept in the old session could not lead the second click anywhere.
        if path.stem not in {"sign_in", "sign_out", "otp_setup", "otp_verify"}
    ),
    *_templates("payments"),
    # The trust center: the public report form and the security team's pages (the check page
    # changes nothing; its "report this" form is tested on its own).
    ROOT / "trust" / "templates" / "trust" / "report.html",
    *sorted((ROOT / "trust" / "templates" / "trust" / "team").glob("*.html")),
]

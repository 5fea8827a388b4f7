"""Helpers for the accounts tests: codes read from mail, TOTP codes computed from a device's key."""

from __future__ import annotations

import re
from html import unescape

from django_otp.oath import totp

CSRF_INPUT = re.compile(rb'name="(?:csrfmiddlewaretoken|submission_token)" value="[^"]+"')
RECOVERY_LIST = re.compile(r'<ul class="recovery-codes">(.*?)</ul>', re.S)
RECOVERY_ITEM = re.compile(r"<li><code>([^<]+)</code></li>")


def code_from(mail) -> str:
    """The 8-digit code in a mail received by the SMTP server, or in Django's locmem outbox."""
    text = mail.body if hasattr(mail, "body") else mail.text
    match = re.search(r"\b(\d{8})\b", text)
    assert match, "no code in the mail"
    return match.group(1)


def totp_now(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def without_tokens(content: bytes) -> bytes:
    """A page with its per-request parts (the CSRF and form tokens) removed, to compare pages."""
    return CSRF_INPUT.sub(b"", content)


def recovery_codes_shown(response) -> list[str]:
    """The recovery codes listed on the page that shows them once."""
    listing = RECOVERY_LIST.search(response.content.decode())
    assert listing, "no recovery codes on the page"
    return [unescape(code) for code in RECOVERY_ITEM.findall(listing.group(1))]

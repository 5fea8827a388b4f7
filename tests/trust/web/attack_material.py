"""An attacker's material: a real verification code the platform sent to the attacker's own address
(by really registering), and messages of the attacker's making that carry it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core import mail

ATTACKER = "attacker@example.net"
VICTIM = "victim@example.org"
PASSWORD = "purple elephants dance quietly"
_CODE = re.compile(r"Verification code of this message: (\S{4}-\S{4}-\S{4})")


@dataclass(frozen=True)
class AttackerCode:
    code: str
    notification_text: str  # our own notification's plain text, unaltered
    raw: bytes  # the notification as it was sent


def code_sent_to_the_attacker(
    client, django_capture_on_commit_callbacks, smtp_server=None
) -> AttackerCode:
    """Register an account for the attacker's own address: the confirmation mail carries a code.
    With `smtp_server`, the mail really goes out over SMTP (signed, with the DKIM backend)."""
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/accounts/register/",
            {
                "email": ATTACKER,
                "new_password1": PASSWORD,
                "new_password2": PASSWORD,
                "preferred_language": "en",
            },
        )
    if smtp_server is not None:
        captured = smtp_server.outbox[-1]
        assert captured.envelope_to == [ATTACKER]
        text, raw = captured.text, captured.raw
    else:
        sent = mail.outbox[-1]
        assert sent.to == [ATTACKER]
        text, raw = sent.body, bytes(sent.message().as_bytes())
    code = _CODE.search(text).group(1)
    return AttackerCode(code, text, raw)


def scam_text(code: str) -> str:
    """The attacker's own message around the real code."""
    return (
        "Finnish Immigration Service: your residence permit application is missing a fee. "
        "Pay the 49 EUR processing fee today at https://migri-payments.example/pay or the "
        f"application is cancelled.\nVerification code of this message: {code}"
    )


def forged_eml(body: str, *, to: str = ATTACKER) -> bytes:
    """From our notification address, To: the attacker, no DKIM signature."""
    return (
        "From: Finnish Immigration Service <noreply@migri.fi>\r\n"
        f"To: {to}\r\n"
        "Delivered-To: " + to + "\r\n"
        "Subject: Your residence permit\r\n"
        "Date: Mon, 30 Nov 2026 10:00:00 +0200\r\n"
        "Message-ID: <forged-1@migri.fi>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n" + body.replace("\n", "\r\n") + "\r\n"
    ).encode("utf-8")


def attacker_messages(code: AttackerCode) -> dict[str, tuple[str, bytes]]:
    """name -> (content kind, content): every message the attacker can make with the code."""
    return {
        "scam_text": ("text", scam_text(code.code).encode()),
        "copied_notification_text": ("text", code.notification_text.encode()),
        "forged_eml_scam": ("eml", forged_eml(scam_text(code.code))),
        "forged_eml_copied_notification": ("eml", forged_eml(code.notification_text)),
    }

"""Helpers shared by the trust center's web and report tests."""

from __future__ import annotations

from trust.engine import CheckResult, Finding

SCAM_TEXT = (
    "Maahanmuuttovirasto: your residence permit application is missing documents. "
    "Send your passport number, date of birth and bank statements within 24 hours "
    "or your application will be rejected. Log in at https://migri-fi.com/login to continue."
)


def scam_result(*, domains=("migri-fi.com",), urls=(), email_addresses=(), phone_numbers=()):
    """A CheckResult as the engine gives it for a scam (for tests that store reports directly)."""
    return CheckResult(
        verdict="scam",
        findings=[Finding("lookalike_domain", "high", {"domain": domains[0] if domains else ""})],
        indicators={
            "domains": sorted(domains),
            "urls": sorted(urls),
            "email_addresses": sorted(email_addresses),
            "phone_numbers": sorted(phone_numbers),
        },
    )


def small_eml(
    *, sender="Migri <info@migri-fi.com>", to="victim@example.org", body=SCAM_TEXT
) -> bytes:
    return (
        f"From: {sender}\r\n"
        f"To: {to}\r\n"
        "Subject: Your residence permit\r\n"
        "Date: Mon, 02 Nov 2026 10:00:00 +0200\r\n"
        "Message-ID: <scam-1@migri-fi.com>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"{body}\r\n"
    ).encode()


def section(html: str, marker: str = '<section class="verdict') -> str:
    """The first <section> starting with `marker`, for comparing answers."""
    start = html.index(marker)
    return html[start : html.index("</section>", start)]

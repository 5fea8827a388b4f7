"""The one spelling of an email address that identifies an account.

Sign-in, django-axes' lock-out counts, rate limits and registration all key on this spelling, so
that "Anna@Example.org" and "anna@example.org" are one account with one lock-out count: counting
the typed spelling would give every case variant its own five guesses.
"""

from __future__ import annotations


def email_normalize(value: str | None) -> str:
    """Trimmed and lower-cased, local part included.

    Mail servers may treat the local part as case-sensitive, but no two people get addresses that
    differ only in case in practice, and registration has always stored addresses lower-cased.
    Linear in the input; the forms bound it to 254 characters.
    """
    return (value or "").strip().lower()


def axes_username(request, credentials: dict | None) -> str:
    """django-axes' AXES_USERNAME_CALLABLE: the account a sign-in attempt is counted against."""
    if credentials and credentials.get("username") is not None:
        return email_normalize(credentials["username"])
    data = getattr(request, "POST", None) or {}
    return email_normalize(data.get("username"))

"""The engine's configuration: the authority's official channels and the DNS settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.phones import DEFAULT_PHONE_REGION

VerificationCodeChecker = Callable[[str, "str | None"], bool]


@dataclass(frozen=True)
class EngineConfig:
    official_web_domains: tuple[str, ...] = ()
    other_official_web_domains: tuple[str, ...] = ()
    official_email_domains: tuple[str, ...] = ()
    authority_names: tuple[str, ...] = ()
    sms_sender_names: tuple[str, ...] = ()
    social_media_accounts: tuple[tuple[str, str], ...] = ()
    phone_numbers: tuple[str, ...] = ()
    # The region national phone numbers are read in (ISO 3166 code): the authority's country.
    phone_region: str = DEFAULT_PHONE_REGION
    trusted_authserv_ids: tuple[str, ...] = ()
    dns_enabled: bool = True
    dns_nameservers: list[tuple[str, int]] | tuple[tuple[str, int], ...] | None = None
    dns_timeout: float = 2.0
    max_message_bytes: int = 25 * 1024 * 1024
    # Seconds one check may take, parsing included, before the analyzers still to run are skipped
    # (the verdict is then at least "suspicious"). The caps in limits.py keep a 25 MB worst case
    # under 2 s; the rest is room for the DKIM and DMARC look-ups (2 x dns_timeout at most).
    check_time_budget: float = 5.0
    verification_code_checker: VerificationCodeChecker | None = None

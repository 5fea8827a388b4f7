"""The engine's configuration: the authority's official channels and the DNS settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    trusted_authserv_ids: tuple[str, ...] = ()
    dns_enabled: bool = True
    dns_nameservers: list[tuple[str, int]] | tuple[tuple[str, int], ...] | None = None
    dns_timeout: float = 2.0
    max_message_bytes: int = 25 * 1024 * 1024
    verification_code_checker: VerificationCodeChecker | None = None

"""The authority this installation serves, read once from its JSON profile (settings.AUTHORITY_PROFILE).

Every authority-specific fact lives in the profile, so that another authority runs the platform by
pointing the setting at its own file. The trust center's registry is seeded from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class SocialMediaAccount:
    platform: str
    handle: str
    url: str


@dataclass(frozen=True)
class AppealCourt:
    """The court that hears appeals against the authority's decisions (printed in the appeal
    instructions attached to every decision)."""

    names: dict[str, str]
    address: str = ""
    email: str = ""
    eservice: str = ""

    def name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.names.get(language) or self.names.get("en", "")


@dataclass(frozen=True)
class AuthorityProfile:
    id: str
    names: dict[str, str]
    short_name: str
    official_web_domains: tuple[str, ...]
    eservice_address: str
    official_email_domains: tuple[str, ...]
    notification_sender: str
    social_media_accounts: tuple[SocialMediaAccount, ...]
    phone_numbers: tuple[str, ...]
    sms_sender_names: tuple[str, ...]
    police_names: dict[str, str]
    police_domain: str
    police_report_url: str
    security_contact: str
    case_number_prefix: str
    other_official_web_domains: tuple[str, ...] = field(default=())
    securemail_address: str = ""
    # The public's email addresses: plain mail to them gets Securemail's automatic reply.
    public_email_addresses: tuple[str, ...] = field(default=())
    # Names the authority and its services go by, in every language: scammers use all of them.
    other_names: tuple[str, ...] = field(default=())
    # ISO 3166 code: the region national phone numbers are read in (core.phones).
    country: str = "FI"
    # The name inside a sentence where a language needs more than the name: English writes "the
    # Finnish Immigration Service" but "Migri". Languages not listed use the name as it is.
    names_in_text: dict[str, str] = field(default_factory=dict)
    appeal_court: AppealCourt | None = None

    def name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.names.get(language) or self.names.get("en") or self.short_name

    def name_in_text(self, language: str | None = None) -> str:
        """The name as it reads in the middle of a sentence ("... in the name of the Finnish
        Immigration Service"); titles, headings and signatures use name()."""
        language = (language or get_language() or "en")[:2]
        return self.names_in_text.get(language) or self.name(language)

    @property
    def all_names(self) -> tuple[str, ...]:
        """Every name the authority goes by, without repeats, in a stable order."""
        names = [self.short_name, *self.names.values(), *self.other_names]
        return tuple(dict.fromkeys(name for name in names if name))

    def police_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.police_names.get(language) or self.police_names.get("en", "")


def load_profile(path: str | Path) -> AuthorityProfile:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    police = data.get("police", {})
    return AuthorityProfile(
        id=data["id"],
        names=dict(data["name"]),
        short_name=data["short_name"],
        other_names=tuple(data.get("other_names", [])),
        official_web_domains=tuple(data["official_web_domains"]),
        other_official_web_domains=tuple(data.get("other_official_web_domains", [])),
        eservice_address=data["eservice_address"],
        official_email_domains=tuple(data["official_email_domains"]),
        notification_sender=data["notification_sender"],
        securemail_address=data.get("securemail_address", ""),
        public_email_addresses=tuple(data.get("public_email_addresses", [])),
        social_media_accounts=tuple(
            SocialMediaAccount(**account) for account in data.get("social_media_accounts", [])
        ),
        phone_numbers=tuple(data.get("phone_numbers", [])),
        sms_sender_names=tuple(data.get("sms_sender_names", [])),
        police_names=dict(police.get("name", {})),
        police_domain=police.get("domain", ""),
        police_report_url=police.get("report_url", ""),
        security_contact=data.get("security_contact", ""),
        case_number_prefix=data.get("case_number_prefix", "PS"),
        country=data.get("country", "FI"),
        names_in_text=dict(data.get("name_in_text", {})),
        appeal_court=_appeal_court(data.get("appeal_court")),
    )


def _appeal_court(data: dict | None) -> AppealCourt | None:
    if not data:
        return None
    return AppealCourt(
        names=dict(data["name"]),
        address=data.get("address", ""),
        email=data.get("email", ""),
        eservice=data.get("eservice", ""),
    )


@lru_cache(maxsize=4)
def _cached_profile(path: str) -> AuthorityProfile:
    return load_profile(path)


def authority() -> AuthorityProfile:
    """The configured authority's profile (cached per path; tests may override the setting)."""
    return _cached_profile(str(settings.AUTHORITY_PROFILE))


def notification_sender() -> str:
    return settings.DEFAULT_FROM_EMAIL or authority().notification_sender

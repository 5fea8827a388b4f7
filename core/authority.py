"""The authority this installation serves, read once from its JSON profile (settings.AUTHORITY_PROFILE).

Every authority-specific fact lives in the profile, so that another authority runs the platform by
pointing the setting at its own file. The trust center's registry is seeded from it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import phonenumbers
from django.conf import settings
from django.utils.translation import get_language


@dataclass(frozen=True)
class SocialMediaAccount:
    platform: str
    handle: str
    url: str


@lru_cache(maxsize=256)
def phone_display(number: str) -> str:
    """An E.164 number grouped for reading ("+358 29 5430431"); as it is when it does not parse.

    Kept per number: every page's footer shows the authority's, and parsing costs more than the
    rest of the footer."""
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def localized(texts: dict[str, str], language: str | None = None) -> str:
    """The text in the language asked for (the current one by default), else English, else ""."""
    language = (language or get_language() or "en")[:2]
    return texts.get(language) or texts.get("en", "")


@dataclass(frozen=True)
class ContactDetails:
    """How the public reaches the authority: shown in every page's footer."""

    email: str = ""
    phone: str = ""
    # Postal and visiting addresses per language (street names differ in fi and sv).
    postal_address: dict[str, str] = field(default_factory=dict)
    visiting_address: dict[str, str] = field(default_factory=dict)
    web_address: str = ""

    # Properties in the current language, for templates (which cannot pass arguments).
    @property
    def postal(self) -> str:
        return localized(self.postal_address)

    @property
    def visiting(self) -> str:
        return localized(self.visiting_address)

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


@dataclass(frozen=True)
class SupervisoryBody:
    """An authority that enforces the law on this one (accessibility, data protection)."""

    names: dict[str, str] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    email: str = ""
    phone: str = ""

    def name(self, language: str | None = None) -> str:
        return localized(self.names, language)

    def url(self, language: str | None = None) -> str:
        return localized(self.urls, language)

    @property
    def current_name(self) -> str:
        return self.name()

    @property
    def current_url(self) -> str:
        return self.url()

    @property
    def phone_display(self) -> str:
        return phone_display(self.phone)


@dataclass(frozen=True)
class AccessibilityFacts:
    """The accessibility statement's facts that differ per authority (Act 306/2019, 24 §)."""

    feedback_email: str = ""
    # The day the statement was last reviewed, ISO 8601 (printed in each language's format).
    statement_reviewed_on: str = ""
    supervisor: SupervisoryBody = field(default_factory=SupervisoryBody)


@dataclass(frozen=True)
class PrivacyFacts:
    """The privacy notice's controller-specific facts (GDPR articles 13 and 14)."""

    data_protection_officer_email: str = ""
    supervisor: SupervisoryBody = field(default_factory=SupervisoryBody)


def _supervisor(data: dict) -> SupervisoryBody:
    return SupervisoryBody(
        names=dict(data.get("name", {})),
        urls=dict(data.get("url", {})),
        email=data.get("email", ""),
        phone=data.get("phone", ""),
    )


@dataclass(frozen=True)
class AppealCourt:
    """The court that hears appeals against the authority's decisions (printed in the appeal
    instructions attached to every decision)."""

    names: dict[str, str]
    # Postal address per language (street and town names differ in fi and sv).
    addresses: dict[str, str] = field(default_factory=dict)
    email: str = ""
    eservice: str = ""
    # The appeal period in days from service of the decision (30 under the Act on Administrative
    # Court Procedure 808/2019, 13 §; another law may set another).
    appeal_days: int = 30

    def name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.names.get(language) or self.names.get("en", "")

    @property
    def address(self) -> str:
        """The address in the current language (for templates)."""
        return localized(self.addresses)


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
    # The footer, the accessibility statement and the privacy notice (core.views.about).
    contact: ContactDetails = field(default_factory=lambda: ContactDetails())
    accessibility: AccessibilityFacts = field(default_factory=lambda: AccessibilityFacts())
    privacy: PrivacyFacts = field(default_factory=lambda: PrivacyFacts())
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
    # Paths of facts the seed does not state, filled in as examples for the authority to confirm
    # (the profile's "unconfirmed" section; `check --deploy` warns in production: core.W005).
    unconfirmed_facts: tuple[str, ...] = field(default=())

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

    @property
    def appeal_days(self) -> int:
        return self.appeal_court.appeal_days if self.appeal_court else AppealCourt({}).appeal_days

    def is_unconfirmed(self, *sections: str) -> bool:
        """Whether an unconfirmed entry names one of these sections, lies inside one or holds
        one ("contact" for "contact.phone", "phone_numbers[...]" for "phone_numbers")."""
        return any(
            covers(entry, section) or covers(section, entry)
            for entry in self.unconfirmed_facts
            for section in sections
        )

    @property
    def channels_unconfirmed(self) -> bool:
        """The official channels (the trust center's list, which the check relies on) hold an
        example the authority has not confirmed."""
        return self.is_unconfirmed(*CHANNEL_FACTS)

    @property
    def contact_unconfirmed(self) -> bool:
        return self.is_unconfirmed("contact")

    def police_name(self, language: str | None = None) -> str:
        language = (language or get_language() or "en")[:2]
        return self.police_names.get(language) or self.police_names.get("en", "")


# The profile's sections the official channels are seeded from (trust.selectors).
CHANNEL_FACTS = (
    "official_web_domains",
    "other_official_web_domains",
    "official_email_domains",
    "social_media_accounts",
    "phone_numbers",
    "sms_sender_names",
)


def fact_paths(data: dict, prefix: str = "") -> list[str]:
    """Every leaf of a profile as a path: keys joined by dots, a list's strings by their value
    ("official_web_domains[migri.fi]") and its objects by their index ("social_media_accounts[0].url").
    The "unconfirmed" section itself is left out."""
    paths: list[str] = []
    for key, value in data.items():
        if not prefix and key == "unconfirmed":
            continue
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            paths += fact_paths(value, path)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    paths += fact_paths(item, f"{path}[{index}]")
                else:
                    paths.append(f"{path}[{item}]")
        else:
            paths.append(path)
    return paths


def covers(entry: str, path: str) -> bool:
    """Whether an "unconfirmed" entry names this leaf or a section or list holding it."""
    return path == entry or path.startswith((entry + ".", entry + "["))


def _unconfirmed_facts(data: dict) -> tuple[str, ...]:
    entries = tuple(data.get("unconfirmed", {}).get("facts", {}))
    leaves = fact_paths(data)
    # A misspelt entry would leave the fact it meant looking confirmed.
    unknown = [entry for entry in entries if not any(covers(entry, leaf) for leaf in leaves)]
    if unknown:
        raise ValueError(f"the profile's unconfirmed facts name nothing: {', '.join(unknown)}")
    return entries


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
        contact=ContactDetails(
            email=data.get("contact", {}).get("email", ""),
            phone=data.get("contact", {}).get("phone", ""),
            postal_address=dict(data.get("contact", {}).get("postal_address", {})),
            visiting_address=dict(data.get("contact", {}).get("visiting_address", {})),
            web_address=data.get("contact", {}).get("web_address", ""),
        ),
        accessibility=AccessibilityFacts(
            feedback_email=data.get("accessibility", {}).get("feedback_email", ""),
            statement_reviewed_on=data.get("accessibility", {}).get("statement_reviewed_on", ""),
            supervisor=_supervisor(data.get("accessibility", {}).get("supervisor", {})),
        ),
        privacy=PrivacyFacts(
            data_protection_officer_email=data.get("privacy", {}).get(
                "data_protection_officer_email", ""
            ),
            supervisor=_supervisor(data.get("privacy", {}).get("supervisor", {})),
        ),
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
        unconfirmed_facts=_unconfirmed_facts(data),
    )


def _appeal_court(data: dict | None) -> AppealCourt | None:
    if not data:
        return None
    address = data.get("address", "")
    return AppealCourt(
        names=dict(data["name"]),
        # One address for every language, or one per language.
        addresses=dict(address) if isinstance(address, dict) else {"en": address},
        email=data.get("email", ""),
        eservice=data.get("eservice", ""),
        appeal_days=int(data.get("appeal_days", 30)),
    )


@lru_cache(maxsize=4)
def _cached_profile(path: str) -> AuthorityProfile:
    return load_profile(path)


def authority() -> AuthorityProfile:
    """The configured authority's profile (cached per path; tests may override the setting)."""
    return _cached_profile(str(settings.AUTHORITY_PROFILE))


def notification_sender() -> str:
    return settings.DEFAULT_FROM_EMAIL or authority().notification_sender

"""The authority's domains: which hosts are official, which imitate them, which hide a target."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.phones import normalize_phone

from .config import EngineConfig
from .domains import domain_in, ip_address, normalize_host, registrable_domain
from .lookalikes import LookalikeModel

SHORTENERS = frozenset({
    "bit.ly", "bitly.com", "tinyurl.com", "t.co", "goo.gl", "ow.ly", "is.gd", "buff.ly",
    "rebrand.ly",
    "cutt.ly", "shorturl.at", "tiny.cc", "t.ly", "rb.gy", "s.id", "bl.ink", "v.gd", "shorte.st",
    "adf.ly", "lnkd.in", "qrco.de", "urlz.fr", "tiny.one", "short.io", "surl.li", "u.to", "clck.ru",
    "x.gd", "bit.do", "trib.al", "linktr.ee", "tinyurl.hu", "shorturl.com",
})  # fmt: skip
MESSAGING_APPS = frozenset({
    "wa.me", "whatsapp.com", "t.me", "telegram.me", "telegram.org", "viber.com", "signal.me",
    "chat.whatsapp.com",
})  # fmt: skip
SOCIAL_PLATFORMS = frozenset({
    "facebook.com", "fb.com", "x.com", "twitter.com", "instagram.com", "linkedin.com",
    "youtube.com", "youtu.be", "tiktok.com",
})  # fmt: skip
FREE_MAIL = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "yahoo.com",
    "ymail.com", "aol.com", "icloud.com", "me.com", "mail.com", "gmx.com", "gmx.net", "gmx.de",
    "proton.me", "protonmail.com", "yandex.com", "yandex.ru", "mail.ru", "zoho.com", "inbox.lv",
    "suomi24.fi", "luukku.com", "hotmail.fi", "outlook.fi", "yahoo.co.uk", "tutanota.com", "qq.com",
})  # fmt: skip


# The letters after a matched name: its inflected ending ("Maahanmuuttovirast" + "osta").
_WORD_REST = re.compile(r"[^\W\d_]*")


def name_as_written(text: str, match: re.Match) -> str:
    """The whole name the match found, ending included: the pattern keeps names' stems so that
    every case form matches, and a stem ("Migrationsverke") must never reach a reader."""
    return text[match.start() : _WORD_REST.match(text, match.end()).end()]


def _name_pattern(names: tuple[str, ...], official_domains: frozenset[str]) -> re.Pattern:
    """The authority's names as people write them: inflected ("Migrin", "Maahanmuuttoviraston"),
    shortened ("the Immigration Service" for "Finnish Immigration Service"), and the official
    domains' names with or without spaces ("Enter Finland" for enterfinland.fi)."""
    alternatives: set[str] = set()
    for name in (n.strip().lower() for n in names if n.strip()):
        words = name.split()
        forms = [name] + ([" ".join(words[1:])] if len(words) >= 3 else [])
        for form in forms:
            # Long names inflect at the end: keep the stem so that every case matches.
            form = form[:-1] if len(form) > 8 else form
            alternatives.add(r"[\s_.-]*".join(re.escape(word) for word in form.split()))
    for domain in official_domains:
        label = domain.split(".", 1)[0]
        if len(label) >= 5:
            alternatives.add(r"[\s_-]?".join(re.escape(c) for c in label))
        else:
            alternatives.add(re.escape(label))
    ordered = sorted(alternatives, key=len, reverse=True)
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(ordered) + r")", re.IGNORECASE)


@dataclass(frozen=True)
class HostClass:
    kind: str  # official | other_official | lookalike | ip | shortener | messaging | unknown
    host: str
    registrable: str
    imitates: str = ""
    family: str = ""


class DomainPolicy:
    def __init__(self, config: EngineConfig):
        self.official_web = frozenset(normalize_host(d) for d in config.official_web_domains)
        self.official_email = frozenset(normalize_host(d) for d in config.official_email_domains)
        self.other_official = frozenset(
            normalize_host(d) for d in config.other_official_web_domains
        )
        self.official = self.official_web | self.official_email
        self.lookalikes = LookalikeModel(
            (*config.official_web_domains, *config.official_email_domains),
            related=tuple(config.other_official_web_domains),
            names=tuple(config.authority_names),
        )
        self.social_handles = tuple(
            "/" + handle.lower().lstrip("@") for _, handle in config.social_media_accounts
        ) + tuple("/@" + handle.lower().lstrip("@") for _, handle in config.social_media_accounts)
        self.name_pattern = _name_pattern(config.authority_names, self.official)
        # Normalised once per engine: parsing them was a tenth of a short message's check.
        self.official_phone_numbers = frozenset(
            normalize_phone(number, config.phone_region) for number in config.phone_numbers
        )
        self.classify = lru_cache(maxsize=16384)(self._classify)

    def _classify(self, host: str) -> HostClass:
        host = normalize_host(host)
        registrable = registrable_domain(host)
        if ip_address(host):
            return HostClass("ip", host, host)
        if domain_in(host, self.official):
            return HostClass("official", host, registrable)
        if domain_in(host, self.other_official):
            return HostClass("other_official", host, registrable)
        match = self.lookalikes.match(host)
        if match:
            return HostClass("lookalike", host, registrable, match.imitates, match.family)
        if host in MESSAGING_APPS or registrable in MESSAGING_APPS:
            return HostClass("messaging", host, registrable)
        if host in SHORTENERS or registrable in SHORTENERS:
            return HostClass("shortener", host, registrable)
        return HostClass("unknown", host, registrable)

    def is_official_social_link(self, host: str, url: str) -> bool:
        """A link to one of the authority's own social-media accounts."""
        if registrable_domain(normalize_host(host)) not in SOCIAL_PLATFORMS:
            return False
        path = url.lower().split(host, 1)[-1]
        return any(handle in path for handle in self.social_handles)

    def is_official_email_domain(self, domain: str) -> bool:
        return bool(domain) and domain_in(normalize_host(domain), self.official_email)

    def domain_carries_name(self, domain: str, name: str) -> bool:
        """The sender's own domain is the name (migrationsverket.se is Sweden's agency): a namesake
        speaking for itself, not an impersonation of ours."""
        if not domain or not name or self.is_official_email_domain(domain):
            return False
        label = registrable_domain(normalize_host(domain)).split(".")[0]
        # Compared by the name's stem, so that "Migrationsverkets" still is migrationsverket.se.
        stem = self.name_pattern.search(name)
        compact = (stem.group(0) if stem else name).lower().replace(" ", "")
        return label.startswith(compact) and len(label) - len(compact) <= 2

    def names_authority(self, text: str) -> str:
        """The authority's name as written in `text`, or ''."""
        match = self.name_pattern.search(text or "")
        return name_as_written(text, match) if match else ""

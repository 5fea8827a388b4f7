"""Host names: normalisation (IDN, punycode), the registrable domain by the Public Suffix List."""

from __future__ import annotations

import contextlib
import ipaddress
from functools import cache, lru_cache

from publicsuffixlist import PublicSuffixList


@cache
def _psl() -> PublicSuffixList:
    # The list bundled with the package: no download at run time.
    return PublicSuffixList(accept_unknown=False)


@lru_cache(maxsize=16384)
def normalize_host(host: str) -> str:
    """Lower-case Unicode form of a host name; punycode labels decoded; '' if not a host."""
    host = (host or "").strip().strip(".").lower()
    if not host or len(host) > 253:
        return ""
    if host.startswith("[") and host.endswith("]"):
        return host
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            # An undecodable label stays as written: it is still a lookalike candidate.
            with contextlib.suppress(UnicodeError, ValueError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=16384)
def ascii_host(host: str) -> str:
    """The punycode (ASCII) form of a host, as a resolver would see it."""
    labels = []
    for label in host.split("."):
        if label.isascii():
            labels.append(label)
            continue
        try:
            labels.append("xn--" + label.encode("punycode").decode("ascii"))
        except (UnicodeError, ValueError):
            labels.append(label)
    return ".".join(labels)


@lru_cache(maxsize=16384)
def ip_address(host: str) -> str:
    """The IP address a host is written as, or '' for a name."""
    candidate = host.strip("[]")
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        pass
    # Integer and hexadecimal spellings browsers accept, such as http://3232235777/.
    try:
        if candidate.isdigit():
            return str(ipaddress.ip_address(int(candidate)))
        if candidate.startswith("0x"):
            return str(ipaddress.ip_address(int(candidate, 16)))
    except ValueError:
        pass
    return ""


@lru_cache(maxsize=16384)
def registrable_domain(host: str) -> str:
    """The registrable domain (public suffix plus one label), or the host itself if none."""
    if not host or ip_address(host):
        return host
    try:
        return _psl().privatesuffix(host) or host
    except (ValueError, TypeError, IndexError):
        return host


@lru_cache(maxsize=16384)
def public_suffix(host: str) -> str:
    try:
        return _psl().publicsuffix(host) or ""
    except (ValueError, TypeError, IndexError):
        return ""


def has_known_suffix(host: str) -> bool:
    """True when the host ends in a real public suffix and has a label before it."""
    suffix = public_suffix(host)
    return bool(suffix) and host != suffix


def split_registrable(host: str) -> tuple[list[str], str, str]:
    """(labels before the registrable label, registrable label, public suffix)."""
    suffix = public_suffix(host)
    if not suffix or host == suffix:
        labels = host.split(".")
        return labels[:-1], labels[-1], ""
    head = host[: -len(suffix) - 1]
    labels = head.split(".") if head else [""]
    return labels[:-1], labels[-1], suffix


def domain_in(host: str, domains: frozenset[str]) -> bool:
    """True when `host` is one of `domains` or a subdomain of one."""
    if host in domains:
        return True
    return any(host.endswith("." + domain) for domain in domains)

"""TXT lookups for DKIM keys and DMARC policies through a resolver that tests can point anywhere."""

from __future__ import annotations

import time

import dns.exception
import dns.nameserver
import dns.resolver


class DnsUnavailable(Exception):
    """No server answered in time (or none is configured); nothing can be said about the record."""


class TxtResolver:
    def __init__(self, nameservers=None, timeout: float = 2.0):
        self.timeout = timeout
        self._nameservers = nameservers
        self._resolver: dns.resolver.Resolver | None = None

    def _get_resolver(self) -> dns.resolver.Resolver:
        if self._resolver is None:
            if self._nameservers:
                resolver = dns.resolver.Resolver(configure=False)
                resolver.nameservers = [
                    dns.nameserver.Do53Nameserver(address, int(port))
                    for address, port in self._nameservers
                ]
            else:
                try:
                    resolver = dns.resolver.Resolver()
                except (dns.resolver.NoResolverConfiguration, OSError) as error:
                    raise DnsUnavailable(str(error)) from error
            resolver.lifetime = self.timeout
            resolver.timeout = self.timeout
            resolver.cache = dns.resolver.LRUCache(1024)
            self._resolver = resolver
        return self._resolver

    def txt(self, name: str, deadline: float | None = None) -> bytes | None:
        """The TXT record at `name` (its strings joined), None if there is none."""
        lifetime = self.timeout
        if deadline is not None:
            lifetime = min(lifetime, deadline - time.monotonic())
            if lifetime <= 0:
                raise DnsUnavailable("out of time")
        try:
            answer = self._get_resolver().resolve(
                name.rstrip(".") + ".", "TXT", lifetime=lifetime, raise_on_no_answer=False
            )
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except (
            dns.exception.Timeout,
            dns.resolver.NoNameservers,
            dns.resolver.LifetimeTimeout,
        ) as e:
            raise DnsUnavailable(str(e)) from e
        except dns.exception.DNSException as error:
            raise DnsUnavailable(str(error)) from error
        if answer.rrset is None:
            return None
        for record in answer.rrset:
            return b"".join(record.strings)
        return None

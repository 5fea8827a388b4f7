"""What a security team would block: non-official domains, addresses and numbers in the message."""

from __future__ import annotations

from core.phones import DEFAULT_PHONE_REGION, normalize_phone

from .message import ParsedMessage, domain_of
from .policy import DomainPolicy


def collect(
    message: ParsedMessage, policy: DomainPolicy, phone_region: str = DEFAULT_PHONE_REGION
) -> dict:
    domains: set[str] = set()
    urls: set[str] = set()
    addresses: set[str] = set()
    for link in message.links:
        host_class = policy.classify(link.host)
        if host_class.kind in ("official", "other_official"):
            continue
        domains.add(link.host)
        urls.add(link.url)
    senders = [message.from_address, *message.reply_to, message.return_path]
    for address in [*senders, *message.email_addresses]:
        domain = domain_of(address)
        if not domain or policy.classify(domain).kind in ("official", "other_official"):
            continue
        addresses.add(address.lower())
        if address in senders and policy.classify(domain).kind != "unknown":
            domains.add(domain)
    official_numbers = policy.official_phone_numbers
    numbers = {n for n in message.phone_numbers if n not in official_numbers}
    if message.kind == "text" and message.sender:
        sender_number = normalize_phone(message.sender, phone_region)
        looks_like_number = message.sender.lstrip().startswith(("+", "0"))
        if (
            looks_like_number
            and 9 <= len(sender_number) <= 16
            and (sender_number not in official_numbers)
        ):
            numbers.add(sender_number)
    return {
        "domains": sorted(domains),
        "urls": sorted(urls),
        "email_addresses": sorted(addresses),
        "phone_numbers": sorted(numbers),
    }

"""dnstwist's full list of permutations of a domain, as its command line builds it with the
dictionaries shipped in its repository (copied to data/dnstwist/, see the NOTICE there)."""

from __future__ import annotations

import re
from pathlib import Path

import dnstwist

DATA = Path(__file__).with_name("data") / "dnstwist"
# The filters dnstwist's command line applies to the dictionary files it reads.
_WORD = re.compile(r"^(?:(?:xn--)[a-z0-9-]{3,59}|[a-z0-9-]{1,63})$")
_TLD = re.compile(r"^[a-z0-9-]{2,63}(?:\.[a-z0-9-]{2,63})?$")


def _read(name: str, pattern: re.Pattern) -> list[str]:
    lines = (DATA / name).read_text(encoding="utf-8").lower().splitlines()
    return sorted({line for line in lines if pattern.match(line)})


def permutations(domain: str) -> list[tuple[str, str]]:
    """(fuzzer, ASCII domain) for every permutation but the original, every fuzzer included."""
    fuzzer = dnstwist.Fuzzer(
        domain,
        dictionary=_read("english.dict", _WORD),
        tld_dictionary=_read("common_tlds.dict", _TLD),
    )
    fuzzer.generate()
    return sorted(
        (p["fuzzer"], p["domain"]) for p in fuzzer.permutations() if p["fuzzer"] != "*original"
    )


def recognised(engine, candidate: str) -> tuple[bool, bool]:
    """(flagged in a link, flagged as the sender's domain) by the check engine."""
    link = engine.check_url("https://" + candidate).has("link_lookalike")
    message = f"From: Info <info@{candidate}>\r\nSubject: Hello\r\n\r\nHello\r\n".encode()
    sender = engine.check_email(message).has("sender_domain_lookalike")
    return link, sender


def main() -> None:
    """Print, per fuzzer family, how many of dnstwist's permutations the engine recognises:
    `.venv/bin/python -m tests.trust.engine.dnstwist_list`."""
    from collections import Counter

    from tests.trust.engine.conftest import SEED_CONFIG
    from trust.engine import CheckEngine

    engine = CheckEngine(SEED_CONFIG)
    for domain in SEED_CONFIG.official_web_domains:
        total, links, senders = Counter(), Counter(), Counter()
        for fuzzer, candidate in permutations(domain):
            link, sender = recognised(engine, candidate)
            total[fuzzer] += 1
            links[fuzzer] += link
            senders[fuzzer] += sender
        print(f"{domain}: {sum(total.values())} permutations")
        print(f"  {'fuzzer':14} {'total':>6} {'link':>6} {'sender':>6}")
        for fuzzer in sorted(total):
            print(f"  {fuzzer:14} {total[fuzzer]:6} {links[fuzzer]:6} {senders[fuzzer]:6}")


if __name__ == "__main__":
    main()

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

"""Speed of the trust check engine: checks per second and median latency, DNS off, one process.

Runs over the labelled corpus (tests/trust/corpus/) when it is there, else over a few built-in
messages. Not a test: run `python bench/trust_speed.py [--rounds N]`. Goal: >= 300 emails a second,
median < 5 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trust.engine import CheckEngine, EngineConfig  # noqa: E402

BUILT_IN = [
    (
        "email",
        b"From: Migri <migri.service@gmail.com>\r\nTo: you@example.com\r\n"
        b"Subject: Residence permit\r\n"
        b"Content-Type: text/plain; charset=utf-8\r\n\r\nYour residence permit will be cancelled "
        b"within 24 hours. Confirm your passport number and date of birth: https://migri-fi.com/x\r\n",
        "",
    ),
    (
        "email",
        b"From: Finnish Immigration Service <noreply@migri.fi>\r\nTo: you@example.com\r\n"
        b"Subject: New information\r\n\r\nYou have new information in the e-service. Type "
        b"enterfinland.fi yourself to sign in. Verification code: 7K3M-Q9TX-2HDA\r\n",
        "",
    ),
    ("sms", "Migri: maksa käsittelymaksu 49 € heti: https://bit.ly/3xyz", "+358401234567"),
]


def profile_config() -> EngineConfig:
    profile = json.loads((ROOT / "core" / "profiles" / "migri.json").read_text(encoding="utf-8"))
    names = [
        *profile["name"].values(),
        profile["short_name"],
        "Immigration Service",
        "Enter Finland",
    ]
    return EngineConfig(
        official_web_domains=tuple(profile["official_web_domains"]),
        other_official_web_domains=tuple(profile.get("other_official_web_domains", [])),
        official_email_domains=tuple(profile["official_email_domains"]),
        authority_names=tuple(dict.fromkeys(names)),
        sms_sender_names=tuple(profile.get("sms_sender_names", [])),
        social_media_accounts=tuple(
            (a["platform"], a["handle"]) for a in profile.get("social_media_accounts", [])
        ),
        phone_numbers=tuple(profile.get("phone_numbers", [])),
        dns_enabled=False,
    )


def load_items() -> tuple[str, list[tuple[str, object, str]]]:
    try:
        from tests.trust.corpus.loader import load_corpus

        corpus = load_corpus()
    except (ImportError, OSError, ValueError):
        corpus = []
    if not corpus:
        return "built-in messages", BUILT_IN
    items = [
        ("email" if item.kind == "email" else item.channel, item.content, item.sender)
        for item in corpus
    ]
    return "the corpus", items


def run(engine: CheckEngine, kind: str, content, sender: str):
    if kind == "email" and isinstance(content, bytes):
        return engine.check_email(content)
    return engine.check_text(content, kind, sender)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    arguments = parser.parse_args()
    started = time.perf_counter()
    engine = CheckEngine(profile_config())
    build_ms = (time.perf_counter() - started) * 1000
    source, items = load_items()
    for kind, content, sender in items:  # warm the caches once, as a long-running server would
        run(engine, kind, content, sender)
    latencies: dict[str, list[float]] = {"email": [], "text": []}
    started = time.perf_counter()
    for _ in range(arguments.rounds):
        for kind, content, sender in items:
            before = time.perf_counter()
            run(engine, kind, content, sender)
            group = "email" if isinstance(content, bytes) else "text"
            latencies[group].append(time.perf_counter() - before)
    elapsed = time.perf_counter() - started
    total = sum(len(values) for values in latencies.values())
    print(
        f"engine built in {build_ms:.0f} ms; {len(items)} items from {source}, "
        f"{arguments.rounds} rounds, DNS off, one process"
    )
    print(f"all checks: {total / elapsed:,.0f} a second")
    for group, values in latencies.items():
        if values:
            median = statistics.median(values) * 1000
            p95 = sorted(values)[int(len(values) * 0.95)] * 1000
            print(
                f"{group:5}: {len(values) / sum(values):,.0f} a second, median {median:.2f} ms, "
                f"95th percentile {p95:.2f} ms"
            )


if __name__ == "__main__":
    main()

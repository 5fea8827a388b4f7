"""Cost of the trust check engine on adversarial input: seconds per MB must stay flat with size.

Builds inputs of each kind at 1, 5 and 25 MB (many URLs, many DKIM signatures, many MIME parts,
many code-like tokens, deep multipart nesting, one giant line, one giant word, many HTML links
and tags, huge headers), checks each once on one core with the pure engine (no network: the DKIM keys are answered
in process, no verification-code checker) and prints kind, size, seconds, seconds per MB, verdict
and the ratio of seconds per MB at the largest size against the smallest. Then times one anonymous
`POST /api/v1/check` of 820 KB holding 32,000 URLs through Django's test client.

Not a test: run `python bench/trust_adversarial.py [--sizes 1,5,25] [--kinds urls,dkim] [--strict]`.
Goal: the 25 MB worst case under 2 s, ratio at most 3; `--strict` exits 1 when either fails.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dkim  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import rsa  # noqa: E402

from trust.engine import CheckEngine  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from trust_speed import profile_config  # noqa: E402

MB = 1024 * 1024
GOAL_SECONDS = 2.0
GOAL_RATIO = 3.0
HEAD = (
    "From: Maahanmuuttovirasto <noreply@migri-fi.com>\r\nTo: you@example.com\r\n"
    "Subject: Your residence permit\r\nDate: Mon, 30 Nov 2026 10:00:00 +0000\r\n"
    "Message-ID: <adversarial@example.com>\r\n"
)
PLAIN = "Content-Type: text/plain; charset=utf-8\r\n\r\n"


def _fill(unit, size: int) -> str:
    """Units `unit(i)` joined until `size` bytes."""
    chunks, total, index = [], 0, 0
    while True:
        chunk = unit(index)
        if total + len(chunk) > size:
            return "".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        index += 1


def many_urls(size: int) -> bytes:
    body = _fill(lambda i: f"https://h{i}.example{i % 997}.com/p{i} www.w{i}.net d{i}.org\n", size)
    return (HEAD + PLAIN + body).encode()


def many_code_tokens(size: int) -> bytes:
    body = _fill(lambda i: f"Code {i % 10}K{i % 7}M-Q{i % 9}TX-{i:04X}\n"[-20:], size)
    return (HEAD + PLAIN + body).encode()


def giant_line(size: int) -> bytes:
    body = _fill(lambda i: f"word{i % 50}.a{i % 13} " if i % 3 else "x@y.", size)
    return (HEAD + PLAIN + body).encode()


def giant_word(size: int) -> bytes:
    """One hyphenated "word" as long as the message: the vocabulary's compound search."""
    body = _fill(lambda i: "AAAA-", size)
    return (HEAD + PLAIN + body).encode()


def many_html_links(size: int) -> bytes:
    body = _fill(
        lambda i: (
            f'<div><a href="https://l{i}.example.com/{i}">bank{i}.fi</a><b><i>t</i></b></div>'
        ),
        size,
    )
    return (HEAD + "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body>" + body).encode()


def many_parts(size: int) -> bytes:
    part = lambda i: f"--B\r\n{PLAIN}part {i} https://p{i}.example.com/\r\n"  # noqa: E731
    body = _fill(part, size)
    return (
        HEAD + 'Content-Type: multipart/mixed; boundary="B"\r\n\r\n' + body + "--B--\r\n"
    ).encode()


def deep_nesting(size: int) -> bytes:
    depth = 0
    opening = []
    total = 0
    while total < size // 2:
        line = f'--b{depth}\r\nContent-Type: multipart/mixed; boundary="b{depth + 1}"\r\n\r\n'
        opening.append(line)
        total += len(line)
        depth += 1
    closing = "".join(f"--b{level}--\r\n" for level in range(depth, -1, -1))
    inner = f"--b{depth}\r\n{PLAIN}hello https://deep.example.com/\r\n"
    head = HEAD + 'Content-Type: multipart/mixed; boundary="b0"\r\n\r\n'
    return (head + "".join(opening) + inner + closing).encode()


def huge_headers(size: int) -> bytes:
    recipients = _fill(lambda i: f"r{i} <r{i}@example{i % 31}.com>, ", size // 2)
    received = _fill(
        lambda i: f"Received: from h{i}.example.net by mx.example.org; x\r\n", size // 2
    )
    return (f"{HEAD}{received}Cc: {recipients}x@example.com\r\n{PLAIN}Hello\r\n").encode()


class _Keys:
    """An RSA key answered for every selector, as an attacker's own DNS zone would."""

    def __init__(self):
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.private = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
        public = key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        self.record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)
        self.timeout = 2.0

    def txt(self, name: str, deadline=None) -> bytes | None:
        return self.record if "._domainkey." in name else None


KEYS = None


def many_dkim_signatures(size: int) -> bytes:
    """400 copies of one valid signature under as many selectors (200 KB, under the header
    caps), over a body that fills the rest: at 1 MB every signature could be verified."""
    signatures_size = 200 * 1024
    body = _fill(lambda i: f"line {i} of a long message.\r\n", size - signatures_size - 1024)
    message = (HEAD + PLAIN + body).encode()
    signature = dkim.sign(message, b"s", b"example.com", KEYS.private)
    signatures = _fill(lambda i: signature.decode().replace("s=s;", f"s=s{i};", 1), signatures_size)
    return signatures.encode() + message


KINDS = {
    "urls": many_urls,
    "dkim": many_dkim_signatures,
    "parts": many_parts,
    "codes": many_code_tokens,
    "nesting": deep_nesting,
    "giant_line": giant_line,
    "giant_word": giant_word,
    "html": many_html_links,
    "headers": huge_headers,
}


def _engine() -> CheckEngine:
    config = replace(profile_config(), dns_enabled=True, verification_code_checker=None)
    engine = CheckEngine(config)
    engine.resolver = KEYS  # in process: no network, the DKIM work itself is what is measured
    return engine


def _api_row(url_count: int = 32_000) -> tuple[str, float, str]:
    """One anonymous POST /api/v1/check through Django's test client, in a test database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("PERMITSAFE_MODE", "development")
    try:
        import django
        from django.test.utils import setup_test_environment

        django.setup()
        setup_test_environment()
        from django.conf import settings
        from django.test import Client
        from django.test.utils import get_runner
    except Exception as error:  # noqa: BLE001 (a bench without a database still prints the rest)
        return ("api", 0.0, f"skipped: {type(error).__name__}: {error}")
    settings.TRUST_DNS_ENABLED = False
    settings.ALLOWED_HOSTS = ["*"]
    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        text = " ".join(f"https://h{i}.ex{i % 97}.com/a{i % 10}" for i in range(url_count))
        payload = json.dumps({"text": text, "channel": "email"})
        client = Client()
        # Warm up once, as a running server is: the first request builds the engine.
        client.post("/api/v1/check", '{"text": "hello"}', content_type="application/json")
        started = time.perf_counter()
        response = client.post("/api/v1/check", payload, content_type="application/json")
        seconds = time.perf_counter() - started
        verdict = response.json().get("verdict", f"HTTP {response.status_code}")
        return (
            f"POST /api/v1/check, {len(payload) // 1000} KB, {url_count} URLs",
            seconds,
            verdict,
        )
    finally:
        runner.teardown_databases(old)


def main() -> int:
    global KEYS
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,5,25", help="megabytes, comma-separated")
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--no-api", action="store_true")
    parser.add_argument("--strict", action="store_true")
    arguments = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    KEYS = _Keys()
    sizes = [float(s) for s in arguments.sizes.split(",")]
    engine = _engine()
    engine.check_email(many_urls(10_000))  # warm the caches once, as a server would
    failures = []
    print(f"{'kind':11} {'MB':>5} {'seconds':>8} {'s/MB':>7} {'verdict':11} ratio")
    for kind in arguments.kinds.split(","):
        per_mb = []
        for size in sizes:
            # A little under the size, so that the headers and boundaries fit in the limit.
            raw = KINDS[kind](int(size * MB) - 16 * 1024)
            started = time.perf_counter()
            result = engine.check_email(raw)
            seconds = time.perf_counter() - started
            megabytes = len(raw) / MB
            per_mb.append(seconds / megabytes)
            ratio = f"{per_mb[-1] / per_mb[0]:.2f}" if len(per_mb) > 1 else ""
            print(
                f"{kind:11} {megabytes:5.1f} {seconds:8.3f} {per_mb[-1]:7.3f} "
                f"{result.verdict:11} {ratio}",
                flush=True,
            )
            if size >= 25 and seconds >= GOAL_SECONDS:
                failures.append(f"{kind} {size:g} MB took {seconds:.2f} s")
        if len(per_mb) > 1 and per_mb[-1] / per_mb[0] > GOAL_RATIO:
            failures.append(f"{kind}: seconds per MB grew {per_mb[-1] / per_mb[0]:.1f} times")
    if not arguments.no_api:
        label, seconds, verdict = _api_row()
        print(f"{label}: {seconds:.3f} s, {verdict}")
    print(f"goal: 25 MB under {GOAL_SECONDS:g} s, s/MB ratio at most {GOAL_RATIO:g}")
    for failure in failures:
        print("FAIL " + failure)
    return 1 if arguments.strict and failures else 0


if __name__ == "__main__":
    sys.exit(main())

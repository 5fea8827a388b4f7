"""No false alarms: real-looking unrelated domains (Finnish and Swedish authorities, companies,
universities, news sites, common .com words, words that contain a short official name) and the
official domains themselves are never lookalikes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import SEED_CONFIG

UNRELATED = [
    line.strip()
    for line in (Path(__file__).with_name("data") / "unrelated_domains.txt")
    .read_text(encoding="utf-8")
    .splitlines()
    if line.strip() and not line.startswith("#")
]
OFFICIAL = (
    *SEED_CONFIG.official_web_domains,
    *SEED_CONFIG.other_official_web_domains,
    *SEED_CONFIG.official_email_domains,
)


def test_the_list_is_large_and_names_each_domain_once():
    assert len(UNRELATED) >= 300
    assert len(set(UNRELATED)) == len(UNRELATED)


def test_no_unrelated_domain_is_a_lookalike(engine):
    flagged = [
        (host, found.imitates, found.family)
        for host in UNRELATED
        if (found := engine.policy.classify(host)).kind == "lookalike"
    ]
    assert flagged == []


def test_no_unrelated_domain_is_a_lookalike_sender_or_link(engine):
    flagged = []
    for host in UNRELATED[::5]:
        message = f"From: Info <info@{host}>\r\nSubject: Hi\r\n\r\nSee https://{host}/a\r\n"
        result = engine.check_email(message.encode())
        if result.has("sender_domain_lookalike") or result.has("link_lookalike"):
            flagged.append(host)
    assert flagged == []


@pytest.mark.parametrize("domain", OFFICIAL)
@pytest.mark.parametrize("subdomain", ["", "www.", "login.", "secure.mail.", "asiointi."])
def test_official_domains_and_their_subdomains_are_never_lookalikes(engine, domain, subdomain):
    assert engine.policy.classify(subdomain + domain).kind in ("official", "other_official")

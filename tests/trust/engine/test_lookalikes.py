"""Lookalike domains: the watchlist's families and the detector that shares its model."""

from __future__ import annotations

import pytest

from trust.engine.lookalikes import FAMILIES, LookalikeModel, generate

from .conftest import SEED_CONFIG

PROTECTED = SEED_CONFIG.official_web_domains + SEED_CONFIG.other_official_web_domains


@pytest.fixture(scope="module")
def model() -> LookalikeModel:
    return LookalikeModel(PROTECTED)


@pytest.mark.parametrize(
    "host, imitates",
    [
        ("migri-fi.com", "migri.fi"),
        ("rnigri.fi", "migri.fi"),
        ("migrі.fi", "migri.fi"),  # Cyrillic і
        ("xn--migr-o9d.fi", "migri.fi"),  # the same in punycode
        ("migri.fi.example.com", "migri.fi"),
        ("migri.com", "migri.fi"),
        ("mlgri.fi", "migri.fi"),
        ("enterfinland-apply.com", "enterfinland.fi"),
        ("mïgri.fi", "migri.fi"),
        ("login.migri-verify.com", "migri.fi"),
        ("enterfinlnad.fi", "enterfinland.fi"),
        ("poliisi-fi.com", "poliisi.fi"),
    ],
)
def test_lookalikes_of_official_domains_are_recognised(model, host, imitates):
    match = model.match(host)
    assert match is not None, host
    assert match.imitates == imitates


@pytest.mark.parametrize(
    "host",
    [
        "migri.fi", "www.migri.fi", "enterfinland.fi", "poliisi.fi", "securemail.migri.fi",
        "infofinland.fi", "helsinki.fi", "yle.fi", "kela.fi", "immigrinfo.com", "suomi24.fi",
    ],
)  # fmt: skip
def test_official_and_unrelated_domains_are_not_lookalikes(model, host):
    assert model.match(host) is None


@pytest.mark.parametrize("host", ["työmarkkinatori.fi", "jyväskylä.fi", "hämeenlinna.fi", "åbo.fi"])
def test_finnish_domains_are_not_flagged_merely_for_diacritics(model, host):
    assert model.match(host) is None


def test_the_cyrillic_punycode_form_is_decoded_before_matching(model):
    ascii_form = "migrі.fi".encode("idna").decode("ascii")
    assert ascii_form.startswith("xn--")
    assert model.match(ascii_form) == model.match("migrі.fi")


def test_every_family_of_dnstwist_is_generated():
    families = {candidate.family for candidate in generate("migri.fi")}
    required = set(FAMILIES) - {"various"}
    assert required <= families


def test_cyrillic_homoglyphs_are_generated():
    domains = {c.domain for c in generate("migri.fi") if c.family == "homoglyph"}
    assert "migrі.fi" in domains


def test_candidates_never_include_the_domain_itself():
    assert all(c.domain != "migri.fi" for c in generate("migri.fi"))


@pytest.mark.parametrize("domain", SEED_CONFIG.official_web_domains)
def test_every_listed_candidate_is_recognised_as_a_lookalike(model, domain):
    missed = [
        c.domain
        for c in generate(domain)
        if model.match(c.domain) is None or model.match(c.ascii) is None
    ]
    assert missed == []


@pytest.mark.parametrize("domain", SEED_CONFIG.official_web_domains)
def test_every_listed_candidate_is_flagged_in_a_link_and_a_sender_address(engine, domain):
    for candidate in generate(domain)[::7]:  # a spread over every family keeps the test quick
        link = engine.check_text(f"Read more: https://{candidate.ascii}/info")
        assert link.has("link_lookalike"), candidate
        sender = engine.check_email(
            f"From: Info <info@{candidate.ascii}>\r\nSubject: Hello\r\n\r\nHello\r\n".encode()
        )
        assert sender.has("sender_domain_lookalike"), candidate

"""Lookalike domains: the watchlist's families and the detector that shares its model."""

from __future__ import annotations

import pytest

from trust.engine.lookalikes import FAMILIES, LookalikeModel, generate

from .conftest import SEED_CONFIG


@pytest.fixture(scope="module")
def model() -> LookalikeModel:
    """The model as the engine builds it: own domains, other official ones, the names."""
    return LookalikeModel(
        SEED_CONFIG.official_web_domains,
        related=SEED_CONFIG.other_official_web_domains,
        names=SEED_CONFIG.authority_names,
    )


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
        # Several substitutions at once: digit one or small L for i, q for g, rn or nn for m.
        ("m1gr1.fi", "migri.fi"),
        ("nniqrl.fi", "migri.fi"),
        ("rnlqr1.com", "migri.fi"),
        ("enterf1nlancl.fi", "enterfinland.fi"),
        ("xn--m1ri-cqb.fi", "migri.fi"),  # m1ǥri: a g with a stroke and a digit one
        # A trick combined with another one.
        ("secure.enterfinIand-fi.com", "enterfinland.fi"),  # capital I, -fi, a subdomain
        ("migri-portal.fi-verify.com", "migri.fi"),  # the name first, a country word after
        ("maahanmuuttovirasto-asiointi.fi-palvelu.net", "migri.fi"),
        ("rnigri-login.com", "migri.fi"),
        ("login.rnigri.com", "migri.fi"),
        ("asiointi-m1gri.fi", "migri.fi"),
        ("wwwmigri.fi", "migri.fi"),
        ("migri2024.com", "migri.fi"),
        ("mlgri-fi.net", "migri.fi"),
        ("enterfinland-tunnistus.online", "enterfinland.fi"),
        ("my.enter-finland.eu", "enterfinland.fi"),
        ("suomi-login.com", "suomi.fi"),
        ("suomi.fi-tunnistus.com", "suomi.fi"),
        ("migrationsverket-fi.se", "migri.fi"),
        ("finnish-immigration-service-online.com", "migri.fi"),
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
        "www.suomi.fi", "login.suomi.fi", "kirjaudu.enterfinland.fi", "poliisi.fi",
    ],
)  # fmt: skip
def test_official_and_unrelated_domains_are_not_lookalikes(model, host):
    assert model.match(host) is None


@pytest.mark.parametrize(
    "host",
    [
        "migrationsverket.se",  # Sweden's agency: the Swedish name alone under another suffix
        "magri.it", "nigri.it",  # one letter from a short name, under another suffix
        "mirri.fi",  # another letter far from g on every keyboard: another word, not a slip
        "keski-suomi.fi", "mail.keski-suomi.fi",  # a short name as a piece of a common name
        "suomi.yle.fi",  # ... or as a subdomain of another site, with no phishing word
        "winterfinland.com",  # two edits from a long name, under another suffix
    ],
)  # fmt: skip
def test_short_names_need_a_trick_or_a_suspicious_context(model, host):
    assert model.match(host) is None


def test_the_same_short_name_with_a_trick_or_a_phishing_word_is_a_lookalike(model):
    assert model.match("nigri.fi") is not None  # under the official suffix
    assert model.match("nigri-fi.it") is not None  # beside the country's code
    assert model.match("keski-suomi-login.fi") is not None
    assert model.match("suomi.yle-verify.fi") is not None


def test_a_subdomain_is_context_for_the_authoritys_own_short_name(model):
    assert model.match("tietoa.migri-ohjeistus.com").imitates == "migri.fi"
    assert model.match("tietoa.keski-suomi.fi") is None  # another official's name: not enough


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

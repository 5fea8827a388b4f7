"""Random lookalikes: one to three confusable substitutions in an official name, with or without
a phishing word around it (joined or hyphenated), a subdomain and another top-level domain."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trust.engine.confusables import homoglyphs_of
from trust.engine.domains import ascii_host
from trust.engine.lookalikes import LookalikeModel

from .conftest import SEED_CONFIG

# The confusable classes, in ASCII: every spelling reads as the letter in a browser's bar.
ASCII_CONFUSABLES = {
    "i": ("1", "l"), "l": ("1", "i"), "o": ("0",), "m": ("rn", "nn"), "w": ("vv",),
    "g": ("q",), "d": ("cl",),
}  # fmt: skip
NAMES = {"migri": "migri.fi", "enterfinland": "enterfinland.fi", "suomi": "suomi.fi"}
WORDS = (
    "login", "secure", "verify", "portal", "account", "support", "online", "my", "www", "info",
    "asiointi", "palvelu", "tunnistus", "kirjaudu", "maksu", "tjanst", "fi", "gov", "update",
)  # fmt: skip
TLDS = ("fi", "com", "net", "org", "eu", "info", "online", "xyz", "se", "co.uk", "com.br")
SUBDOMAINS = ("", "www.", "secure.", "login.", "a1.", "mail.", "x.y.")


def substitutes(letter: str) -> tuple[str, ...]:
    return ASCII_CONFUSABLES.get(letter, ()) + homoglyphs_of(letter)[:20]


@st.composite
def lookalikes(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(NAMES)))
    positions = [i for i, letter in enumerate(name) if substitutes(letter)]
    chosen = draw(st.lists(st.sampled_from(positions), min_size=1, max_size=3, unique=True))
    letters = list(name)
    for position in chosen:
        letters[position] = draw(st.sampled_from(substitutes(name[position])))
    label = "".join(letters)
    word = draw(st.sampled_from(("",) + WORDS))
    if word:
        joint = draw(st.sampled_from(("", "-")))
        label = f"{word}{joint}{label}" if draw(st.booleans()) else f"{label}{joint}{word}"
    host = draw(st.sampled_from(SUBDOMAINS)) + label + "." + draw(st.sampled_from(TLDS))
    return host, NAMES[name]


@pytest.fixture(scope="module")
def model() -> LookalikeModel:
    return LookalikeModel(
        SEED_CONFIG.official_web_domains,
        related=SEED_CONFIG.other_official_web_domains,
        names=SEED_CONFIG.authority_names,
    )


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lookalikes())
def test_substitutions_combined_with_other_tricks_are_recognised(model, case):
    host, imitates = case
    found = model.match(host)
    assert found is not None, host
    assert found.imitates == imitates, host
    assert model.match(ascii_host(host)) == found, host


@pytest.mark.parametrize(
    "host",
    [
        "secure.enterfinIand-fi.com", "migri-portal.fi-verify.com",
        "maahanmuuttovirasto-asiointi.fi-palvelu.net", "rnigri-login.com", "m1gr1.fi",
        "nniqrl.fi", "enterf1nlancl.fi", "asiointi.rnigri.eu", "migri-status.com",
        "xn--mgri-vpa.fi",  # mígri
    ],
)  # fmt: skip
def test_combined_tricks_are_flagged_in_a_link_and_as_the_sender(engine, host):
    assert engine.check_url(f"https://{host}/login").has("link_lookalike")
    message = f"From: Migri <noreply@{host}>\r\nSubject: Hakemus\r\n\r\nHei\r\n".encode()
    assert engine.check_email(message).has("sender_domain_lookalike")

"""The browser tests' list of left-out patterns stays true to the URLconf (runs without a browser;
test_every_page.py checks that every other named pattern is visited)."""

from tests.accessibility.site_map import EXCLUDED, named_patterns


def test_every_left_out_pattern_exists_and_says_why():
    patterns = named_patterns()
    assert set(EXCLUDED) - patterns == set()
    assert all(len(reason) > 5 for reason in EXCLUDED.values())


def test_the_site_map_finds_the_namespaced_pages():
    patterns = named_patterns()
    assert {"casework:queue", "securemail:start", "payments:embedded_pay", "audit:log"} <= patterns
    # Most named patterns are pages the browser tests must visit, not left out.
    assert len(patterns - set(EXCLUDED)) > len(EXCLUDED)

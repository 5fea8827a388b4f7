"""The browser tests' list of left-out patterns stays true to the URLconf, and the list of pages
checked with axe (tests/accessibility/coverage.py) says what was checked and what failed (runs
without a browser; test_every_page.py checks that every other named pattern is visited)."""

import datetime

from tests.accessibility.coverage import TOTAL_LINE, render
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


def _record(name, language, violations=0, role="applicant", rules=()):
    return {
        "test": "tests/accessibility/test_every_page.py::test_every_page",
        "role": role,
        "language": language,
        "name": name,
        "path": f"/{name.replace(':', '/')}/",
        "viewport": "1280x720",
        "violations": violations,
        "rules": list(rules),
    }


def test_the_coverage_page_counts_loads_per_language_and_names_each_violation():
    records = [
        _record("applications:home", "fi"),
        _record("applications:home", "sv"),
        _record("applications:home", "sv", role="anonymous"),
        _record("casework:queue", "en", violations=2, role="caseworker", rules=("label", "list")),
    ]
    page = render(records, "abc123", datetime.datetime(2026, 12, 1, 4, 0))
    assert "| `applications:home` | anonymous, applicant | 1 | 2 | 0 | 1280x720 | 0 |" in page
    assert "| `casework:queue` | caseworker | 0 | 0 | 1 | 1280x720 | 2 |" in page
    assert "(caseworker, en, 1280x720): 2 — label, list" in page
    assert TOTAL_LINE.format(total=2) in page
    assert "`abc123`" in page and "2026-12-01 04:00 UTC" in page
    # The patterns left out are listed with their reasons.
    assert f"- `documents:download`: {EXCLUDED['documents:download']}" in page

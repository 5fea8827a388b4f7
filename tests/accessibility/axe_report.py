"""What the browser tests checked with axe-core: one record per page load (the test, the role, the
page's language, the URL pattern's name, the path, the viewport and the violations found).

The records are kept in memory and summarised at the end of the run (tests/accessibility/
conftest.py). With AXE_REPORT=path they are also appended to that file as JSON lines, one per
page load, so that several pytest workers can write one report; `make accessibility-coverage`
renders docs/accessibility-coverage.md from it (tests/accessibility/coverage.py)."""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

RECORDS: list[dict] = []


def url_name(path: str) -> str:
    """The URL pattern's name with its namespace ("casework:queue"), or "" for no pattern."""
    try:
        return resolve(urlsplit(path).path).view_name
    except Resolver404:
        return ""


def record(page, violations: list[dict], role: str) -> dict:
    """Keep what axe found on the page now shown (and append it to $AXE_REPORT when set)."""
    path = urlsplit(page.url).path
    viewport = page.viewport_size or {}
    entry = {
        # pytest sets this for the running test: "path::name (call)".
        "test": os.environ.get("PYTEST_CURRENT_TEST", "").split(" ")[0],
        "role": role,
        "language": page.evaluate("document.documentElement.lang"),
        "name": url_name(path),
        "path": path,
        "viewport": f"{viewport.get('width')}x{viewport.get('height')}",
        "violations": len(violations),
        "rules": sorted({violation["rule"] for violation in violations}),
    }
    RECORDS.append(entry)
    target = os.environ.get("AXE_REPORT")
    if target:
        # One write per line in append mode: lines from two workers do not interleave.
        with open(target, "a", encoding="utf-8") as report:
            report.write(json.dumps(entry, ensure_ascii=False) + "\n")
    return entry


def summary(records: list[dict]) -> list[str]:
    """A few lines for the end of a test run: loads, patterns, languages, violations."""
    if not records:
        return []
    names = {entry["name"] for entry in records}
    by_language: dict[str, int] = {}
    for entry in records:
        by_language[entry["language"]] = by_language.get(entry["language"], 0) + 1
    failing = [entry for entry in records if entry["violations"]]
    lines = [
        f"axe-core (WCAG 2.1 A/AA): {len(records)} page loads, {len(names)} URL patterns, "
        + ", ".join(f"{language} {count}" for language, count in sorted(by_language.items()))
        + f"; {sum(entry['violations'] for entry in records)} violations",
    ]
    lines += [
        f"  {entry['violations']} violations ({', '.join(entry['rules'])}): {entry['role']} "
        f"{entry['language']} {entry['name']} {entry['path']} {entry['viewport']}"
        for entry in failing
    ]
    return lines

"""Renders the list of pages the browser tests checked with axe-core, with what axe found, as
Markdown (docs/accessibility-coverage.md) from the records AXE_REPORT collects.

    make accessibility-coverage

runs the browser tests with AXE_REPORT=var/axe-report.jsonl, then
`python -m tests.accessibility.coverage var/axe-report.jsonl > docs/accessibility-coverage.md`."""

from __future__ import annotations

import datetime
import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from tests.accessibility.site_map import EXCLUDED

LANGUAGES = ("fi", "sv", "en")
ROLES = ("anonymous", "applicant", "caseworker", "administrator")
# The line test_site_map.py reads to know that the committed list found nothing.
TOTAL_LINE = "Violations in total: {total}"


def read_records(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def render(records: list[dict], commit: str, generated: datetime.datetime) -> str:
    """The Markdown page: a header saying when, at which commit and how; one row per URL pattern
    with its loads per language, the roles and viewports; every violation; the patterns left out."""
    by_name: dict[str, list[dict]] = defaultdict(list)
    for entry in records:
        # A page no pattern names (the "not found" page) is listed by its address.
        by_name[entry["name"] or entry["path"]].append(entry)
    total = sum(entry["violations"] for entry in records)
    languages = {language: 0 for language in LANGUAGES}
    for entry in records:
        languages[entry["language"]] = languages.get(entry["language"], 0) + 1
    patterns = len({entry["name"] for entry in records if entry["name"]})
    unnamed = len(by_name) - patterns
    tests = sorted({entry["test"].split("::")[0] for entry in records if entry["test"]})

    lines = [
        "# Pages checked with axe-core",
        "",
        f"Generated {generated:%Y-%m-%d %H:%M} UTC from a run of the browser tests at commit "
        f"`{commit}`, in Debian's Chromium with axe-core (WCAG 2.1 A and AA: tags "
        "wcag2a, wcag2aa, wcag21a, wcag21aa). Regenerate it with `make accessibility-coverage`"
        " (the browser tests with `AXE_REPORT` set, then `tests/accessibility/coverage.py`); do"
        " not edit it by hand.",
        "",
        f"{len(records)} page loads of {len(by_name)} pages ({patterns} URL patterns"
        + (
            f" and {unnamed} {'address' if unnamed == 1 else 'addresses'} that no pattern names"
            if unnamed
            else ""
        )
        + "), "
        + ", ".join(f"{count} in {language}" for language, count in languages.items())
        + ", by "
        + ", ".join(f"`{test}`" for test in tests)
        + ".",
        "",
        TOTAL_LINE.format(total=total) + ".",
        "",
        "## Pages",
        "",
        "Each cell is the number of page loads in that language; a page is loaded in the states"
        " people meet it (empty, with errors, with a result), as each role that reaches it.",
        "",
        "| URL pattern | Roles | " + " | ".join(LANGUAGES) + " | Viewports | Violations |",
        "|---|---|" + "---:|" * len(LANGUAGES) + "---|---:|",
    ]
    for name in sorted(by_name):
        entries = by_name[name]
        roles = sorted({entry["role"] for entry in entries}, key=_role_order)
        viewports = sorted({entry["viewport"] for entry in entries})
        counts = [sum(1 for entry in entries if entry["language"] == code) for code in LANGUAGES]
        lines.append(
            f"| `{name}` | {', '.join(roles)} | "
            + " | ".join(str(count) for count in counts)
            + f" | {', '.join(viewports)} | {sum(entry['violations'] for entry in entries)} |"
        )

    failing = [entry for entry in records if entry["violations"]]
    lines += ["", "## Violations", ""]
    if not failing:
        lines.append("None.")
    for entry in failing:
        lines.append(
            f"- `{entry['name']}` {entry['path']} ({entry['role']}, {entry['language']}, "
            f"{entry['viewport']}): {entry['violations']} — {', '.join(entry['rules'])}"
        )

    lines += [
        "",
        "## Named URL patterns that are not pages",
        "",
        "Left out of the browser tests, each with its reason (`tests/accessibility/site_map.py`).",
        "",
    ]
    lines += [f"- `{name}`: {reason}" for name, reason in sorted(EXCLUDED.items())]
    return "\n".join(lines) + "\n"


def _role_order(role: str) -> int:
    return ROLES.index(role) if role in ROLES else len(ROLES)


def _commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short=12", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    # What the run itself rewrites (this page, the README's screenshots) does not count.
    outputs = [":!docs/accessibility-coverage.md", ":!docs/screenshots"]
    dirty = subprocess.run(
        ["git", "diff", "--quiet", "HEAD", "--", ".", *outputs], check=False
    ).returncode
    return f"{head} with uncommitted changes" if dirty else head


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.accessibility.coverage AXE_REPORT.jsonl", file=sys.stderr)
        return 2
    records = read_records(Path(argv[0]))
    if not records:
        print(f"{argv[0]} holds no records: did the browser tests run?", file=sys.stderr)
        return 1
    sys.stdout.write(render(records, _commit(), datetime.datetime.now(datetime.UTC)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

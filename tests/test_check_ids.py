"""Each system check message has an id of its own: an operator silences one by its id
(SILENCED_SYSTEM_CHECKS) and looks it up in the README, so two checks sharing one would silence or
explain each other."""

import re
from collections import defaultdict
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SKIPPED_FOLDERS = {".venv", "tests", "var", ".git", "node_modules", "bench"}
CHECK_ID = re.compile(r"""\bid=["']([a-z_]+\.[CEWID]\d{3})["']""")


def check_ids(sources: dict[str, str]) -> dict[str, list[str]]:
    places = defaultdict(list)
    for path, source in sources.items():
        for number, line in enumerate(source.splitlines(), start=1):
            for check_id in CHECK_ID.findall(line):
                places[check_id].append(f"{path}:{number}")
    return places


def test_no_two_system_checks_share_an_id():
    sources = {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for path in sorted(ROOT.rglob("*.py"))
        if not SKIPPED_FOLDERS.intersection(path.relative_to(ROOT).parts[:-1])
    }
    places = check_ids(sources)
    assert len(places) >= 10  # the scan finds the project's checks
    assert {check_id: found for check_id, found in places.items() if len(found) > 1} == {}


def test_the_scan_finds_a_shared_id():
    places = check_ids(
        {"a.py": 'Error("x", id="core.E101")', "b.py": "Warning('y', id='core.E101')"}
    )
    assert places == {"core.E101": ["a.py:1", "b.py:1"]}

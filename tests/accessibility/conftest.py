"""Fixtures for the accessibility tests: the shipped permit types; and the axe-core summary at the
end of a run (tests/accessibility/axe_report.py)."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.accessibility import axe_report


@pytest.fixture
def permit_types(db):
    # What an operator runs once after installing.
    call_command("load_permit_types", stdout=io.StringIO())


def pytest_terminal_summary(terminalreporter):
    records = axe_report.RECORDS
    target = os.environ.get("AXE_REPORT")
    if not records and target and Path(target).is_file():
        # Run with pytest-xdist: the workers wrote the records, this process has none.
        lines = Path(target).read_text(encoding="utf-8").splitlines()
        records = [json.loads(line) for line in lines if line.strip()]
    for line in axe_report.summary(records):
        terminalreporter.write_line(line)

"""Named points in crash-sensitive work where the crash tests stop a process on purpose.

`checkpoint("documents.scan")` does nothing unless the setting CRASH_TEST_PAUSE_AT names that
point (among others, separated by commas). Only the crash tests' settings module (tests/e2e/crash_settings.py) sets it: the process then
writes CRASH_TEST_MARKER_FILE and sleeps until the test kills it with SIGKILL, so the test hits the
middle of the work every time instead of racing a timer.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from django.conf import settings


def checkpoint(name: str) -> None:
    paused_at = settings.CRASH_TEST_PAUSE_AT  # comma-separated names
    if not paused_at or name not in paused_at.split(","):
        return
    marker = Path(settings.CRASH_TEST_MARKER_FILE)
    marker.write_text(f"{name} {os.getpid()}\n")
    while True:  # until SIGKILL; the test never lets it return
        time.sleep(1)

"""core.allocator: large short-lived buffers stop costing a page fault per 4 KiB once tuned."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.allocator import _libc_mallopt

ROOT = Path(__file__).resolve().parents[2]

# Run in a process of its own (the thresholds cannot be undone, and the test process's own heap
# would blur the count): buffers of 1 to 3 MiB made and dropped, as an upload's body passes.
WORKLOAD = """
import resource, sys
if sys.argv[1] == "tuned":
    from core.allocator import tune_malloc_for_large_bodies
    assert tune_malloc_for_large_bodies()
elif sys.argv[1] == "server":
    import config.wsgi  # what gunicorn imports in each worker
piece = b"x" * (1 << 20)
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(100):
    read = piece + b"y"
    joined = read + read + read
    rest = joined[1:]
    del read, joined, rest
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""

pytestmark = pytest.mark.skipif(_libc_mallopt() is None, reason="this C library has no mallopt")


def _page_faults(mode: str) -> int:
    result = subprocess.run(
        [sys.executable, "-c", WORKLOAD, mode],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
    )
    return int(result.stdout.split()[-1])


def test_tuned_malloc_keeps_large_buffers_pages_instead_of_faulting_them_in_again():
    default = _page_faults("default")
    tuned = _page_faults("tuned")
    # 100 rounds of about 7 MiB: glibc's defaults fault in most of it every round (some 200,000
    # faults); tuned, only the first round's heap growth (about 2,000).
    assert tuned * 10 < default, (default, tuned)
    assert tuned < 100 * 256, tuned  # less than one fault per 4 KiB page of one round's 1 MiB


def test_the_server_process_is_tuned_by_the_wsgi_module():
    assert _page_faults("server") < 100 * 256

"""The CPU quota that bench/peakday/scaling.py gives each web process: a real cgroup on this
machine limits a busy process to its share, and everything is undone afterwards."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peakday"))

from cpu_quota import CpuQuota  # noqa: E402
from scaling import quota_used  # noqa: E402

BUSY = "while True: pass"


@pytest.fixture
def busy_process():
    process = subprocess.Popen([sys.executable, "-c", BUSY])  # noqa: S603 (our own interpreter)
    yield psutil.Process(process.pid)
    process.kill()
    process.wait()


def cpu_seconds(process: psutil.Process) -> float:
    times = process.cpu_times()
    return times.user + times.system


@pytest.mark.skipif(bool(CpuQuota.available()), reason=f"no cgroups here: {CpuQuota.available()}")
def test_a_busy_process_gets_no_more_than_its_quota_and_is_released_after(busy_process):
    with CpuQuota([busy_process.pid], cores=0.2) as quota:
        group = quota.groups[busy_process.pid]
        assert str(busy_process.pid) in (group / "cgroup.procs").read_text().split()
        before, started = cpu_seconds(busy_process), time.monotonic()
        time.sleep(1.5)
        used = cpu_seconds(busy_process) - before
        elapsed = time.monotonic() - started
        assert quota.throttled()[busy_process.pid] > 0
    # A ceiling, not a share: a busy machine gives less, never more (one period of slack).
    assert used <= 0.2 * elapsed + 0.1
    assert not group.exists()
    assert str(busy_process.pid) in (quota.root / "cgroup.procs").read_text().split()


def test_the_table_marks_a_client_bound_or_void_measurement():
    row = {"quota_used": 0.95, "workers_replaced": False}
    assert quota_used(row) == "95 %"
    assert quota_used({**row, "quota_used": 0.5}) == "50 % (client-bound)"
    assert quota_used({**row, "workers_replaced": True}).endswith("void)")
    assert quota_used({**row, "quota_used": None}) == "no quota"

"""A fixed CPU budget per web process, so that 1 → 2 web processes can be measured on a machine
whose cores are shared with the load generator and the database.

On a 2-core machine two unbounded web processes compete with locust and PostgreSQL for the same
cores, and the ratio measures the machine, not the platform. Giving each web process its own CPU
quota (a Linux cgroup's CFS bandwidth limit, what an orchestrator's CPU limit on a container is)
makes each process a fixed slice, like a machine of its own: with N processes the server has N
slices, and the ratio of requests per second tells whether the platform scales across them (nothing
shared but the database). The measurement is valid only where the processes used their slices (the
server, not the client, was the limit): the caller compares their CPU time with the quota, and
`throttled()` says how often each process waited for its next slice.

cgroup v1 (`/sys/fs/cgroup/cpu`) and v2 (`/sys/fs/cgroup` with the cpu controller) are supported;
writing there needs root. Where neither is writable, `CpuQuota.available()` says why and the caller
measures without quotas.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

PERIOD_US = 100_000
V1_ROOT = Path("/sys/fs/cgroup/cpu")
V2_ROOT = Path("/sys/fs/cgroup")


def _v2_usable() -> bool:
    controllers = V2_ROOT / "cgroup.controllers"
    return controllers.exists() and "cpu" in controllers.read_text().split()


class CpuQuota:
    """One cgroup per process, each limited to `cores` of CPU; undone on exit (the processes go
    back to the root group, the groups are removed)."""

    def __init__(self, pids: list[int], cores: float):
        if cores <= 0:
            raise ValueError("cores must be positive")
        self.pids, self.cores = list(pids), cores
        self.version = 2 if _v2_usable() else 1
        self.root = V2_ROOT if self.version == 2 else V1_ROOT
        self.groups: dict[int, Path] = {}

    @classmethod
    def available(cls) -> str | None:
        """None where quotas can be set here, else the reason they cannot."""
        root = V2_ROOT if _v2_usable() else V1_ROOT
        if not (root / "cgroup.procs").exists():
            return "no cgroup cpu controller is mounted"
        if not os.access(root, os.W_OK):
            return f"{root} is not writable (quotas need root)"
        return None

    def __enter__(self) -> CpuQuota:
        token = secrets.token_hex(3)
        quota_us = max(1000, round(self.cores * PERIOD_US))
        try:
            for pid in self.pids:
                group = self.root / f"permitsafe-bench-{token}-{pid}"
                group.mkdir()
                self.groups[pid] = group
                if self.version == 2:
                    (group / "cpu.max").write_text(f"{quota_us} {PERIOD_US}")
                else:
                    (group / "cpu.cfs_period_us").write_text(str(PERIOD_US))
                    (group / "cpu.cfs_quota_us").write_text(str(quota_us))
                # cgroup.procs moves the whole process, every thread of it.
                (group / "cgroup.procs").write_text(str(pid))
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_exc) -> None:
        for pid, group in self.groups.items():
            with contextlib.suppress(OSError):  # the process has exited
                (self.root / "cgroup.procs").write_text(str(pid))
            # A group a process forked inside still holds stays until that process exits.
            with contextlib.suppress(OSError):
                group.rmdir()
        self.groups = {}

    def throttled(self) -> dict[int, int]:
        """Periods in which each process hit its quota and waited."""
        throttled = {}
        for pid, group in self.groups.items():
            for line in (group / "cpu.stat").read_text().splitlines():
                key, _, value = line.partition(" ")
                if key == "nr_throttled":
                    throttled[pid] = int(value)
        return throttled

"""The peak-day runner stops the load, and declares the run void, when the cluster stops under
it (a cluster that lost its web port once went on answering every request with a refusal for
ten minutes of a run)."""

from __future__ import annotations

import os
import sys
import time
from argparse import Namespace
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peakday"))

import run  # noqa: E402


class StoppedCluster:
    """A stand-in for deploy.launched.Launched (named as such): a cluster whose supervisor has
    exited. Starting and killing a real cluster for this takes minutes."""

    base_url = "http://127.0.0.1:9"
    var = Path("/nonexistent")
    info = {"logs": "/nonexistent/logs"}

    def running(self) -> bool:
        return False


def test_a_cluster_that_stops_ends_the_load_and_voids_the_run(tmp_path, monkeypatch):
    # The load generator: a program that would run for a minute.
    load = tmp_path / "load"
    load.write_text("#!/bin/sh\nexec sleep 60\n", encoding="utf-8")
    load.chmod(0o755)
    monkeypatch.setattr(run, "LOCUST", str(load))
    monkeypatch.setattr(run, "CLUSTER_WATCH_SECONDS", 0.2)
    plan = tmp_path / "plan.json"
    plan.write_text("{}", encoding="utf-8")

    began = time.monotonic()
    with pytest.raises(SystemExit, match="the cluster stopped during the load"):
        run.run_locust(Namespace(run_time=60, ramp_seconds=0), plan, tmp_path, 1, StoppedCluster())
    assert time.monotonic() - began < 30


def test_a_launched_cluster_is_running_while_its_supervisor_lives(tmp_path):
    import subprocess

    from deploy.launched import Launched

    assert Launched(var=tmp_path, info={"supervisor_pid": os.getpid()}, environment={}).running()
    ended = subprocess.Popen([sys.executable, "-c", "pass"])  # noqa: S603
    ended.wait()
    assert not Launched(var=tmp_path, info={"supervisor_pid": ended.pid}, environment={}).running()
    assert not Launched(var=tmp_path, info={}, environment={}).running()

"""The API and its OpenAPI document agree: schemathesis, every check, against the real Django app
served on loopback (what `schemathesis run --checks all` does in CI, bounded to stay under a
minute)."""

from __future__ import annotations

import os
import subprocess
import sys


def test_schemathesis_with_every_check_finds_nothing(live_server, settings, tmp_path):
    # Hundreds of requests from one address: the limiter must not turn them into 429s.
    settings.RATE_LIMITS = {"trust.api.check": (100_000, 60)}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",  # a development dependency (pyproject.toml)
            "run",
            f"{live_server.url}/api/v1/openapi.json",
            "--checks",
            "all",
            "--max-examples",
            "30",
            "--seed",
            "7",
            "--workers",
            "1",
            "--request-timeout",
            "20",
            "--max-time",
            "30",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_TELEMETRY": "false"},
    )
    output = completed.stdout + completed.stderr
    assert completed.returncode == 0, output[-6000:]

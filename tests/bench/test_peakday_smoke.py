"""The peak-day load run at a tiny scale, end to end, on the production topology (deploy.cluster:
gunicorn in production settings, a db_worker, SeaweedFS S3, clamd, the mail sink, the SMS file
gateway and the Paytrail stand-in, a PostgreSQL database of its own): the locust scenario, the
queue drained, the nothing-lost check passing (every attachment read back from S3) and the report
written. The figures are not asserted (a smoke run on a busy machine
says nothing about speed); what is asserted is that nothing was lost and nothing failed."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ADMIN_URL = os.environ.get(
    "PEAKDAY_ADMIN_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture
def postgresql_server():
    import psycopg

    try:
        psycopg.connect(ADMIN_URL, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        pytest.skip(f"the peak-day run needs PostgreSQL ({error.__class__.__name__})")
    return ADMIN_URL


def test_a_tiny_peak_day_loses_nothing_and_writes_its_report(postgresql_server, tmp_path):
    # The server runs with its own settings: nothing of the test settings may leak into it.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PERMITSAFE_MODE", "DATABASE_URL"}
    }
    output = tmp_path / "run"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "peakday" / "run.py"),
            "--start-cluster",
            "--web",
            "2",
            "--workers",
            "1",
            "--applications",
            "4",
            "--sign-ins",
            "6",
            "--checks",
            "40",
            "--caseworkers",
            "1",
            "--users",
            "6",
            # A bound, not the length: the run ends when its quotas are done (about a minute);
            # on a busy shared machine it may need more.
            "--run-time",
            "300",
            "--sample-interval",
            "2",
            "--output",
            str(output),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=700,
    )
    assert (output / "report.md").exists(), result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((output / "report.json").read_text(encoding="utf-8"))
    # Whatever fails below, the report and locust's failures say why.
    failures = output / "locust_failures.csv"
    why = (output / "report.md").read_text(encoding="utf-8")[:6000] + (
        failures.read_text(encoding="utf-8")[-2000:] if failures.exists() else ""
    )
    assert report["nothing_lost"]["pass"], json.dumps(report["nothing_lost"], indent=2)
    assert report["goals"]["failures"] == 0, why
    assert report["goals"]["queue_drained"], why
    assert report["accepted_applications"] == 4, why
    assert report["done"]["checks"] == 40, why
    assert report["setup"]["payments"] == "standin" and report["setup"]["storage"] == "s3"
    documents = report["nothing_lost"]["checks"]["applications and attachments"]["figures"]
    assert documents["documents_opened"] >= 8 and documents["storage"].startswith("S3 bucket")
    endpoints = {row["endpoint"] for row in report["endpoints"]}
    for expected in (
        "POST /accounts/two-factor/setup/",
        "POST /applications/<id>/attachments/",
        # Paid through the platform's Paytrail provider against the stand-in's page.
        "paytrail GET /pay/<uuid>",
        "paytrail POST /pay/<uuid>",
        "GET /payments/return/paytrail/success/",
        "POST /casework/<id>/decide/",
        "POST /securemail/messages/new/",
        "POST /trust/check/",
        "POST /api/v1/check",
    ):
        assert expected in endpoints, f"{expected}\n{why}"
    assert "## Nothing lost" in (output / "report.md").read_text(encoding="utf-8")
    # Every request to the cluster is timed inside the server too (gunicorn's access log), and
    # that log holds no address: not the proxy's, not the X-Forwarded-For each user sends.
    for row in report["endpoints"]:
        if row["type"] != "FLOW" and not row["endpoint"].startswith("paytrail "):
            assert row.get("server_p99_ms") is not None, f"{row['endpoint']}\n{why}"
    access_log = (output / "cluster" / "logs" / "access.log").read_text(encoding="utf-8")
    assert not re.search(r"\b\d{1,3}(\.\d{1,3}){3}\b", access_log)

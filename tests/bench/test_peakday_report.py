"""The peak-day report's server-side timing: gunicorn's access log (deploy.cluster --access-log)
read into per-endpoint percentiles under the same endpoint names as locust's."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peakday"))

from report import server_latency  # noqa: E402

from deploy.cluster import ACCESS_LOG_FORMAT, Cluster, parse_arguments  # noqa: E402


def test_access_log_lines_become_percentiles_per_endpoint(tmp_path):
    log = tmp_path / "access.log"
    lines = [f"GET /trust/check/ 200 {ms}" for ms in range(1, 101)]
    lines += [
        "POST /applications/12/section/contact/ 302 40",
        "POST /applications/7/section/contact/ 302 60",
        "GET /securemail/messages/0b6c6f5e-3f2a-4a8e-9d55-0e0f7c1d2a3b/sent/ 200 9",
        "a line gunicorn did not write",
        "GET /trust/check/ 200 not-a-number",
    ]
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")

    timed = server_latency(log)

    assert timed["GET /trust/check/"] == {
        "requests": 100,
        "mean_ms": 50.5,
        "p50_ms": 50,
        "p95_ms": 95,
        "p99_ms": 99,
    }
    assert timed["POST /applications/<id>/section/contact/"]["requests"] == 2
    assert timed["POST /applications/<id>/section/contact/"]["p99_ms"] == 60
    assert timed["GET /securemail/messages/<uuid>/sent/"]["p50_ms"] == 9
    assert len(timed) == 3


def test_no_access_log_means_no_server_figures(tmp_path):
    assert server_latency(None) == {}
    assert server_latency(tmp_path / "missing.log") == {}


def test_the_cluster_logs_no_client_address_and_no_query_string(tmp_path):
    """The access log is off unless asked for, and its format names neither the client (%(h)s,
    a personal datum) nor the query string (%(q)s, %(r)s: it may carry a token)."""
    quiet = Cluster(parse_arguments(["--var-dir", str(tmp_path)]))
    assert quiet.access_log_options() == []
    timed = Cluster(parse_arguments(["--var-dir", str(tmp_path), "--access-log"]))
    options = timed.access_log_options()
    assert options[options.index("--access-logformat") + 1] == ACCESS_LOG_FORMAT
    for field in ("%(h)s", "%(q)s", "%(r)s", "%(a)s", "%(u)s", "%(f)s", "%({"):
        assert field not in ACCESS_LOG_FORMAT

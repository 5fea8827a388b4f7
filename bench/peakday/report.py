"""The peak day's report: per endpoint (requests, failures, 429s, p50/p95/p99, CPU per request and
throughput per CPU-second), the database's work per request, the queue's backlog over time, the
goals and the nothing-lost check; written as report.md and report.json.

CPU per endpoint is an estimate: the web processes' CPU seconds (measured) shared among the
endpoints by their part of the total time inside the server (count × mean, from gunicorn's access
log; locust's response times where there is none), which holds for sync gunicorn workers as long
as time waiting on the database is spread alike.
"""

from __future__ import annotations

import csv
import datetime
import json
import math
from pathlib import Path

import psycopg
from client import endpoint

PAGE_P99_GOAL_MS = 300
PEAK_DAY_APPLICATIONS = 5_000


def endpoint_rows(out: Path, rate_limited: dict[str, int]) -> list[dict]:
    rows = []
    with open(out / "locust_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                continue
            count = int(row["Request Count"])
            rows.append(
                {
                    "type": row["Type"],
                    "endpoint": row["Name"],
                    "requests": count,
                    "failures": int(row["Failure Count"]),
                    "rate_limited_429": rate_limited.get(row["Name"], 0),
                    "p50_ms": _number(row["50%"]),
                    "p95_ms": _number(row["95%"]),
                    "p99_ms": _number(row["99%"]),
                    "mean_ms": round(float(row["Average Response Time"] or 0), 1),
                    "bytes": round(float(row["Average Content Size"] or 0)),
                }
            )
    return rows


def server_latency(access_log: Path | None) -> dict[str, dict]:
    """Per endpoint, the milliseconds each request spent inside the server, from gunicorn's
    access log (deploy.cluster --access-log: "METHOD PATH STATUS MS"): p50/p95/p99 by nearest
    rank. Beside locust's figures it tells the server's own time from the wait in the listen
    queue and the load generator's delays on the same cores."""
    if access_log is None or not access_log.exists():
        return {}
    times: dict[str, list[int]] = {}
    with open(access_log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) != 4 or not parts[3].isdigit():
                continue
            method, path, _status, milliseconds = parts
            times.setdefault(endpoint(method, path), []).append(int(milliseconds))
    return {name: _percentiles(sorted(values)) for name, values in times.items()}


def _percentiles(values: list[int]) -> dict:
    def rank(quantile: float) -> int:
        return values[max(0, math.ceil(quantile * len(values)) - 1)]

    return {
        "requests": len(values),
        "mean_ms": sum(values) / len(values),
        "p50_ms": rank(0.5),
        "p95_ms": rank(0.95),
        "p99_ms": rank(0.99),
    }


def _number(value: str) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def is_provider(row: dict) -> bool:
    return row["endpoint"].startswith("paytrail ")


def is_page(row: dict) -> bool:
    """A page a person waits for: an HTML GET (not the API, not a file download)."""
    name = row["endpoint"]
    return row["type"] == "GET" and "/documents/" not in name and "/api/" not in name


def document_bytes(database_url: str, since: float) -> dict:
    started = datetime.datetime.fromtimestamp(since, tz=datetime.UTC)
    with psycopg.connect(database_url, autocommit=True) as connection:
        rows = connection.execute(
            "SELECT purpose, count(*), coalesce(sum(size), 0) FROM documents_document "
            "WHERE created_at >= %s GROUP BY purpose ORDER BY purpose",
            [started],
        ).fetchall()
    return {purpose: {"documents": count, "bytes": int(size)} for purpose, count, size in rows}


def build_report(
    *,
    out: Path,
    plan: dict,
    samples: list[dict],
    before: dict,
    after: dict,
    load_seconds: float,
    drained_after: float | None,
    processes,
    nothing_lost: dict,
    locust_status: int,
    working_day_hours: float,
    setup: dict,
    database_url: str,
    access_log: Path | None = None,
) -> dict:
    summary_path = out / "locust_summary.json"
    summary = json.loads(summary_path.read_text(encoding="utf-8")) if summary_path.exists() else {}
    rows = endpoint_rows(out, summary.get("rate_limited", {}))
    # The server's requests: not the FLOW failures, not the payment provider's pages (the
    # Paytrail stand-in's CPU is not the web processes').
    http_rows = [row for row in rows if row["type"] != "FLOW" and not is_provider(row)]
    requests = sum(row["requests"] for row in http_rows)
    cpu = after.get("cpu", {})
    web_cpu = cpu.get("web", 0.0)
    in_server = server_latency(access_log)
    for row in http_rows:
        timed = in_server.get(row["endpoint"])
        if timed:
            row["server_p50_ms"], row["server_p99_ms"] = timed["p50_ms"], timed["p99_ms"]

    def busy_ms(row) -> float:
        # Time inside the server where the access log has it: the wait in the listen queue
        # (in locust's times) would inflate the fast requests' share at saturation.
        timed = in_server.get(row["endpoint"])
        return row["requests"] * (timed["mean_ms"] if timed else row["mean_ms"])

    busy = sum(busy_ms(row) for row in http_rows) or 1.0
    for row in http_rows:
        share = busy_ms(row) / busy
        cpu_ms = 1000 * web_cpu * share / row["requests"] if row["requests"] else None
        row["web_cpu_ms_per_request"] = round(cpu_ms, 2) if cpu_ms else None
        row["requests_per_web_cpu_second"] = round(1000 / cpu_ms, 1) if cpu_ms else None
    database = {
        name: after["database"].get(name, 0) - before["database"].get(name, 0)
        for name in after.get("database", {})
    }
    per_request = {
        name: round(value / requests, 2) if requests else None for name, value in database.items()
    }
    started = samples[0]["t"] if samples else 0
    journal_counts = _journal_counts(out / "journal.jsonl")
    accepted = journal_counts.get("application", 0)
    stored = document_bytes(database_url, _journal_start(out / "journal.jsonl"))
    stored_bytes = sum(item["bytes"] for item in stored.values())
    day_fraction = plan["targets"]["applications"] / PEAK_DAY_APPLICATIONS
    compression = working_day_hours * 3600 * day_fraction / load_seconds if load_seconds else None
    pages = [row for row in http_rows if is_page(row)]
    slow_pages = [row["endpoint"] for row in pages if (row["p99_ms"] or 0) >= PAGE_P99_GOAL_MS]
    slow_in_server = [
        row["endpoint"]
        for row in pages
        if row.get("server_p99_ms") is not None and row["server_p99_ms"] >= PAGE_P99_GOAL_MS
    ]
    failures = sum(row["failures"] for row in rows)
    goals = {
        "pages_p99_under_300_ms": not slow_pages,
        "slow_pages": slow_pages,
        # Diagnostic, not a goal of its own: the same pages timed inside the server (None: no
        # access log).
        "pages_server_p99_under_300_ms": not slow_in_server if in_server else None,
        "slow_pages_in_server": slow_in_server,
        "no_failures_but_429": failures == 0,
        "failures": failures,
        "rate_limited_429": sum(summary.get("rate_limited", {}).values()),
        "queue_drained": drained_after is not None,
        "queue_drained_after_seconds": drained_after,
        "nothing_lost": nothing_lost.get("pass"),
    }
    goals["all_met"] = bool(
        goals["pages_p99_under_300_ms"]
        and goals["no_failures_but_429"]
        and goals["queue_drained"]
        and goals["nothing_lost"] is not False
    )
    backlog = [
        {"t": sample["t"] - started, **sample["queue"]} for sample in samples if "queue" in sample
    ]
    return {
        "run_id": plan["run_id"],
        "setup": setup,
        "plan": plan["quotas"],
        "targets": plan["targets"],
        "done": summary.get("done", {}),
        "counts": summary.get("counts", {}),
        "load_seconds": round(load_seconds, 1),
        "compression_factor": round(compression, 1) if compression else None,
        "requests": requests,
        "requests_per_second": round(requests / load_seconds, 1) if load_seconds else None,
        "cpu_seconds": cpu,
        "cpu_processes": processes.counts(),
        "requests_per_cpu_second": round(requests / sum(cpu.values()), 1)
        if sum(cpu.values())
        else None,
        "database_delta": database,
        "database_per_request": per_request,
        "documents_stored": stored,
        "document_bytes_per_application": round(stored_bytes / accepted) if accepted else None,
        "accepted_applications": accepted,
        "journal": journal_counts,
        "endpoints": rows,
        "queue_backlog": backlog,
        "queue_backlog_max": max((item["ready"] + item["running"] for item in backlog), default=0),
        "goals": goals,
        "nothing_lost": nothing_lost,
        "locust_exit_status": locust_status,
    }


def _journal_counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                kind = json.loads(line)["kind"]
                counts[kind] = counts.get(kind, 0) + 1
    return counts


def _journal_start(path: Path) -> float:
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            if record["kind"] == "start":
                return record["at"]
    return 0.0


def _ms(value) -> str:
    return "–" if value is None else f"{value:g}"


def markdown(report: dict) -> str:
    goals = report["goals"]

    def mark(ok) -> str:
        return "PASS" if ok else ("–" if ok is None else "FAIL")

    lines = [
        f"# Peak day {report['run_id']}",
        "",
        "Figures from a shared 2-core machine are provisional; rerun on a quiet one.",
        "",
        f"- setup: {json.dumps(report['setup'])}",
        f"- targets: {json.dumps(report['targets'])}; done: {json.dumps(report['done'])}",
        f"- load ran {report['load_seconds']} s: {report['requests']} requests, "
        f"{report['requests_per_second']} a second; compression factor "
        f"{report['compression_factor']} (a working day's share of the peak day / run time)",
        f"- server CPU seconds: {json.dumps(report['cpu_seconds'])} "
        f"(processes {json.dumps(report['cpu_processes'])}); "
        f"{report['requests_per_cpu_second']} requests per CPU-second, all roles",
        f"- database per HTTP request (pg_stat_database, workers included): "
        f"{json.dumps(report['database_per_request'])}",
        f"- documents stored: {json.dumps(report['documents_stored'])}; "
        f"{report['document_bytes_per_application']} bytes per accepted application",
        f"- queue backlog: at most {report['queue_backlog_max']} runnable or running; drained "
        f"{_ms(goals['queue_drained_after_seconds'])} s after the load",
        "",
        "## Goals",
        "",
        f"- {mark(goals['pages_p99_under_300_ms'])} p99 < 300 ms for pages"
        + (f" (over: {', '.join(goals['slow_pages'])})" if goals["slow_pages"] else ""),
        f"  - inside the server (gunicorn's access log): "
        f"{mark(goals.get('pages_server_p99_under_300_ms'))}"
        + (
            f" (over: {', '.join(goals['slow_pages_in_server'])})"
            if goals.get("slow_pages_in_server")
            else ""
        ),
        f"- {mark(goals['no_failures_but_429'])} no failure but intended 429s: "
        f"{goals['failures']} failures, {goals['rate_limited_429']} answered 429",
        f"- {mark(goals['queue_drained'])} the queue drained at the end",
        f"- {mark(goals['nothing_lost'])} nothing lost",
        "",
        "## Endpoints",
        "",
        "| endpoint | requests | failures | 429 | p50 ms | p95 ms | p99 ms | in server p50 / p99 "
        "ms | web CPU ms/req (est.) | req per web CPU-s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in sorted(report["endpoints"], key=lambda item: -item["requests"]):
        lines.append(
            f"| {row['endpoint']} | {row['requests']} | {row['failures']} | "
            f"{row['rate_limited_429']} | {_ms(row['p50_ms'])} | {_ms(row['p95_ms'])} | "
            f"{_ms(row['p99_ms'])} | "
            f"{_ms(row.get('server_p50_ms'))} / {_ms(row.get('server_p99_ms'))} | "
            f"{_ms(row.get('web_cpu_ms_per_request'))} | "
            f"{_ms(row.get('requests_per_web_cpu_second'))} |"
        )
    lines += ["", "## Task queue backlog", "", "| t (s) | runnable | running | scheduled |"]
    lines.append("|---:|---:|---:|---:|")
    backlog = report["queue_backlog"]
    step = max(1, len(backlog) // 30)
    for item in backlog[::step]:
        lines.append(
            f"| {item['t']:.0f} | {item['ready']} | {item['running']} | {item['scheduled']} |"
        )
    lines += ["", "## Nothing lost", ""]
    for name, result in report["nothing_lost"].get("checks", {}).items():
        lines.append(f"- {mark(result['pass'])} {name}: {json.dumps(result['figures'])}")
        lines += [f"  - {problem}" for problem in result["problems"]]
    return "\n".join(lines) + "\n"


def write_report(out: Path, report: dict) -> None:
    (out / "report.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (out / "report.md").write_text(markdown(report), encoding="utf-8")

"""The capacity model from a peak-day report (and optionally the 1 → 2 web-process measurement):
what one application, one sign-in and one check cost in web CPU, database transactions and stored
bytes, and what that predicts for N web processes, the national peak day and a scam wave.

    .venv/bin/python bench/peakday/capacity.py var/peakday/RUN/report.json \
        [--scaling var/peakday/scaling/scaling.json] [--web 8] [--wave-people 30000 --wave-minutes 10]

Prints Markdown (docs/capacity.md quotes it). Every figure comes from the files named; rerun the
load on a quiet machine and this again to refresh them.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

WORKING_DAY_SECONDS = 8 * 3600
PEAK_DAY = {"applications": 5_000, "sign_ins": 50_000, "checks": 100_000}
NORMAL_DAY_APPLICATIONS = 1_000


def driver_of(endpoint: str) -> str:
    """Which unit of demand an endpoint's requests belong to."""
    if "/trust/check/" in endpoint or "/api/v1/check" in endpoint:
        return "checks"
    if endpoint.endswith(("/accounts/login/", "/accounts/two-factor/", "/accounts/logout/")):
        return "sign_ins"
    return "applications"


def unit_costs(report: dict, check_cpu_ms: float | None = None) -> dict[str, dict[str, float]]:
    """Web CPU ms, requests and database transactions per unit of each driver.

    The report shares the web CPU among endpoints by response time, which a queue in front of
    busy processes inflates for the fast ones; with `check_cpu_ms` (measured alone, scaling.py)
    the checks cost that, and the rest of the web CPU is shared among the other endpoints."""
    done = report["done"]
    units = {
        "applications": report["accepted_applications"] or 1,
        # Every journey signs in once: applicants and caseworkers too.
        "sign_ins": report["counts"].get("sign_ins", 0) or 1,
        "checks": done.get("checks", 0) or 1,
    }
    transactions = report["database_per_request"].get("transactions") or 0
    costs = {name: {"requests": 0.0, "web_cpu_ms": 0.0} for name in units}
    for row in report["endpoints"]:
        if row["type"] == "FLOW" or row.get("web_cpu_ms_per_request") is None:
            continue
        driver = driver_of(row["endpoint"])
        costs[driver]["requests"] += row["requests"]
        costs[driver]["web_cpu_ms"] += row["requests"] * row["web_cpu_ms_per_request"]
    if check_cpu_ms is not None and costs["checks"]["requests"]:
        measured = costs["checks"]["requests"] * check_cpu_ms
        others = costs["applications"]["web_cpu_ms"] + costs["sign_ins"]["web_cpu_ms"]
        left = max(0.0, others + costs["checks"]["web_cpu_ms"] - measured)
        for name in ("applications", "sign_ins"):
            costs[name]["web_cpu_ms"] *= left / others if others else 0
        costs["checks"]["web_cpu_ms"] = measured
    for name, cost in costs.items():
        cost["requests"] /= units[name]
        cost["web_cpu_ms"] /= units[name]
        cost["db_transactions"] = cost["requests"] * transactions
    return costs


def model(report: dict, scaling: list[dict] | None, web: int, wave_people: int, wave_minutes: int):
    check_cpu_ms = scaling[-1]["web_cpu_ms_per_request"] if scaling else None
    costs = unit_costs(report, check_cpu_ms)
    cpu = report["cpu_seconds"]
    web_cpu = cpu.get("web", 0) or 1
    # The workers' and the database's CPU, in proportion to the web's (measured together).
    worker_share = cpu.get("worker", 0) / web_cpu
    database_share = cpu.get("database", 0) / web_cpu
    day_web = sum(PEAK_DAY[name] * costs[name]["web_cpu_ms"] / 1000 for name in PEAK_DAY)
    day_requests = sum(PEAK_DAY[name] * costs[name]["requests"] for name in PEAK_DAY)
    day_transactions = sum(PEAK_DAY[name] * costs[name]["db_transactions"] for name in PEAK_DAY)
    per_check = costs["checks"]
    wave_rate = wave_people / (wave_minutes * 60)
    wave_cores = wave_rate * per_check["web_cpu_ms"] / 1000
    check_capacity = web * 1000 / per_check["web_cpu_ms"] if per_check["web_cpu_ms"] else None
    bytes_per_application = report.get("document_bytes_per_application") or 0
    lines = [
        f"Source: run `{report['run_id']}` ({report['load_seconds']} s, "
        f"{report['requests']} requests, setup {json.dumps(report['setup'])}).",
        "",
        "| unit | requests per unit | web CPU ms per unit | DB transactions per unit |",
        "|---|---:|---:|---:|",
    ]
    for name, cost in costs.items():
        lines.append(
            f"| one {name[:-1].replace('_', '-')} | {cost['requests']:.1f} | "
            f"{cost['web_cpu_ms']:.0f} | {cost['db_transactions']:.0f} |"
        )
    lines += [
        "",
        f"- background workers used {worker_share:.2f} and PostgreSQL {database_share:.2f} CPU "
        "seconds per web CPU second;",
        f"- stored documents: {bytes_per_application:,} bytes per accepted application "
        "(attachments, answers, decisions, Securemail files; plaintext size, encryption adds "
        "16 bytes per 64 KiB chunk and a header);",
        "",
        "**The peak day** (5,000 applications, 50,000 sign-ins, 100,000 checks in 8 hours):",
        f"{day_requests:,.0f} requests, {day_web:,.0f} web CPU-seconds, "
        f"{day_web * (1 + worker_share + database_share):,.0f} CPU-seconds in all, "
        f"{day_transactions:,.0f} database transactions; spread over the working day that is "
        f"{day_web / WORKING_DAY_SECONDS:.2f} web cores and "
        f"{day_web * (1 + worker_share + database_share) / WORKING_DAY_SECONDS:.2f} cores in all "
        f"on average, {day_transactions / WORKING_DAY_SECONDS:.1f} transactions a second.",
        f"A normal day ({NORMAL_DAY_APPLICATIONS:,} applications, the same mix) is a fifth of it.",
        f"Object storage: {5_000 * bytes_per_application / 1e9:.2f} GB on the peak day, "
        f"{NORMAL_DAY_APPLICATIONS * 250 * bytes_per_application / 1e9:.0f} GB a year of "
        "normal days (250 working days).",
        "",
        f"**A scam wave** of {wave_people:,} people at the check within {wave_minutes} minutes: "
        f"{wave_rate:.0f} checks a second needing {wave_cores:.1f} web cores "
        f"({per_check['web_cpu_ms']:.0f} ms of web CPU per check, page and form or API).",
    ]
    if check_capacity:
        lines.append(
            f"**{web} web processes** (one core each, the database on its own cores) serve about "
            f"{check_capacity:.0f} checks a second, "
            f"{check_capacity * 60 * wave_minutes:,.0f} people in {wave_minutes} minutes; "
            f"the peak day's average load uses {day_web / WORKING_DAY_SECONDS / web:.0%} of them."
        )
    if scaling:
        first = scaling[0]["requests_per_second"] or 1
        lines += ["", "**1 → 2 web processes** (the scam wave's load, closed loop):", ""]
        lines += [
            "| web processes | req/s | ratio | p99 ms | web CPU ms/req |",
            "|---:|---:|---:|---:|---:|",
        ]
        for item in scaling:
            lines.append(
                f"| {item['web_processes']} | {item['requests_per_second']} | "
                f"{item['requests_per_second'] / first:.2f} | {item['p99_ms']:g} | "
                f"{item['web_cpu_ms_per_request']} |"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("--scaling", type=Path)
    parser.add_argument("--web", type=int, default=8)
    parser.add_argument("--wave-people", type=int, default=30_000)
    parser.add_argument("--wave-minutes", type=int, default=10)
    args = parser.parse_args(argv)
    report = json.loads(args.report.read_text(encoding="utf-8"))
    scaling = json.loads(args.scaling.read_text(encoding="utf-8")) if args.scaling else None
    print(model(report, scaling, args.web, args.wave_people, args.wave_minutes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

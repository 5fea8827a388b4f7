"""Scale on paper, measured where it can be: the same short load against 1 and then 2 web processes
(the cluster topology, deploy.cluster, with gunicorn --workers 1, then 2; one db_worker; a
throwaway PostgreSQL database each), closed loop with enough users to keep every process busy.
Prints requests per second, latency and CPU seconds per request for each, and the ratio (≈ 2
expected).

    .venv/bin/python bench/peakday/scaling.py [--checks 3000] [--users 32] [--web 1 2]
        [--cpu-per-process 0.25] [--output DIR]

Each web process gets a CPU budget of its own (`--cpu-per-process` cores, a cgroup quota:
cpu_quota.py), so that N processes have N fixed slices of the machine, as N machines would, and
locust and PostgreSQL keep the rest of the cores. Without it, on a 2-core machine the second process
only takes CPU from the load generator and the database, and the ratio measures the machine. The
table says how much of its quota the web processes used: near 100 % the server was the limit and
the ratio is the platform's; well below, the client was, and the row is marked so. `0` (or a
machine where cgroups cannot be written) measures without quotas.

The load is the scam wave's (the check page, its form and the API, anonymous, each user from its own
address), the part of the peak day that must scale out; the runner's full mix has waits (codes by
email, TOTP time steps) that are not the server's.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import secrets
import sys
import time
from argparse import Namespace
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

import psutil  # noqa: E402
from cpu_quota import CpuQuota  # noqa: E402
from run import StartedCluster, run_locust  # noqa: E402
from samplers import ServerProcesses  # noqa: E402


def aggregated(out: Path) -> dict:
    with open(out / "locust_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["Name"] == "Aggregated":
                return {
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"]),
                    "p95_ms": float(row["95%"]),
                    "p99_ms": float(row["99%"]),
                    # locust's own rate, over the time it sent (not its start-up and stop).
                    "requests_per_second": round(float(row["Requests/s"]), 1),
                }
    return {}


def measure(web: int, args, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    with StartedCluster(var=out / "cluster", web=web, workers=1, database=None) as cluster:
        plan = {
            "run_id": secrets.token_hex(3),
            "mail_dir": str(cluster.mail_dir),
            "journal": str(out / "journal.jsonl"),
            "summary": str(out / "locust_summary.json"),
            "caseworkers": [],
            "quotas": {"checks": args.checks},
            "users": {"applicant": 0, "returning": 0, "securemail": 0, "check": args.users},
        }
        plan_path = out / "plan.json"
        plan_path.write_text(json.dumps(plan), encoding="utf-8")
        processes = ServerProcesses(
            database_name=cluster.info["database"],
            database_url=cluster.database_url,
            port=cluster.port,
            pids=[cluster.pids["web"]],
        )
        workers = [child.pid for child in psutil.Process(cluster.pids["web"]).children()]
        with quota_for(workers, args.cpu_per_process) as quota:
            processes.mark()
            started = time.time()
            status = run_locust(
                Namespace(run_time=args.run_time, ramp_seconds=0),
                plan_path,
                out,
                args.users,
                cluster,
            )
            seconds = time.time() - started
            processes.sample()
            cpu = processes.totals()
            throttled = quota.throttled() if quota else {}
            # A worker that died and was replaced would have run outside its quota.
            replaced = set(workers) != {
                child.pid for child in psutil.Process(cluster.pids["web"]).children()
            }
    figures = aggregated(out)
    requests = figures.get("requests", 0)
    rate = figures.get("requests_per_second") or 0
    loaded_seconds = requests / rate if rate else seconds
    budget = loaded_seconds * web * args.cpu_per_process
    return {
        "web_processes": web,
        "cpu_per_process": args.cpu_per_process or None,
        "quota_used": round(cpu["web"] / budget, 2) if args.cpu_per_process and budget else None,
        "throttled_periods": sum(throttled.values()),
        "workers_replaced": replaced,
        "locust_exit_status": status,
        "seconds": round(seconds, 1),
        **figures,
        "cpu_seconds": cpu,
        "web_cpu_ms_per_request": round(1000 * cpu["web"] / requests, 2) if requests else None,
        "rate_limited_429": sum(
            json.loads((out / "locust_summary.json").read_text())["rate_limited"].values()
        )
        if (out / "locust_summary.json").exists()
        else None,
    }


@contextlib.contextmanager
def quota_for(pids: list[int], cores: float):
    """Each of `pids` limited to `cores` of CPU for the block (None where `cores` is 0)."""
    if not cores:
        yield None
        return
    with CpuQuota(pids, cores) as quota:
        yield quota


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=3000, help="checks per measurement")
    parser.add_argument("--users", type=int, default=32, help="concurrent users")
    parser.add_argument(
        "--cpu-per-process",
        type=float,
        default=0.25,
        help="each web process's CPU quota in cores (0: none)",
    )
    parser.add_argument("--web", type=int, nargs="+", default=[1, 2], help="web processes")
    parser.add_argument("--run-time", type=int, default=600)
    parser.add_argument("--output", type=Path, default=ROOT / "var" / "peakday" / "scaling")
    args = parser.parse_args(argv)
    # locust runs in bench/peakday/: every path it is given must be absolute.
    args.output = args.output.resolve()
    if args.cpu_per_process and (reason := CpuQuota.available()):
        print(f"No CPU quotas ({reason}): measuring without them.")
        args.cpu_per_process = 0
    results = [measure(web, args, args.output / f"web{web}") for web in args.web]
    base = results[0]["requests_per_second"] or 0
    if args.cpu_per_process:
        print(f"Each web process limited to {args.cpu_per_process:g} cores (cgroup quota).")
    print(
        "| web processes | requests | failures | 429 | s | req/s | ratio | p50 | p95 | p99 |"
        " web CPU ms/req | CPU s web/worker/db | quota used |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for result in results:
        ratio = result["requests_per_second"] / base if base else 0
        result["ratio_to_first"] = round(ratio, 2)
        cpu = result["cpu_seconds"]
        print(
            f"| {result['web_processes']} | {result['requests']} | {result['failures']} | "
            f"{result['rate_limited_429']} | {result['seconds']} | "
            f"{result['requests_per_second']} | {ratio:.2f} | {result['p50_ms']:g} | "
            f"{result['p95_ms']:g} | {result['p99_ms']:g} | {result['web_cpu_ms_per_request']} | "
            f"{cpu['web']:.1f}/{cpu['worker']:.1f}/{cpu['database']:.1f} | {quota_used(result)} |"
        )
    (args.output / "scaling.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


def quota_used(result: dict) -> str:
    """The share of their quota the web processes used, marked where the client was the limit."""
    if result["quota_used"] is None:
        return "no quota"
    share = f"{100 * result['quota_used']:.0f} %"
    if result["workers_replaced"]:
        return f"{share} (a worker was replaced: void)"
    return share if result["quota_used"] >= 0.85 else f"{share} (client-bound)"


if __name__ == "__main__":
    raise SystemExit(main())

"""The national peak day, replayed: runs the locust scenario headless against a server, samples the
task queue, the database and the server's CPU meanwhile, waits for the queue to drain, runs the
nothing-lost check and writes the report (Markdown and JSON).

Against a running server (e.g. `make cluster`), in the server's environment or with its env file:

    .venv/bin/python bench/peakday/run.py --base-url http://127.0.0.1:8000 \
        --database-url postgres://postgres@127.0.0.1:5432/permitsafe --mail-dir var/cluster/mail \
        --env-file var/cluster/server.env --scale 0.05 --output var/peakday/run1

or against a throwaway server of its own (gunicorn --workers N, M db_worker processes, the SMTP
sink, a PostgreSQL database dropped afterwards):

    .venv/bin/python bench/peakday/run.py --start-server --web 2 --workers 2 --scale 0.01

--scale 1.0 is the whole peak day: 5,000 applications with attachments, 50,000 sign-ins and
100,000 checks (and, per application: a tenth write to the authority, a tenth get a request for
supplementary information, a fifth are decided, a tenth of that many write through public
Securemail). --applications, --sign-ins, --checks override the scaled figures.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

from check_nothing_lost import load_env_file  # noqa: E402
from local_server import LocalServer  # noqa: E402
from report import build_report, write_report  # noqa: E402
from samplers import Sampler, ServerProcesses  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
PEAK_DAY = {"applications": 5_000, "sign_ins": 50_000, "checks": 100_000}
# The working day the peak day's applications and sign-ins arrive in (the compression factor is
# these hours, times the scale, over the run's length).
WORKING_DAY_HOURS = 8


def plan_for(args, run_id: str, out: Path, caseworkers: list[str]) -> dict:
    applications = args.applications or max(1, round(PEAK_DAY["applications"] * args.scale))
    sign_ins = args.sign_ins or max(1, round(PEAK_DAY["sign_ins"] * args.scale))
    checks = args.checks if args.checks is not None else round(PEAK_DAY["checks"] * args.scale)
    tenth = max(1, round(applications / 10))
    return {
        "run_id": run_id,
        "scale": args.scale,
        "mail_dir": str(Path(args.mail_dir).resolve()),
        "journal": str(out / "journal.jsonl"),
        "summary": str(out / "locust_summary.json"),
        "attachment_bytes": args.attachment_bytes,
        "seed": args.seed,
        "caseworkers": caseworkers,
        "quotas": {
            "applications": applications,
            # Each applicant and caseworker signs in once in its own journey; the rest come back.
            "sign_ins": max(0, sign_ins - applications - len(caseworkers)),
            "checks": checks,
            "securemail": tenth,
            "case_messages": tenth,
            "supplements": tenth,
            "decisions": max(1, round(applications / 5)),
        },
        "targets": {"applications": applications, "sign_ins": sign_ins, "checks": checks},
        "users": users_for(args.users),
        "think_seconds": [args.think_time / 4, args.think_time] if args.think_time else [0.05, 0.3],
    }


def users_for(total: int) -> dict[str, int]:
    """Concurrent users per kind (the caseworkers come on top): every kind at least one, the rest
    shared as a peak day's crowd is, most of it the scam wave at the check."""
    shares = {"applicant": 0.3, "returning": 0.2, "securemail": 0.05, "check": 0.45}
    return {kind: max(1, round(total * share)) for kind, share in shares.items()}


def run_locust(args, plan_path: Path, out: Path, users: int) -> int:
    env = {**os.environ, "PEAKDAY_PLAN": str(plan_path)}
    command = [
        LOCUST,
        "-f",
        "locustfile.py",
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        str(users),
        "--run-time",
        f"{args.run_time}s",
        "--stop-timeout",
        "30",
        "--host",
        args.base_url,
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(out / "locust.log", "wb") as log:
        return subprocess.run(
            command, cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT
        ).returncode  # noqa: S603,E501


def wait_for_drain(sampler: Sampler, seconds: float) -> float | None:
    """Seconds until nothing runnable or running is left in the queue (None: not in time)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        queue = sampler.take()["queue"]
        if queue["ready"] == 0 and queue["running"] == 0:
            return round(time.monotonic() - started, 1)
        time.sleep(2)
    return None


def run_check(args, out: Path) -> dict:
    command = [
        PYTHON,
        str(HERE / "check_nothing_lost.py"),
        "--journal",
        str(out / "journal.jsonl"),
        "--mail-dir",
        args.mail_dir,
        "--json",
        str(out / "nothing_lost.json"),
    ]
    if args.env_file:
        command += ["--env-file", args.env_file]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    (out / "nothing_lost.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    print(result.stdout, end="")
    if not (out / "nothing_lost.json").exists():
        return {"pass": False, "checks": {}, "error": result.stderr[-2000:]}
    return json.loads((out / "nothing_lost.json").read_text(encoding="utf-8"))


def prepare(args, run_id: str) -> list[str]:
    command = [PYTHON, str(HERE / "prepare.py"), "--caseworkers", str(args.caseworkers)]
    result = subprocess.run(  # noqa: S603
        [*command, "--run-id", run_id], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode:
        raise SystemExit(f"prepare failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_day(args) -> int:
    run_id = args.run_id or time.strftime("%H%M%S") + secrets.token_hex(2)
    out = Path(args.output or ROOT / "var" / "peakday" / run_id).resolve()
    out.mkdir(parents=True, exist_ok=True)
    load_env_file(args.env_file)
    os.environ["DATABASE_URL"] = args.database_url
    caseworkers = prepare(args, run_id)
    plan = plan_for(args, run_id, out, caseworkers)
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    database_name = urllib.parse.urlsplit(args.database_url).path.lstrip("/")
    port = urllib.parse.urlsplit(args.base_url).port
    processes = ServerProcesses(
        database_name=database_name, database_url=args.database_url, port=port, pids=args.pids
    )
    sampler = Sampler(args.database_url, processes, interval=args.sample_interval)
    processes.mark()
    before = sampler.take()
    sampler.start()
    started = time.time()
    users = sum(plan["users"].values()) + len(caseworkers)
    print(f"peak day {run_id}: {json.dumps(plan['quotas'])}, {users} users → {out}", flush=True)
    locust_status = run_locust(args, plan_path, out, users)
    load_seconds = time.time() - started
    drained_after = wait_for_drain(sampler, args.drain_timeout)
    sampler.stop()
    after = sampler.take()
    nothing_lost = {"pass": None, "checks": {}} if args.skip_check else run_check(args, out)
    report = build_report(
        out=out,
        plan=plan,
        samples=sampler.samples,
        before=before,
        after=after,
        load_seconds=load_seconds,
        drained_after=drained_after,
        processes=processes,
        nothing_lost=nothing_lost,
        locust_status=locust_status,
        working_day_hours=WORKING_DAY_HOURS,
        setup={"base_url": args.base_url, "web": args.web, "workers": args.workers},
        database_url=args.database_url,
    )
    write_report(out, report)
    print((out / "report.md").read_text(encoding="utf-8"))
    return 0 if report["goals"]["all_met"] else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", help="the server (loopback only)")
    parser.add_argument("--database-url", help="the server's PostgreSQL database")
    parser.add_argument("--mail-dir", help="the folder where the SMTP sink writes each mail")
    parser.add_argument("--env-file", help="the server's environment (KEY=VALUE lines)")
    parser.add_argument("--pids", type=int, nargs="*", default=[], help="server pids to measure")
    parser.add_argument("--start-server", action="store_true", help="start a throwaway server")
    parser.add_argument("--web", type=int, default=2, help="with --start-server: web processes")
    parser.add_argument("--workers", type=int, default=2, help="with --start-server: db_workers")
    parser.add_argument(
        "--admin-url",
        default="postgres://postgres@127.0.0.1:5432/postgres",
        help="with --start-server: where to create (and drop) the throwaway database",
    )
    parser.add_argument("--scale", type=float, default=0.01, help="1.0 = the whole peak day")
    parser.add_argument("--applications", type=int)
    parser.add_argument("--sign-ins", type=int)
    parser.add_argument("--checks", type=int)
    parser.add_argument("--caseworkers", type=int, default=2)
    parser.add_argument("--users", type=int, default=12, help="concurrent users, caseworkers apart")
    parser.add_argument(
        "--think-time",
        type=float,
        help="seconds a person pauses between steps at most (default: a moment; raise it to "
        "measure latency below saturation)",
    )
    parser.add_argument("--run-time", type=int, default=3300, help="seconds at most")
    parser.add_argument("--drain-timeout", type=int, default=300)
    parser.add_argument("--sample-interval", type=float, default=5.0)
    parser.add_argument("--attachment-bytes", type=int, default=48_000)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--run-id", help="names the accounts of this run (default: time-based)")
    parser.add_argument("--output", help="the report's folder (default: var/peakday/RUN_ID)")
    parser.add_argument("--skip-check", action="store_true", help="no nothing-lost check")
    args = parser.parse_args(argv)
    host = urllib.parse.urlsplit(args.base_url or "http://127.0.0.1").hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        parser.error("the load runs against loopback only")
    if args.start_server:
        folder = Path(args.output or ROOT / "var" / "peakday" / "server").resolve() / "server"
        with LocalServer(
            folder=folder, web=args.web, workers=args.workers, admin_url=args.admin_url
        ) as server:
            args.base_url = server.info["base_url"]
            args.database_url = server.info["database_url"]
            args.mail_dir = server.info["mail_dir"]
            args.env_file = server.info["env_file"]
            args.pids = server.info["server_pids"]
            return peak_day(args)
    if not (args.base_url and args.database_url and args.mail_dir):
        parser.error("give --base-url, --database-url and --mail-dir, or --start-server")
    args.web = args.workers = None
    return peak_day(args)


if __name__ == "__main__":
    raise SystemExit(main())

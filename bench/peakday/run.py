"""The national peak day, replayed: runs the locust scenario headless against the production
topology (deploy.cluster: PostgreSQL, SeaweedFS S3, gunicorn, db_worker processes, the Paytrail
stand-in), samples the task queue, the database and the server's CPU meanwhile, waits for the queue
to drain, runs the nothing-lost check and writes the report (Markdown and JSON).

Against a running `make cluster` (its var folder holds cluster.env and cluster.json):

    .venv/bin/python bench/peakday/run.py --cluster var/cluster --scale 0.05 --output var/peakday/run1

or against a cluster it starts for the run and stops after (a database of its own, dropped
afterwards unless --database-url names one):

    .venv/bin/python bench/peakday/run.py --start-cluster --web 2 --workers 2 --scale 0.01

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
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))

sys.path.insert(0, str(ROOT))

from report import build_report, write_report  # noqa: E402
from samplers import Sampler, ServerProcesses  # noqa: E402

from deploy.launched import Launched, NotLaunched, launched  # noqa: E402
from deploy.processes import without_django_settings  # noqa: E402
from deploy.provisioning import database_url, drop_database, free_port  # noqa: E402

PYTHON = str(ROOT / ".venv" / "bin" / "python")
LOCUST = str(ROOT / ".venv" / "bin" / "locust")
PEAK_DAY = {"applications": 5_000, "sign_ins": 50_000, "checks": 100_000}
# The working day the peak day's applications and sign-ins arrive in (the compression factor is
# these hours, times the scale, over the run's length).
WORKING_DAY_HOURS = 8
# How often the runner looks whether the cluster still runs while the load does.
CLUSTER_WATCH_SECONDS = 2
# Migrations, static files and clamd on two busy cores.
CLUSTER_START_SECONDS = 300


def plan_for(args, run_id: str, out: Path, caseworkers: list[str], cluster: Launched) -> dict:
    applications = args.applications or max(1, round(PEAK_DAY["applications"] * args.scale))
    sign_ins = args.sign_ins or max(1, round(PEAK_DAY["sign_ins"] * args.scale))
    checks = args.checks if args.checks is not None else round(PEAK_DAY["checks"] * args.scale)
    tenth = max(1, round(applications / 10))
    plan = {
        "run_id": run_id,
        "scale": args.scale,
        "mail_dir": str(cluster.mail_dir),
        # The Paytrail stand-in's pages, named https as a TLS proxy in front publishes them; the
        # users play that proxy (as for the cluster) and fetch them at its plain-http address.
        "payment_pages": _payment_pages(cluster),
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
    }
    if args.think_time:
        # Every kind of person pauses this long between steps (see shared.PeakDayUser).
        plan["think_seconds"] = [args.think_time / 4, args.think_time]
    return plan


def _payment_pages(cluster: Launched) -> dict | None:
    standin = cluster.info.get("paytrail_standin")
    if not standin:
        return None
    return {"public": standin["page_base_url"], "served_at": standin["base_url"]}


def users_for(total: int) -> dict[str, int]:
    """Concurrent users per kind (the caseworkers come on top): every kind at least one, the rest
    shared as a peak day's crowd is, most of it the scam wave at the check."""
    shares = {"applicant": 0.3, "returning": 0.2, "securemail": 0.05, "check": 0.45}
    return {kind: max(1, round(total * share)) for kind, share in shares.items()}


def run_locust(args, plan_path: Path, out: Path, users: int, cluster: Launched) -> int:
    """locust, headless, until its quotas or --run-time; stopped at once (and the run declared
    void) if the cluster stops under it, rather than measuring a dead server's refusals."""
    base_url = cluster.base_url
    env = {**os.environ, "PEAKDAY_PLAN": str(plan_path)}
    command = [
        LOCUST,
        "-f",
        "locustfile.py",
        "--headless",
        "--users",
        str(users),
        "--spawn-rate",
        # Everyone at once by default; --ramp-seconds spreads the arrivals (a morning, not a
        # starting gun) so that the first seconds' cold processes are not the latency's tail.
        str(users / args.ramp_seconds if args.ramp_seconds else users),
        "--run-time",
        f"{args.run_time}s",
        "--stop-timeout",
        "30",
        "--host",
        base_url,
        "--csv",
        str(out / "locust"),
        "--only-summary",
        "--loglevel",
        "WARNING",
    ]
    with open(out / "locust.log", "wb") as log:
        locust = subprocess.Popen(  # noqa: S603 (our own locustfile)
            command, cwd=HERE, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        while True:
            try:
                return locust.wait(timeout=CLUSTER_WATCH_SECONDS)
            except subprocess.TimeoutExpired:
                if cluster.running():
                    continue
            locust.terminate()
            try:
                locust.wait(timeout=60)
            except subprocess.TimeoutExpired:
                locust.kill()
            raise SystemExit(
                f"the cluster stopped during the load; the run is void (its logs: "
                f"{cluster.info.get('logs', cluster.var)})"
            )


def wait_for_drain(sampler: Sampler, seconds: float) -> float | None:
    """Seconds until nothing runnable or running is left in the queue (None: not in time)."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        queue = sampler.take()["queue"]
        if queue["ready"] == 0 and queue["running"] == 0:
            return round(time.monotonic() - started, 1)
        time.sleep(2)
    return None


def run_check(cluster: Launched, out: Path) -> dict:
    command = [
        PYTHON,
        str(HERE / "check_nothing_lost.py"),
        "--journal",
        str(out / "journal.jsonl"),
        "--cluster",
        str(cluster.var),
        "--json",
        str(out / "nothing_lost.json"),
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)  # noqa: S603
    (out / "nothing_lost.txt").write_text(result.stdout + result.stderr, encoding="utf-8")
    print(result.stdout, end="")
    if not (out / "nothing_lost.json").exists():
        return {"pass": False, "checks": {}, "error": result.stderr[-2000:]}
    return json.loads((out / "nothing_lost.json").read_text(encoding="utf-8"))


def prepare(args, run_id: str, cluster: Launched) -> list[str]:
    command = [PYTHON, str(HERE / "prepare.py"), "--caseworkers", str(args.caseworkers)]
    result = subprocess.run(  # noqa: S603
        [*command, "--run-id", run_id],
        cwd=ROOT,
        # The cluster's own settings (production, its database, storage and keys).
        env={**without_django_settings(os.environ), **cluster.environment},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        raise SystemExit(f"prepare failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def peak_day(args, cluster: Launched) -> int:
    run_id = args.run_id or time.strftime("%H%M%S") + secrets.token_hex(2)
    out = Path(args.output or ROOT / "var" / "peakday" / run_id).resolve()
    out.mkdir(parents=True, exist_ok=True)
    caseworkers = prepare(args, run_id, cluster)
    plan = plan_for(args, run_id, out, caseworkers, cluster)
    plan_path = out / "plan.json"
    plan_path.write_text(json.dumps(plan, indent=2), encoding="utf-8")
    database = cluster.database_url
    processes = ServerProcesses(
        database_name=cluster.info["database"],
        database_url=database,
        port=cluster.port,
        pids=[cluster.pids["web"]],
    )
    sampler = Sampler(database, processes, interval=args.sample_interval)
    processes.mark()
    before = sampler.take()
    load_before = _load_average()
    sampler.start()
    started = time.time()
    users = sum(plan["users"].values()) + len(caseworkers)
    print(f"peak day {run_id}: {json.dumps(plan['quotas'])}, {users} users → {out}", flush=True)
    locust_status = run_locust(args, plan_path, out, users, cluster)
    load_seconds = time.time() - started
    load_after = _load_average()
    drained_after = wait_for_drain(sampler, args.drain_timeout)
    sampler.stop()
    after = sampler.take()
    nothing_lost = {"pass": None, "checks": {}} if args.skip_check else run_check(cluster, out)
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
        setup={
            "topology": "deploy.cluster",
            "base_url": cluster.base_url,
            "web": cluster.info["web_processes"],
            "web_threads": cluster.info.get("web_threads", 1),
            "workers": cluster.info["workers"],
            "storage": cluster.info["storage"],
            "payments": cluster.info["payments"],
            # The machine's load (1, 5, 15 minutes) as the load starts and ends: on a shared
            # machine it says how much of the CPU the run had.
            "load_average_before": load_before,
            "load_average_after": load_after,
        },
        database_url=database,
        access_log=Path(cluster.info["access_log"]) if cluster.info.get("access_log") else None,
    )
    write_report(out, report)
    print((out / "report.md").read_text(encoding="utf-8"))
    return 0 if report["goals"]["all_met"] else 1


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


class StartedCluster:
    """`python -m deploy.cluster` for the length of a run: started with a var folder and a port of
    its own, read through deploy.launched once it answers, stopped with SIGTERM (it stops its
    processes in order) and its database dropped when the run made it."""

    def __init__(
        self,
        *,
        var: Path,
        web: int,
        workers: int,
        database: str | None,
        port=None,
        threads: int = 4,
    ):
        self.var, self.web, self.workers, self.threads = var, web, workers, threads
        self.port = port or free_port()
        self.throwaway = database is None
        self.database_url = database or database_url(
            "postgres://postgres@127.0.0.1:5432/postgres", f"peakday_{secrets.token_hex(4)}"
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Launched:
        self.var.mkdir(parents=True, exist_ok=True)
        command = [
            PYTHON,
            "-m",
            "deploy.cluster",
            *("--web", str(self.web), "--threads", str(self.threads)),
            *("--workers", str(self.workers), "--no-demo"),
            *("--port", str(self.port), "--var-dir", str(self.var)),
            *("--database-url", self.database_url, "--periodic-seconds", "60"),
            # The time each request spent inside the server, for the report beside locust's.
            "--access-log",
        ]
        if self.throwaway:
            command.append("--reset")
        log = open(self.var.parent / "cluster.log", "ab")  # noqa: SIM115 (open while it runs)
        self.process = subprocess.Popen(  # noqa: S603 (our own script)
            command, cwd=ROOT, env=without_django_settings(os.environ), stdout=log, stderr=log
        )
        try:
            return self._wait(log.name)
        except BaseException:
            self.__exit__()
            raise

    def _wait(self, log: str, seconds: float = CLUSTER_START_SECONDS) -> Launched:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = Path(log).read_text(errors="replace")[-3000:]
                raise SystemExit(f"the cluster exited with {self.process.returncode}:\n{tail}")
            try:
                return launched(self.var)
            except NotLaunched:
                time.sleep(0.5)
        raise SystemExit(f"the cluster did not start within {seconds:.0f} s (see {log})")

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.throwaway:
            try:
                drop_database(self.database_url)
            except Exception as error:  # noqa: BLE001 (the run is over: say so, go on)
                print(f"could not drop {self.database_url}: {error}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "--cluster", type=Path, metavar="VAR_DIR", help="a running make cluster's var folder"
    )
    where.add_argument(
        "--start-cluster",
        "--start-server",
        action="store_true",
        help="start the cluster topology for the run and stop it after",
    )
    parser.add_argument("--web", type=int, default=2, help="with --start-cluster: web processes")
    parser.add_argument(
        "--threads", type=int, default=4, help="with --start-cluster: threads per web process"
    )
    parser.add_argument("--workers", type=int, default=2, help="with --start-cluster: db_workers")
    parser.add_argument("--port", type=int, help="with --start-cluster: its port (a free one)")
    parser.add_argument(
        "--database-url",
        help="with --start-cluster: its database (default: a throwaway one, dropped after)",
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
    parser.add_argument(
        "--ramp-seconds",
        type=float,
        default=0,
        help="start the users over this many seconds (default: all at once)",
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
    if args.cluster:
        try:
            return peak_day(args, launched(args.cluster))
        except NotLaunched as error:
            parser.error(str(error))
    output = Path(args.output or ROOT / "var" / "peakday" / "started").resolve()
    with StartedCluster(
        var=output / "cluster",
        web=args.web,
        threads=args.threads,
        workers=args.workers,
        database=args.database_url,
        port=args.port,
    ) as cluster:
        print(f"cluster at {cluster.base_url} ({cluster.var})", flush=True)
        return peak_day(args, cluster)


if __name__ == "__main__":
    raise SystemExit(main())

"""Benchmark: the task queue (django-tasks-db's `db_worker`) on PostgreSQL with 1, 2 and 4 worker
processes: throughput in tasks a second, and the latency from enqueueing to finishing.

Run: .venv/bin/python bench/task_queue.py [--tasks 600] [--workers 1,2,4] [--work-ms 0,20]
     [--rate 20] [--interval 1] [--database-url postgres://postgres@127.0.0.1:5432]

It creates a database of its own on that server (dropped afterwards) and migrates it. For each
task kind (--work-ms: 0 is the queue's own cost, 20 a task waiting 20 ms as an SMTP send does) and
each number of workers:
- throughput: --tasks tasks are enqueued first, then the workers start together; tasks a second
  from the first start to the last finish (the timestamps django-tasks-db records);
- latency: the workers run idle, and tasks are enqueued one by one at a steady --rate (20 a
  second, the same for every row so that rows compare) for 10 seconds; each task's enqueue →
  finish time, p50/p95/p99. A worker that finds the queue empty sleeps --interval seconds (1,
  db_worker's default and `make cluster`'s) before it looks again, so below capacity the latency
  is mostly that sleep, shared out among the workers.
The machine has 2 CPU cores shared with PostgreSQL and the enqueuing process: more than 2 workers
cannot add CPU, only overlap waiting (the 20 ms kind); the figures are what this machine gives.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import database_url, ensure_database  # noqa: E402
from bench._support import drop_database as drop_database_at  # noqa: E402

LATENCY_SECONDS = 10


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=600)
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--work-ms", default="0,20")
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432")
    arguments = parser.parse_args()
    arguments.workers = [int(value) for value in arguments.workers.split(",")]
    arguments.work_ms = [float(value) for value in arguments.work_ms.split(",")]
    return arguments


def environment(database_url: str) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environ.update(
        PERMITSAFE_MODE="development",
        DEBUG="0",
        DATABASE_URL=database_url,
        PERMITSAFE_VAR_DIR=str(ROOT / "var" / "bench-task-queue"),
        LOG_LEVEL="WARNING",
    )
    return environ


def create_database(server: str) -> tuple[str, str]:
    name = f"bench_task_queue_{uuid.uuid4().hex[:10]}"
    url = database_url(server, name)
    ensure_database(url)
    return name, url


def drop_database(server: str, name: str) -> None:
    drop_database_at(database_url(server, name))


def start_workers(
    count: int, interval: float, environ: dict[str, str], logs: Path
) -> list[subprocess.Popen]:
    """`count` workers, each logging (as in `make cluster`) to a file of its own: a pipe nobody
    reads would stop a worker once full."""
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "db_worker",
        "--queue-name",
        "*",
        "--no-reload",
        "--interval",
        str(interval),
    ]
    processes = []
    for number in range(count):
        with open(logs / f"worker-{number}.log", "wb") as log:
            processes.append(
                subprocess.Popen(  # noqa: S603 (our own command)
                    command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT
                )
            )
    return processes


def wait_until_polling(count: int, logs: Path, timeout: float = 120) -> None:
    """Until every worker has started its loop (Django set up, connected, and its random start-up
    delay of up to a second over, which spreads the workers' polls as in production), so that the
    latency measured is the queue's and not the workers' start."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        started = sum(
            "Starting worker" in (logs / f"worker-{number}.log").read_text(errors="replace")
            for number in range(count)
        )
        if started == count:
            time.sleep(1)  # db_worker's start-up delay: random, under a second
            return
        time.sleep(0.1)
    raise RuntimeError(f"the workers did not start within {timeout} s")


def stop_workers(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def wait_until_drained(expected: int, timeout: float = 600) -> None:
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if DBTaskResult.objects.filter(finished_at__isnull=False).count() >= expected:
            return
        time.sleep(0.05)
    raise RuntimeError(f"the workers did not finish {expected} tasks within {timeout} s")


def finished_rows():
    from django_tasks_db.models import DBTaskResult

    rows = list(
        DBTaskResult.objects.values_list("status", "enqueued_at", "started_at", "finished_at")
    )
    failed = sum(1 for status, *_ in rows if status != "SUCCESSFUL")
    if failed:
        raise RuntimeError(f"{failed} bench tasks did not succeed")
    return rows


def clear_queue() -> None:
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


def measure_throughput(task, work_ms, count, workers, arguments, environ) -> float:
    clear_queue()
    for _ in range(count):
        task.enqueue(work_ms=work_ms)
    processes = start_workers(workers, arguments.interval, environ, arguments.logs)
    try:
        wait_until_drained(count)
    finally:
        stop_workers(processes)
    rows = finished_rows()
    first = min(started for _status, _enqueued, started, _finished in rows)
    last = max(finished for _status, _enqueued, _started, finished in rows)
    return count / (last - first).total_seconds()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def measure_latency(task, work_ms, rate, workers, arguments, environ) -> list[float]:
    clear_queue()
    processes = start_workers(workers, arguments.interval, environ, arguments.logs)
    wait_until_polling(workers, arguments.logs)
    count = max(20, int(rate * LATENCY_SECONDS))
    try:
        started = time.monotonic()
        for number in range(count):
            # A steady rate, not a burst: the enqueue of task n waits for its moment.
            delay = started + number / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            task.enqueue(work_ms=work_ms)
        wait_until_drained(count)
    finally:
        stop_workers(processes)
    return [
        (finished - enqueued).total_seconds() * 1000
        for _status, enqueued, _started, finished in finished_rows()
    ]


def main() -> int:
    arguments = parse_arguments()
    # SIGTERM stops the workers and drops the database on the way out, as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(1))
    server = arguments.database_url.rstrip("/")
    name, database_url = create_database(server)
    environ = environment(database_url)
    logs = tempfile.TemporaryDirectory(prefix="bench-task-queue-")
    arguments.logs = Path(logs.name)
    try:
        os.environ.update(environ)
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input"]
        subprocess.run(migrate, cwd=ROOT, env=environ, check=True, capture_output=True)  # noqa: S603
        import django

        django.setup()
        from bench._task_queue_task import bench_task

        print(
            f"Task queue on PostgreSQL: {arguments.tasks} tasks per throughput run, "
            f"latency at {arguments.rate:g} tasks/s for {LATENCY_SECONDS} s, idle sleep "
            f"{arguments.interval:g} s; {os.cpu_count()} CPU cores (noisy: shared machine)\n"
        )
        header = (
            f"{'task':>8} {'workers':>7} {'tasks/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        )
        print(header)
        print("-" * len(header))
        for work_ms in arguments.work_ms:
            for workers in arguments.workers:
                throughput = measure_throughput(
                    bench_task, work_ms, arguments.tasks, workers, arguments, environ
                )
                latencies = measure_latency(
                    bench_task, work_ms, arguments.rate, workers, arguments, environ
                )
                kind = f"{work_ms:g} ms"
                print(
                    f"{kind:>8} {workers:>7} {throughput:>9.0f} "
                    f"{statistics.median(latencies):>8.0f} {percentile(latencies, 0.95):>8.0f} "
                    f"{percentile(latencies, 0.99):>8.0f}",
                    flush=True,
                )
    finally:
        from django.db import connections

        connections.close_all()
        drop_database(server, name)
        logs.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""What the runner samples while the load runs: the task queue's backlog and the database's work
(through the database URL), and the CPU time of the server's processes (psutil, /proc).

The database's "queries" are counted from pg_stat_database, which every PostgreSQL keeps without
configuration: transactions (xact_commit + xact_rollback) and rows returned, fetched and written. In
autocommit each statement outside an atomic block is a transaction of its own, so transactions are
a lower bound on statements (a block of several statements counts once). pg_stat_statements would
count statements exactly but needs shared_preload_libraries and a restart; when the extension is
installed in the database its total of calls is read as well.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

import psutil
import psycopg

QUEUE_SQL = """
SELECT
  count(*) FILTER (WHERE status = 'READY' AND run_after <= now()),
  count(*) FILTER (WHERE status = 'RUNNING'),
  count(*) FILTER (WHERE status = 'READY' AND run_after > now()),
  count(*) FILTER (WHERE status = 'FAILED')
FROM django_tasks_database_dbtaskresult
"""
DATABASE_SQL = """
SELECT xact_commit + xact_rollback, tup_returned, tup_fetched,
       tup_inserted + tup_updated + tup_deleted
FROM pg_stat_database WHERE datname = current_database()
"""
STATEMENTS_SQL = "SELECT sum(calls)::bigint FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"  # noqa: E501


def queue_backlog(connection) -> dict[str, int]:
    ready, running, scheduled, failed = connection.execute(QUEUE_SQL).fetchone()
    return {"ready": ready, "running": running, "scheduled": scheduled, "failed": failed}


def database_counters(connection) -> dict[str, int]:
    transactions, returned, fetched, written = connection.execute(DATABASE_SQL).fetchone()
    counters = {
        "transactions": transactions,
        "rows_returned": returned,
        "rows_fetched": fetched,
        "rows_written": written,
    }
    try:
        with connection.transaction():
            counters["statements"] = connection.execute(STATEMENTS_SQL).fetchone()[0]
    except psycopg.Error:
        pass  # the extension is not there: transactions stand in
    return counters


@dataclass
class ServerProcesses:
    """The server's processes by role ("web", "worker", "database"); CPU seconds per pid, the
    highest seen (a process that exits keeps what it used)."""

    database_name: str
    database_url: str
    port: int | None = None
    pids: list[int] = field(default_factory=list)
    cpu: dict[str, dict[int, float]] = field(
        default_factory=lambda: {"web": {}, "worker": {}, "database": {}}
    )

    def _role(self, process: psutil.Process, web_pids: set[int]) -> str | None:
        if process.pid in web_pids:
            return "web"
        try:
            command = " ".join(process.cmdline())
        except (psutil.Error, OSError):
            return None
        if command.startswith("postgres:") and f" {self.database_name} " in f"{command} ":
            return "database"
        if "db_worker" in command:
            try:
                environment = process.environ()
            except (psutil.Error, OSError):
                return None
            if environment.get("DATABASE_URL") == self.database_url:
                return "worker"
        return None

    def _web_pids(self) -> set[int]:
        roots = set(self.pids)
        if self.port:
            try:
                for connection in psutil.net_connections(kind="tcp"):
                    if (
                        connection.status == psutil.CONN_LISTEN
                        and connection.laddr
                        and connection.laddr.port == self.port
                        and connection.pid
                    ):
                        roots.add(connection.pid)
            except (psutil.Error, OSError):
                pass
        pids = set()
        for pid in roots:
            try:
                root = psutil.Process(pid)
                if "gunicorn" not in " ".join(root.cmdline()):
                    continue
                pids.add(pid)
                pids.update(child.pid for child in root.children(recursive=True))
            except psutil.Error:
                continue
        return pids

    def sample(self) -> None:
        web_pids = self._web_pids()
        for process in psutil.process_iter():
            role = self._role(process, web_pids)
            if role is None:
                continue
            try:
                times = process.cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            self.cpu[role][process.pid] = max(self.cpu[role].get(process.pid, 0.0), used)

    def mark(self) -> None:
        """Now is the start: CPU used before it is not counted."""
        self.sample()
        self.baseline = {role: dict(by_pid) for role, by_pid in self.cpu.items()}

    def totals(self) -> dict[str, float]:
        """CPU seconds per role since mark()."""
        baseline = getattr(self, "baseline", {})
        return {
            role: round(
                sum(used - baseline.get(role, {}).get(pid, 0.0) for pid, used in by_pid.items()),
                2,
            )
            for role, by_pid in self.cpu.items()
        }

    def counts(self) -> dict[str, int]:
        return {role: len(by_pid) for role, by_pid in self.cpu.items()}


class Sampler(threading.Thread):
    """Every `interval` seconds: the queue backlog, the database counters and CPU times."""

    def __init__(self, database_url: str, processes: ServerProcesses, interval: float = 5.0):
        super().__init__(daemon=True)
        self.database_url, self.processes, self.interval = database_url, processes, interval
        self.samples: list[dict] = []
        self.started = time.time()
        self._halt = threading.Event()

    def take(self) -> dict:
        with psycopg.connect(self.database_url, autocommit=True) as connection:
            sample = {
                "t": round(time.time() - self.started, 1),
                "queue": queue_backlog(connection),
                "database": database_counters(connection),
            }
        self.processes.sample()
        sample["cpu"] = self.processes.totals()
        self.samples.append(sample)
        return sample

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            try:
                self.take()
            except (psycopg.Error, OSError) as error:
                self.samples.append(
                    {"t": round(time.time() - self.started, 1), "error": str(error)}
                )

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=self.interval + 5)

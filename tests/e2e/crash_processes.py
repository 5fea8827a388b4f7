"""Real web and worker processes for the crash tests: started, stopped at a named checkpoint,
killed with SIGKILL, restarted; and the crash database on SQLite (a file) or PostgreSQL (a database
of its own, created and dropped, so it never meets the suite's test database)."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dj_database_url
import requests
from django.conf import settings

_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition: Callable[[], object], *, timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@dataclass
class CrashDatabase:
    url: str
    connect: Callable[[], object]
    drop: Callable[[], None] = lambda: None

    def rows(self, sql: str) -> list[tuple]:
        connection = self.connect()
        try:
            cursor = connection.cursor()
            cursor.execute(sql)
            return [tuple(row) for row in cursor.fetchall()]
        finally:
            connection.close()

    def scalar(self, sql: str):
        return self.rows(sql)[0][0]


def crash_database(directory: Path) -> CrashDatabase:
    """The same engine as the suite: PostgreSQL when DATABASE_URL names it, else a SQLite file."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        path = directory / "crash.sqlite3"
        return CrashDatabase(url=f"sqlite:///{path}", connect=lambda: sqlite3.connect(path))

    import psycopg

    parsed = dj_database_url.parse(url)
    server = {
        "host": parsed["HOST"] or "127.0.0.1",
        "port": parsed["PORT"] or 5432,
        "user": parsed["USER"],
        "password": parsed["PASSWORD"] or None,
    }
    name = f"permitsafe_crash_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(**server, dbname=parsed["NAME"] or "postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(**server, dbname=parsed["NAME"] or "postgres", autocommit=True) as a:
            a.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    password = f":{parsed['PASSWORD']}" if parsed["PASSWORD"] else ""
    return CrashDatabase(
        url=f"postgres://{server['user']}{password}@{server['host']}:{server['port']}/{name}",
        connect=lambda: psycopg.connect(**server, dbname=name),
        drop=drop,
    )


@dataclass
class Processes:
    """Every process the test starts, so that none outlives it; logs under `directory`."""

    directory: Path
    environment: dict[str, str]
    started: list[subprocess.Popen] = field(default_factory=list)
    web_port: int = 0

    @property
    def marker(self) -> Path:
        return self.directory / "checkpoint-reached"

    def _start(self, label: str, arguments: list[str], pause_at: str) -> subprocess.Popen:
        self.marker.unlink(missing_ok=True)
        log = (self.directory / f"{len(self.started):02d}-{label}.log").open("wb")
        environment = {**self.environment, "CRASH_TEST_PAUSE_AT": pause_at}
        process = subprocess.Popen(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
            cwd=settings.BASE_DIR,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        self.started.append(process)
        return process

    def run(self, *arguments: str, timeout: float = 60) -> str:
        """A short command (the cron command, a batch worker) run to its end; returns its output."""
        process = self._start(arguments[0], list(arguments), pause_at="")
        assert process.wait(timeout=timeout) == 0, self.log_tail()
        return self.log_of(process)

    def web(self, *, pause_at: str = "") -> subprocess.Popen:
        self.web_port = free_port()
        process = self._start(
            "web",
            ["runserver", f"127.0.0.1:{self.web_port}", "--noreload", "--skip-checks"],
            pause_at,
        )

        def answers():
            assert process.poll() is None, self.log_tail()
            try:
                return requests.get(f"{self.base_url}/", timeout=(1, 20)).status_code
            except requests.RequestException:  # not listening yet
                return None

        wait_for(answers, timeout=45, what="the web server")
        return process

    def worker(self, *, pause_at: str = "") -> subprocess.Popen:
        arguments = ["db_worker", "--queue-name", "*", "--no-reload", "--no-startup-delay"]
        return self._start("worker", [*arguments, "--interval", "0.2"], pause_at)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def wait_for_checkpoint(self, process: subprocess.Popen, *names: str) -> str:
        """Wait until the process stops at one of the checkpoints; returns which."""

        def reached():
            assert process.poll() is None, self.log_tail()
            if not self.marker.exists():
                return None
            name = self.marker.read_text().split(" ")[0]
            return name if name in names else None

        return wait_for(reached, timeout=45, what=f"checkpoint {' or '.join(names)}")

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL: no handler, no atexit, no rollback by the process itself."""
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(timeout=10)

    def log_of(self, process: subprocess.Popen) -> str:
        index = self.started.index(process)
        [path] = self.directory.glob(f"{index:02d}-*.log")
        return path.read_text(errors="replace")

    def logs(self, label: str) -> str:
        return "".join(
            path.read_text(errors="replace")
            for path in sorted(self.directory.glob(f"*-{label}.log"))
        )

    def log_tail(self) -> str:
        paths = sorted(self.directory.glob("*.log"))
        return paths[-1].read_text(errors="replace")[-3000:] if paths else ""


class Visitor:
    """A signed-in person's browser over real HTTP: the session cookie, CSRF from the form."""

    def __init__(self, processes: Processes, *, session_cookie: tuple[str, str]):
        self.processes = processes
        self.http = requests.Session()
        self.http.cookies.set(*session_cookie)

    def post_form(self, path: str, data: dict, files: dict | None = None) -> requests.Response:
        page = self.http.get(self.processes.base_url + path, timeout=30)
        assert page.status_code == 200, (path, page.status_code)
        token = _CSRF_FIELD.search(page.text).group(1)
        return self.http.post(
            self.processes.base_url + path,
            data={"csrfmiddlewaretoken": token, **data},
            files=files,
            allow_redirects=False,
            timeout=60,
        )

    def post_form_in_background(self, path: str, data: dict, files: dict | None = None):
        """Send the form from a thread (the server will die mid-request); returns the outcome."""
        outcome: dict[str, object] = {}

        def send():
            try:
                outcome["response"] = self.post_form(path, data, files)
            except requests.RequestException as error:
                outcome["error"] = error

        thread = threading.Thread(target=send, daemon=True)
        thread.start()
        return thread, outcome

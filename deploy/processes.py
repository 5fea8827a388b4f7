"""The processes of `make cluster`: each started in a session of its own (so that Ctrl+C reaches
only the supervisor, which stops them in order), its output appended to a log file of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Child:
    name: str
    command: list[str]
    log_path: Path
    environment: dict[str, str]
    cwd: Path
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> Child:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own commands)
                self.command,
                cwd=self.cwd,
                env=self.environment,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def signal(self, signum: int = signal.SIGTERM) -> None:
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signum)

    def wait(self, timeout: float) -> int | None:
        """Wait for the process; kill its whole session if it outlives `timeout`."""
        if self.process is None:
            return None
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                # Its session id is its pid: this also reaches whatever it started.
                signal_session(self.process.pid, signal.SIGKILL)
            return self.process.wait()

    def log_tail(self, characters: int = 2000) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-characters:]
        return ""


def without_django_settings(environment) -> dict[str, str]:
    """A calling shell's environment without its own Django settings (PERMITSAFE_*, DJANGO_*,
    DATABASE_URL): a test run's or a developer's must never leak into the cluster's processes or
    into a command meant to work on the cluster."""
    return {
        key: value
        for key, value in environment.items()
        if not key.startswith(("PERMITSAFE_", "DJANGO_")) and key != "DATABASE_URL"
    }


def run_once(
    name: str, command: list[str], *, log_path: Path, environment: dict[str, str], cwd: Path
) -> subprocess.CompletedProcess:
    """A one-off step (migrate, collectstatic...): its output goes to its log and is returned."""
    completed = subprocess.run(  # noqa: S603 (our own commands)
        command,
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        # Its own session, as the long-running ones: Ctrl+C stops the cluster between steps.
        start_new_session=True,
    )
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log:
        log.write(f"== {name}: {' '.join(command)}\n{completed.stdout}{completed.stderr}\n")
    return completed


def session_members(session_id: int) -> list[int]:
    """Processes of one session (Linux /proc): the children a process started and left behind."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            # The command name may hold spaces and parentheses: fields start after the last ")".
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[3]) == session_id and fields[0] != "Z":
                members.append(int(stat.parent.name))
    return members


def signal_session(session_id: int, signum: int) -> None:
    for pid in session_members(session_id):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signum)

"""A throwaway server for the peak day when no `make cluster` runs: a PostgreSQL database of its
own, gunicorn with N web processes, M `db_worker` processes and the SMTP sink, all on loopback.

    .venv/bin/python bench/peakday/local_server.py --web 2 --workers 2 --folder var/peakday/server

prints the base URL, the database URL, the mail folder and the environment file to use with
`run.py`, and runs until Ctrl-C; the database is dropped when it stops (--keep keeps it).

Settings: as close to production as the run allows. PERMITSAFE_MODE=development is needed for two
things only, both refused in production by design: the embedded payment provider (the peak day
pays through it) and running without clamd. Everything else is production's: DEBUG off, Argon2 at
its production cost, SMTP through the DKIM backend, the database task queue, rate limits, and
TRUSTED_PROXIES=127.0.0.1 so that each load user's X-Forwarded-For counts as its own client address
(the load generator stands in for the TLS proxy in front).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
DEFAULT_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(admin_url: str, name: str) -> str:
    return urllib.parse.urlunsplit(urllib.parse.urlsplit(admin_url)._replace(path=f"/{name}"))


def admin_sql(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def server_environment(*, folder: Path, db_url: str, port: int, smtp_port: int) -> dict[str, str]:
    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii").rstrip("=")
    return {
        "PERMITSAFE_MODE": "development",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "KEY_ENCRYPTION_KEYS": f"peakday1:{key}",
        "PAYMENTS_EMBEDDED_SECRET": secrets.token_urlsafe(32),
        "PAYMENTS_PROVIDER": "embedded",
        "DATABASE_URL": db_url,
        "PERMITSAFE_VAR_DIR": str(folder / "var"),
        "DOCUMENTS_ROOT": str(folder / "documents"),
        "EMAIL_BACKEND": "notifications.dkim.DKIMSigningSMTPBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TRUSTED_PROXIES": "127.0.0.1",
        "TRUST_DNS_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
        "PYTHONDONTWRITEBYTECODE": "1",
    }


class LocalServer:
    """Start with `with LocalServer(...) as server:`; server.info says where everything is."""

    def __init__(
        self,
        *,
        folder: Path | None = None,
        web: int = 2,
        workers: int = 1,
        admin_url: str = DEFAULT_ADMIN_URL,
        name: str = "",
        keep: bool = False,
    ):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="peakday-server-"))
        self.web, self.workers, self.admin_url, self.keep = web, workers, admin_url, keep
        self.name = name or f"peakday_{secrets.token_hex(4)}"
        self.processes: list[subprocess.Popen] = []
        self.info: dict = {}

    def _spawn(self, command: list[str], env: dict, log: str) -> subprocess.Popen:
        output = open(self.folder / log, "ab")  # noqa: SIM115 (open while the process runs)
        process = subprocess.Popen(  # noqa: S603 (our own commands)
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
        self.processes.append(process)
        return process

    def start(self) -> dict:
        self.folder.mkdir(parents=True, exist_ok=True)
        port, smtp_port = free_port(), free_port()
        db_url = database_url(self.admin_url, self.name)
        admin_sql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}"')
        admin_sql(self.admin_url, f'CREATE DATABASE "{self.name}"')
        server_env = server_environment(
            folder=self.folder, db_url=db_url, port=port, smtp_port=smtp_port
        )
        env = {**os.environ, **server_env}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        mail_dir = self.folder / "mail"
        self._spawn(
            [
                PYTHON,
                str(Path(__file__).with_name("mailsink.py")),
                "--port",
                str(smtp_port),
                "--folder",
                str(mail_dir),
            ],
            env,
            "mailsink.log",
        )
        gunicorn = self._spawn(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--workers",
                str(self.web),
                "--bind",
                f"127.0.0.1:{port}",
                "--pid",
                str(self.folder / "gunicorn.pid"),
                "--timeout",
                "120",
            ],
            env,
            "gunicorn.log",
        )
        for number in range(self.workers):
            self._spawn(
                [
                    PYTHON,
                    "manage.py",
                    "db_worker",
                    "--interval",
                    "0.2",
                    "--worker-id",
                    f"pd{number}",
                ],
                env,
                f"db_worker{number}.log",
            )
        base_url = f"http://127.0.0.1:{port}"
        wait_until_up(base_url, gunicorn)
        env_file = self.folder / "server.env"
        env_file.write_text(
            "".join(f"{key}={value}\n" for key, value in server_env.items()), encoding="utf-8"
        )
        self.info = {
            "base_url": base_url,
            "database_url": db_url,
            "mail_dir": str(mail_dir),
            "env_file": str(env_file),
            "server_pids": [process.pid for process in self.processes[1:]],
        }
        (self.folder / "server.json").write_text(json.dumps(self.info, indent=2), encoding="utf-8")
        return self.info

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        if not self.keep:
            try:
                admin_sql(self.admin_url, f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            except Exception as error:  # noqa: BLE001 (leave the server stopped in any case)
                print(f"could not drop {self.name}: {error}", file=sys.stderr)

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()


def wait_until_up(base_url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before it answered (see gunicorn.log)")
        try:
            with urllib.request.urlopen(f"{base_url}/trust/", timeout=5):  # noqa: S310 (loopback)
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--web", type=int, default=2, help="gunicorn web processes")
    parser.add_argument("--workers", type=int, default=1, help="db_worker processes")
    parser.add_argument("--folder", type=Path, help="logs, blobs, mail (default: a temp folder)")
    parser.add_argument("--admin-url", default=DEFAULT_ADMIN_URL)
    parser.add_argument("--name", default="", help="database name (default: peakday_<random>)")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args(argv)
    server = LocalServer(
        folder=args.folder,
        web=args.web,
        workers=args.workers,
        admin_url=args.admin_url,
        name=args.name,
        keep=args.keep,
    )
    with server:
        print(json.dumps(server.info, indent=2), flush=True)
        stop = {"now": False}
        signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
        try:
            while not stop["now"]:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

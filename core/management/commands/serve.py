"""Start the web server, the background worker and the two inbound SMTP receivers together, for
development (`make run`)."""

import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from deploy.provisioning import free_ports

# Addresses of this machine, written as the name localhost: the address goes into emails and the
# check engine rightly calls a bare IP address in a message a phishing sign.
_THIS_MACHINE = frozenset({"127.0.0.1", "::1", "0.0.0.0", "::", "", "localhost"})  # noqa: S104


def development_base_url(host: str, port: int) -> str:
    """The address the development server really answers on, for emails and security.txt."""
    shown = "localhost" if host in _THIS_MACHINE else (f"[{host}]" if ":" in host else host)
    return f"http://{shown}:{port}"


def child_environment(host: str, port: int, environ=None) -> dict[str, str]:
    """The environment of the web server and the worker: PUBLIC_BASE_URL, unless set by hand, is
    the address this command serves on (`make run PORT=8010` must not tell people to type
    localhost:8000). Production never runs this command and sets it explicitly (core.W003)."""
    environment = dict(os.environ if environ is None else environ)
    if not environment.get("PUBLIC_BASE_URL"):
        environment["PUBLIC_BASE_URL"] = development_base_url(host, port)
    return environment


def receiver_ports(web_port: int, *asked: int) -> list[int]:
    """The receivers' ports: each one asked for, or a free one (0). Fixed defaults would collide
    with a second checkout's `make run` or a receiver started by hand on the README's ports."""
    free = iter(free_ports(asked.count(0), besides={web_port, *asked}))
    return [port or next(free) for port in asked]


class Command(BaseCommand):
    help = (
        "Run the development web server, a task worker and the SMTP receivers for forwarded scam "
        "reports and for plain email to the public address; Ctrl+C stops them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument(
            "--reports-port",
            type=int,
            default=0,
            help="SMTP port receiving scam messages forwarded to the report address (0: a free one)",
        )
        parser.add_argument(
            "--plain-email-port",
            type=int,
            default=0,
            help="SMTP port answering plain email to the public address (0: a free one)",
        )

    def handle(self, *args, host, port, reports_port, plain_email_port, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        environment = child_environment(host, port)
        reports_port, plain_email_port = receiver_ports(port, reports_port, plain_email_port)
        commands = {
            "the task worker": ["db_worker", "--queue-name", "*", "--no-reload"],
            "the report receiver": ["receive_reports", "--host", host, "--port", str(reports_port)],
            "the plain-email receiver": [
                *("receive_plain_email", "--host", host, "--port", str(plain_email_port)),
            ],
            "the web server": ["runserver", f"{host}:{port}", "--noreload"],
        }
        processes = {
            name: subprocess.Popen([*manage, *command], env=environment)  # noqa: S603
            for name, command in commands.items()
        }
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe platform is running at {development_base_url(host, port)}/\n"
            )
        )
        self.stdout.write(
            f"Scam messages forwarded by email: SMTP on {host}:{reports_port}; plain email to the "
            f"public address (answered with how to use Securemail): SMTP on {host}:{plain_email_port}."
        )
        self.stdout.write("Press Ctrl+C to stop them all.\n")
        self.stdout.flush()
        stop = threading.Event()
        threading.Thread(target=self._enqueue_periodically, args=(stop,), daemon=True).start()
        try:
            self._watch(processes)
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            for process in processes.values():
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes.values():
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

    def _watch(self, processes: dict[str, subprocess.Popen]) -> None:
        """Until the web server stops; another process that stops is said once, not hidden."""
        web, reported = processes["the web server"], set()
        while web.poll() is None:
            for name, process in processes.items():
                if name not in reported and process.poll() is not None:
                    reported.add(name)
                    self.stderr.write(
                        f"{name.capitalize()} stopped (exit status {process.returncode})."
                    )
            time.sleep(1)

    def _enqueue_periodically(self, stop: threading.Event, every_seconds: int = 300) -> None:
        """What cron does in production: enqueue the periodic tasks every few minutes."""
        from django.db import close_old_connections

        from core.periodic import enqueue_periodic_tasks

        # Once at start (the reminders and sweeps of a machine that was off), then every few minutes.
        while True:
            close_old_connections()
            enqueue_periodic_tasks()
            if stop.wait(every_seconds):
                return

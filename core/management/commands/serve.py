"""Start the web server and the background worker together, for development (`make run`)."""

import os
import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

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


class Command(BaseCommand):
    help = "Run the development web server and a task worker together; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        environment = child_environment(host, port)
        worker = subprocess.Popen(  # noqa: S603
            [*manage, "db_worker", "--queue-name", "*", "--no-reload"], env=environment
        )
        web = subprocess.Popen(  # noqa: S603
            [*manage, "runserver", f"{host}:{port}", "--noreload"], env=environment
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"\nThe platform is running at {development_base_url(host, port)}/\n"
            )
        )
        self.stdout.write("Press Ctrl+C to stop the web server and the worker.\n")
        stop = threading.Event()
        threading.Thread(target=self._enqueue_periodically, args=(stop,), daemon=True).start()
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

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

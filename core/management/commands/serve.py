"""Start the web server and the background worker together, for development (`make run`)."""

import signal
import subprocess
import sys
import threading

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server and a task worker together; Ctrl+C stops both."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")

    def handle(self, *args, host, port, **options):
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py")]
        worker = subprocess.Popen([*manage, "db_worker", "--queue-name", "*", "--no-reload"])  # noqa: S603
        web = subprocess.Popen([*manage, "runserver", f"{host}:{port}", "--noreload"])  # noqa: S603
        self.stdout.write(
            self.style.SUCCESS(f"\nThe platform is running at http://{host}:{port}/\n")
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

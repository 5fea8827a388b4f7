"""Start the web server and the background worker together, for development (`make run`)."""

import signal
import subprocess
import sys

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
        self.stdout.write(self.style.SUCCESS(f"\nThe platform is running at http://{host}:{port}/\n"))
        self.stdout.write("Press Ctrl+C to stop the web server and the worker.\n")
        try:
            web.wait()
        except KeyboardInterrupt:
            pass
        finally:
            for process in (web, worker):
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
            for process in (web, worker):
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()

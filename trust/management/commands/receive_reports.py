"""Run the SMTP server that receives scam messages forwarded to the report address."""

import signal
import threading

from django.core.management.base import BaseCommand

from trust.inbound import report_smtp_controller
from trust.selectors import report_address


class Command(BaseCommand):
    help = "Receive forwarded scam messages by SMTP and store each as a report."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)

    def handle(self, *args, host, port, **options):
        controller = report_smtp_controller(host=host, port=port)
        controller.start()
        self.stdout.write(f"Receiving reports for {report_address()} on {host}:{port}")
        stopping = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stopping.set())
        try:
            stopping.wait()
        finally:
            controller.stop()

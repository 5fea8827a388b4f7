"""Run the SMTP server that receives scam messages forwarded to the report address."""

import signal
import threading

from django.core.management.base import BaseCommand

from core.ratelimit import configured_limit
from trust.inbound import CLIENT_RATE_SCOPE, DEFAULT_CLIENT_LIMIT, report_smtp_controller
from trust.selectors import report_address


class Command(BaseCommand):
    help = "Receive forwarded scam messages by SMTP and store each as a report."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument(
            "--messages-per-connection",
            type=int,
            default=None,
            help="Close a connection with 421 after this many messages "
            "(default: settings.TRUST_INBOUND_MESSAGES_PER_CONNECTION, 10).",
        )

    def handle(self, *args, host, port, messages_per_connection, **options):
        controller = report_smtp_controller(
            host=host, port=port, messages_per_connection=messages_per_connection
        )
        controller.start()
        handler = controller.handler
        limit, window = configured_limit(CLIENT_RATE_SCOPE, *DEFAULT_CLIENT_LIMIT)
        self.stdout.write(
            f"Receiving reports for {report_address()} on {host}:{port} "
            f"(at most {handler.messages_per_connection} messages per connection, "
            f"{limit} per client address in {window} s)"
        )
        stopping = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stopping.set())
        try:
            stopping.wait()
        finally:
            controller.stop()

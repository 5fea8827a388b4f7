"""Run the SMTP server for the authority's public address: plain email gets Securemail's automatic
reply and is not stored (securemail.autoreply)."""

import signal
import threading

from django.conf import settings
from django.core.management.base import BaseCommand

from securemail.autoreply import plain_mail_smtp_controller


class Command(BaseCommand):
    help = (
        "Receive plain email to the public address by SMTP, answer each sender at most once a day "
        "with how to use Securemail, and store nothing of the message."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2526)
        parser.add_argument(
            "--address",
            action="append",
            default=None,
            help="A public address to answer for (repeatable; default: "
            "SECUREMAIL_AUTOREPLY_ADDRESSES, else the profile's public_email_addresses).",
        )

    def handle(self, *args, host, port, address, **options):
        controller = plain_mail_smtp_controller(
            host=host, port=port, addresses=tuple(address) if address else None
        )
        controller.start()
        handler = controller.handler
        self.stdout.write(
            f"Answering plain email to {', '.join(sorted(handler.addresses))} on {host}:{port} "
            f"(messages up to {settings.SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES} bytes, "
            f"{handler.messages_per_connection} per connection, "
            f"{settings.SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR} per client address an hour; "
            f"replies: {settings.SECUREMAIL_AUTOREPLY_SENDER_REPLIES_PER_DAY} per sender a day, "
            f"{settings.SECUREMAIL_AUTOREPLY_CLIENT_REPLIES_PER_HOUR} per client address and "
            f"{settings.SECUREMAIL_AUTOREPLY_REPLIES_PER_HOUR} in all an hour)"
        )
        stopping = threading.Event()
        for signal_number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signal_number, lambda *_args: stopping.set())
        try:
            stopping.wait()
        finally:
            controller.stop()

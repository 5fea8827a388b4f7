"""Development and test backends: print the message, or keep it in memory."""

from __future__ import annotations

import sys
import threading

from django.conf import settings

from notifications.sms.base import SMSBackend, SMSMessage


class ConsoleSMSBackend(SMSBackend):
    """Writes the message to standard output, as Django's console email backend does."""

    code = "console"

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, message: SMSMessage) -> None:
        # Outside development the output ends up in logs, where a phone number must not.
        recipient = message.to if settings.DEVELOPMENT else f"…{message.to[-2:]}"
        self.stream.write(f"SMS from {message.sender} to {recipient}\n{message.text}\n{'-' * 40}\n")
        self.stream.flush()


class MemorySMSBackend(SMSBackend):
    """Keeps sent messages in `MemorySMSBackend.outbox` (tests)."""

    code = "memory"
    outbox: list[SMSMessage] = []
    _lock = threading.Lock()

    def send(self, message: SMSMessage) -> None:
        with self._lock:
            MemorySMSBackend.outbox.append(message)

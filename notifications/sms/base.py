"""The interface every SMS backend implements."""

from __future__ import annotations

from dataclasses import dataclass


class SMSSendFailed(Exception):
    """The backend could not hand the message over; the task retries it later."""


@dataclass(frozen=True)
class SMSMessage:
    to: str
    sender: str
    text: str
    # The same on every attempt of one message: a gateway that accepts an idempotency key gets it,
    # so a send repeated after a worker crash is delivered once (see notifications.stalled).
    reference: str = ""


class SMSBackend:
    """Hands one text message to a gateway. Implementations raise SMSSendFailed on failure."""

    code = ""

    def send(self, message: SMSMessage) -> None:  # pragma: no cover - the interface
        raise NotImplementedError

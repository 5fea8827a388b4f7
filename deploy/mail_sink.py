"""The mail server of `make cluster`: an SMTP server on loopback (aiosmtpd) that keeps every message
it accepts as a file, exactly as received (DKIM signature included), so that a check after a load
run can count every notification sent exactly once.

Files: `<folder>/<time>-<id>.eml`, and one JSON line per message in `<folder>/envelopes.jsonl`
(file name, envelope sender and recipients).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller

from deploy.provisioning import free_port


class _FileHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.lock = threading.Lock()
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.eml"
        partial = self.folder / f".{name}.partial"
        partial.write_bytes(envelope.original_content)
        partial.rename(self.folder / name)
        line = json.dumps({"file": name, "from": envelope.mail_from, "to": envelope.rcpt_tos})
        with self.lock, open(self.folder / "envelopes.jsonl", "a", encoding="utf-8") as index:
            index.write(line + "\n")
            self.count += 1
        return "250 Message accepted for delivery"


class MailSink:
    """Start with start(); `port` is where the web processes and workers send (EMAIL_PORT)."""

    def __init__(self, folder: Path, *, port: int | None = None):
        self.folder = Path(folder)
        self.handler = _FileHandler(self.folder)
        # aiosmtpd checks readiness by connecting to the port it was given, so it needs a real one.
        self.port = port or free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> MailSink:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> int:
        with self.handler.lock:
            return self.handler.count

"""An SMTP sink on loopback that writes every message it receives to a file of its own.

    .venv/bin/python bench/peakday/mailsink.py --port 2525 --folder var/peakday/mail

Each file is the message as received (RFC 5322, .eml), written to a temporary name and renamed, so
that a reader never sees half a message. The peak-day users read one-time codes from the folder;
the nothing-lost check compares it with the outbound email rows. (`make cluster` has its own sink
with the same contract: one message a file.)
"""

from __future__ import annotations

import argparse
import os
import signal
import threading
import uuid
from pathlib import Path

from aiosmtpd.controller import Controller


class FolderHandler:
    def __init__(self, folder: Path):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        name = f"{uuid.uuid4().hex}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(envelope.original_content or envelope.content)
        os.replace(partial, self.folder / name)
        return "250 Message accepted"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--folder", required=True)
    args = parser.parse_args(argv)
    controller = Controller(FolderHandler(Path(args.folder)), hostname=args.host, port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    print(f"mail sink on {args.host}:{args.port} writing to {args.folder}", flush=True)
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

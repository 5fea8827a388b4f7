"""The SMS gateway of `make cluster`: each text message becomes a JSON file in a folder, so that a
check after a load run can count every message sent exactly once (by its reference, which stays
the same on every attempt of one message).

Named by its dotted path in SMS_BACKEND, as a deployment plugs in its operator's gateway
(notifications.sms): the loopback topology has no operator to send through, and the console
backend is refused in production (core.W002). The folder is CLUSTER_SMS_DIR, set by deploy.cluster.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from pathlib import Path

from notifications.sms.base import SMSBackend, SMSMessage, SMSSendFailed

FOLDER_VARIABLE = "CLUSTER_SMS_DIR"


class FileSMSGateway(SMSBackend):
    code = "cluster-file-gateway"

    def __init__(self):
        folder = os.environ.get(FOLDER_VARIABLE, "")
        if not folder:
            raise SMSSendFailed(f"{FOLDER_VARIABLE} is not set")
        self.folder = Path(folder)

    def send(self, message: SMSMessage) -> None:
        record = {
            "to": message.to,
            "sender": message.sender,
            "text": message.text,
            "reference": message.reference,
        }
        name = f"{time.time_ns()}-{uuid.uuid4().hex}.json"
        partial = self.folder / f".{name}.partial"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
            # Renamed into place whole: a reader never sees half a message.
            partial.rename(self.folder / name)
        except OSError as error:
            raise SMSSendFailed("the message folder could not be written") from error

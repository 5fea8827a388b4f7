"""`manage.py receive_plain_email` starts the receiver as an operator runs it, says its limits,
answers SMTP on the given port and stops on SIGTERM."""

from __future__ import annotations

import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MESSAGE = b"From: maija@example.org\r\nSubject: Kalevala-secret\r\n\r\nKalevala-secret\r\n"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for_greeting(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the command exited: {process.communicate()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
                if connection.recv(64).startswith(b"220"):
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("the receiver did not come up")


def test_the_command_serves_the_public_address_and_stops_on_sigterm(tmp_path):
    port = _free_port()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "PERMITSAFE_MODE": "development",
        "PERMITSAFE_VAR_DIR": str(tmp_path / "var"),
    }
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    process = subprocess.Popen(  # noqa: S603 (our own command)
        [sys.executable, "manage.py", "receive_plain_email", "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        _wait_for_greeting(port, process)
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                smtp.sendmail("maija@example.org", ["someone@example.org"], MESSAGE)
            smtp.sendmail("maija@example.org", ["migri@migri.fi"], MESSAGE)
    finally:
        process.send_signal(signal.SIGTERM)
        stdout, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr
    assert f"Answering plain email to migri@migri.fi on 127.0.0.1:{port}" in stdout.decode()
    assert "1 per sender a day" in stdout.decode()
    # The reply waits in the task queue; a worker sends it (development mode: to var/mail/).
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "db_worker", "--batch", "--no-startup-delay"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    [reply] = [path.read_bytes() for path in (tmp_path / "var" / "mail").iterdir()]
    assert b"Auto-Submitted: auto-replied" in reply and b"To: maija@example.org" in reply
    assert b"Kalevala-secret" not in reply

"""The virus scanner of `make cluster`: clamd on a loopback TCP port, with a database that holds
only the EICAR test signature (the machines cannot download ClamAV's signatures; the full database
changes nothing in the topology but the memory it takes). Production refuses to serve uploads
without a scanner (documents.E001), so the cluster runs a real one.
"""

from __future__ import annotations

import hashlib
import shutil
import socket
import subprocess
import time
from pathlib import Path

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
CLAMD_CANDIDATES = ("clamd", "/usr/sbin/clamd")
# Securemail takes files up to 400 MiB (SECUREMAIL_ATTACHMENT_MAX_BYTES): clamd must read them whole.
MAX_SCAN = "401M"


class ClamdError(RuntimeError):
    pass


def clamd_binary() -> str:
    for candidate in CLAMD_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    raise ClamdError("clamd is not installed: apt-get install clamav-daemon")


def ping(port: int, timeout: float = 2.0) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
            connection.sendall(b"zPING\0")
            return connection.recv(16).rstrip(b"\0\n") == b"PONG"
    except OSError:
        return False


def write_configuration(folder: Path, port: int) -> Path:
    """clamd.conf and the one-signature database under `folder`."""
    database = folder / "db"
    temporary = folder / "tmp"
    database.mkdir(parents=True, exist_ok=True)
    temporary.mkdir(parents=True, exist_ok=True)
    # A .hdb signature matches a whole file by MD5 and size.
    (database / "eicar.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n"  # noqa: S324
    )
    configuration = folder / "clamd.conf"
    configuration.write_text(
        f"TCPSocket {port}\n"
        "TCPAddr 127.0.0.1\n"
        "Foreground yes\n"
        f"DatabaseDirectory {database}\n"
        f"TemporaryDirectory {temporary}\n"
        f"PidFile {folder / 'clamd.pid'}\n"
        f"StreamMaxLength {MAX_SCAN}\n"
        f"MaxScanSize {MAX_SCAN}\n"
        f"MaxFileSize {MAX_SCAN}\n"
    )
    return configuration


def wait_until_answering(port: int, process: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ClamdError(f"clamd exited with {process.returncode}")
        if ping(port):
            return
        time.sleep(0.2)
    raise ClamdError(f"clamd did not answer PING within {timeout:.0f} s")

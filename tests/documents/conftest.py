"""Fixtures for the documents tests: sample files by content, stored documents, a real clamd."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import subprocess
import time
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

CLAMD_BINARY = "/usr/sbin/clamd"
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

PDF_BYTES = (
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
JPEG_BYTES = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    + bytes(64)
    + b"\xff\xd9"
)
EXE_BYTES = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(300) + b"PE\x00\x00"
)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bytes() -> bytes:
    """A real 1×1 white PNG."""
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


PNG_BYTES = png_bytes()


def upload(content: bytes, name: str = "passport.pdf", content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def store_document(django_capture_on_commit_callbacks):
    """Store through the service and run the on-commit scan as a committed request would."""
    from documents.services import document_store

    def _store(owner, content: bytes = PDF_BYTES, name: str = "passport.pdf", purpose="attachment"):
        with django_capture_on_commit_callbacks(execute=True):
            document = document_store(
                owner=owner, uploaded_file=upload(content, name), purpose=purpose
            )
        document.refresh_from_db()
        return document

    return _store


def _wait_for_ping(socket_path: str, process: subprocess.Popen, log_path) -> None:
    from documents.scanners.base import ScannerUnavailable
    from documents.scanners.clamd import ClamdScanner

    scanner = ClamdScanner(socket_path, timeout=5)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd exited: {log_path.read_text(errors='replace')[-2000:]}")
        if os.path.exists(socket_path):
            try:
                if scanner.ping():
                    return
            except ScannerUnavailable:
                pass
        time.sleep(0.2)
    raise RuntimeError("clamd did not answer PING within 90 seconds")


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd with a one-line EICAR hash database, started once for the session."""
    if not os.path.exists(CLAMD_BINARY) or shutil.which(CLAMD_BINARY) is None:
        pytest.skip(f"clamd is not installed ({CLAMD_BINARY}); apt-get install clamav-daemon")
    base = tmp_path_factory.mktemp("clamd")
    (base / "db").mkdir()
    (base / "tmp").mkdir()
    # A .hdb signature matches a whole file by MD5 and size.
    (base / "db" / "eicar.hdb").write_text(
        f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Eicar-Test-Signature\n"  # noqa: S324
    )
    socket_path = str(base / "clamd.sock")
    log_path = base / "clamd.log"
    config = base / "clamd.conf"
    config.write_text(
        f"LocalSocket {socket_path}\n"
        "Foreground yes\n"
        f"DatabaseDirectory {base / 'db'}\n"
        f"TemporaryDirectory {base / 'tmp'}\n"
        f"PidFile {base / 'clamd.pid'}\n"
        f"LogFile {log_path}\n"
        "StreamMaxLength 30M\n"
    )
    process = subprocess.Popen(
        [CLAMD_BINARY, "-c", str(config)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        _wait_for_ping(socket_path, process, log_path)
        yield socket_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

"""A clamd client speaking INSTREAM over a unix socket or TCP.

Written by hand: the PyPI clients are unmaintained or buffer whole files in memory, and the protocol
is a few lines (zINSTREAM\\0, then 4-byte big-endian length-prefixed chunks, then a zero length).
"""

from __future__ import annotations

import socket
from collections.abc import Iterable

from documents.scanners.base import ScanFailed, Scanner, ScannerUnavailable, ScanResult

# clamd refuses a single chunk above its StreamMaxLength; smaller pieces also keep memory flat.
MAX_PIECE_BYTES = 256 * 1024
_REPLY_LIMIT = 4096


def parse_address(address: str) -> tuple[int, str | tuple[str, int]]:
    """'/run/clamav/clamd.ctl' or 'unix:/path' → unix socket; 'host:port' or '[::1]:3310' → TCP."""
    if address.startswith("unix:"):
        return socket.AF_UNIX, address[len("unix:") :]
    if address.startswith("/"):
        return socket.AF_UNIX, address
    address = address.removeprefix("tcp://")
    host, separator, port = address.rpartition(":")
    if not separator or not port.isdigit() or not host:
        raise ValueError(f"CLAMD_SOCKET must be a unix socket path or host:port, not {address!r}")
    host = host.strip("[]")
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return family, (host, int(port))


def parse_reply(reply: bytes) -> ScanResult:
    """Turn clamd's answer to INSTREAM into a result; errors raise ScanFailed."""
    text = reply.rstrip(b"\0\r\n ").decode("utf-8", "replace")
    _stream, _colon, verdict = text.partition("stream: ")
    verdict = verdict.strip()
    if verdict == "OK":
        return ScanResult(infected=False)
    if verdict.endswith(" FOUND"):
        return ScanResult(infected=True, signature_name=verdict[: -len(" FOUND")].strip()[:200])
    raise ScanFailed(f"clamd answered {text[:200]!r}")


class ClamdScanner(Scanner):
    name = "clamd"

    def __init__(self, address: str, *, timeout: float = 30):
        self.address = address
        self.timeout = timeout

    def _connect(self) -> socket.socket:
        family, target = parse_address(self.address)
        connection = socket.socket(family, socket.SOCK_STREAM)
        connection.settimeout(self.timeout)
        try:
            connection.connect(target)
        except OSError as error:
            connection.close()
            raise ScannerUnavailable(f"cannot connect to clamd: {error}") from error
        return connection

    @staticmethod
    def _read_reply(connection: socket.socket) -> bytes:
        reply = b""
        while not reply.endswith(b"\0") and len(reply) < _REPLY_LIMIT:
            data = connection.recv(_REPLY_LIMIT)
            if not data:
                break
            reply += data
        return reply

    def ping(self) -> bool:
        with self._connect() as connection:
            try:
                connection.sendall(b"zPING\0")
                return self._read_reply(connection).rstrip(b"\0") == b"PONG"
            except OSError as error:
                raise ScannerUnavailable(f"clamd did not answer PING: {error}") from error

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        with self._connect() as connection:
            try:
                connection.sendall(b"zINSTREAM\0")
                for chunk in chunks:
                    view = memoryview(chunk)
                    for start in range(0, len(view), MAX_PIECE_BYTES):
                        piece = view[start : start + MAX_PIECE_BYTES]
                        connection.sendall(len(piece).to_bytes(4, "big"))
                        connection.sendall(piece)
                connection.sendall(b"\0\0\0\0")
            except (BrokenPipeError, ConnectionResetError) as error:
                # clamd closes the stream early when the file exceeds its StreamMaxLength and says
                # why first; read that answer if it is there.
                reply = self._read_reply_quietly(connection)
                if reply:
                    return parse_reply(reply)
                raise ScannerUnavailable(f"clamd closed the connection: {error}") from error
            except OSError as error:
                raise ScannerUnavailable(f"clamd stopped answering: {error}") from error
            try:
                reply = self._read_reply(connection)
            except OSError as error:
                raise ScannerUnavailable(f"clamd stopped answering: {error}") from error
        if not reply:
            raise ScannerUnavailable("clamd closed the connection without an answer")
        return parse_reply(reply)

    def _read_reply_quietly(self, connection: socket.socket) -> bytes:
        try:
            return self._read_reply(connection)
        except OSError:
            return b""

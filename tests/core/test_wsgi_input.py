"""core.wsgi_input: request bodies read straight from gunicorn's socket, the same bytes as
gunicorn's own reader would give and the connection left as it would leave it."""

from __future__ import annotations

import hashlib
import io
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from gunicorn.http.body import Body, ChunkedReader, LengthReader
from gunicorn.http.unreader import SocketUnreader

from core.wsgi_input import ReadFromSocket, read_bodies_from_socket

ROOT = Path(__file__).resolve().parents[2]


def _body_over_socket(*, held: bytes, sent: bytes, length: int):
    """gunicorn's Body for a body of `length` bytes: `held` already read with the headers (as
    gunicorn's parser leaves it), `sent` still in the socket; the client's end is closed."""
    server, client = socket.socketpair()
    sender = threading.Thread(target=lambda: (client.sendall(sent), client.close()))
    sender.start()
    unreader = SocketUnreader(server)
    unreader.buf.write(held)
    body = Body(LengthReader(unreader, length))
    return body, unreader, sender


def test_reads_the_held_start_then_the_socket_and_leaves_the_next_request_in_place():
    content = os.urandom(300_000)
    next_request = b"GET /next HTTP/1.1\r\nHost: x\r\n\r\n"
    # gunicorn read the first 1000 bytes of the body with the headers.
    body, unreader, sender = _body_over_socket(
        held=content[:1000], sent=content[1000:] + next_request, length=len(content)
    )
    reader = ReadFromSocket(body)
    pieces = [reader.read(1), reader.read(999), reader.read(5000), reader.read(1 << 20)]
    assert b"".join(pieces) == content
    assert [len(piece) for piece in pieces] == [1, 999, 5000, len(content) - 6000]
    assert reader.read(10) == b""
    sender.join()
    assert body.reader.length == 0
    # What gunicorn reads next on this connection is exactly the next request.
    assert unreader.read(len(next_request)) == next_request
    assert not body.failed


def test_held_bytes_past_the_body_go_back_to_gunicorn():
    next_request = b"GET /next HTTP/1.1\r\n\r\n"
    body, unreader, sender = _body_over_socket(held=b"abc" + next_request, sent=b"", length=3)
    reader = ReadFromSocket(body)
    assert reader.read() == b"abc"
    assert reader.read() == b""
    sender.join()
    assert unreader.read(len(next_request)) == next_request


def test_gunicorn_drains_what_the_application_left_unread():
    content = os.urandom(200_000)
    next_request = b"GET /next HTTP/1.1\r\n\r\n"
    body, unreader, sender = _body_over_socket(
        held=content[:100], sent=content[100:] + next_request, length=len(content)
    )
    reader = ReadFromSocket(body)
    assert reader.read(50_000) == content[:50_000]
    # gunicorn's own drain after the response, as its parser does before the next request.
    assert body.read() == content[50_000:]
    sender.join()
    assert unreader.read(len(next_request)) == next_request


def test_readline_keeps_what_it_read_past_the_line():
    content = b"first line\nsecond line\n" + os.urandom(20_000)
    body, _unreader, sender = _body_over_socket(held=b"", sent=content, length=len(content))
    reader = ReadFromSocket(body)
    assert reader.readline() == b"first line\n"
    assert reader.readline(3) == b"sec"
    assert reader.read() == content[len(b"first line\nsec") :]
    sender.join()


def test_a_client_gone_in_the_middle_is_an_early_end_and_the_connection_is_not_reused():
    body, _unreader, sender = _body_over_socket(held=b"", sent=b"x" * 1000, length=5000)
    reader = ReadFromSocket(body)
    assert reader.read(5000) == b"x" * 1000
    sender.join()
    assert body.failed


def test_other_inputs_are_passed_on_untouched():
    seen = []

    def application(environ, start_response):
        seen.append(environ["wsgi.input"])
        return []

    wrapped = read_bodies_from_socket(application)
    plain = io.BytesIO(b"body")
    server, client = socket.socketpair()
    chunked = Body(ChunkedReader(None, SocketUnreader(server)))
    partly_read = Body(LengthReader(SocketUnreader(server), 10))
    partly_read.buf.write(b"abc")
    for stream in (plain, chunked, partly_read):
        wrapped({"wsgi.input": stream}, None)
    assert seen == [plain, chunked, partly_read]
    server.close()
    client.close()


@pytest.fixture
def gunicorn_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # gthread keeps connections alive: the second request on one connection shows that the first
    # body was read exactly to its end.
    server = subprocess.Popen(  # noqa: S603 (our own test application, fixed arguments)
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--worker-class", "gthread", "--threads", "2", "--log-level", "warning"]
        + ["tests.core.wsgi_input_app:application"],
        cwd=ROOT,
    )
    try:
        for _attempt in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)


def _post(connection: socket.socket, body: bytes, headers: str = "") -> bytes:
    connection.sendall(
        f"POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: {len(body)}\r\n{headers}"
        f"\r\n".encode()
        + body
    )
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += connection.recv(65536)
    head, _, rest = answer.partition(b"\r\n\r\n")
    length = int(
        next(
            line.split(b":")[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
    )
    while len(rest) < length:
        rest += connection.recv(65536)
    return rest


def test_a_real_gunicorn_gives_the_application_every_byte_and_the_next_request(gunicorn_server):
    first = os.urandom(3_000_000)
    second = b"line one\n" + os.urandom(100_000)
    with socket.create_connection(("127.0.0.1", gunicorn_server), timeout=30) as connection:
        answer = _post(connection, first).decode().split()
        assert answer == [str(len(first)), hashlib.sha256(first).hexdigest(), "ReadFromSocket"]
        # The same connection, kept alive: the next request arrives whole.
        answer = _post(connection, second, "X-Read-Line-First: yes\r\n").decode().split()
        assert answer == [str(len(second)), hashlib.sha256(second).hexdigest(), "ReadFromSocket"]

"""A WSGI application for tests/core/test_wsgi_input.py, served by a real gunicorn: it reads the
body through wsgi.input in uneven pieces (and a line first) and answers its length and SHA-256,
and which reader it got."""

from __future__ import annotations

import hashlib

from core.wsgi_input import read_bodies_from_socket


def _application(environ, start_response):
    body = environ["wsgi.input"]
    digest = hashlib.sha256()
    total = 0
    first_line = body.readline(100) if environ.get("HTTP_X_READ_LINE_FIRST") else b""
    digest.update(first_line)
    total += len(first_line)
    sizes = [1, 7, 65536, 1024 * 1024, 3]
    turn = 0
    while data := body.read(sizes[turn % len(sizes)]):
        digest.update(data)
        total += len(data)
        turn += 1
    answer = f"{total} {digest.hexdigest()} {type(body).__name__}".encode()
    start_response("200 OK", [("Content-Length", str(len(answer)))])
    return [answer]


application = read_bodies_from_socket(_application)

"""The peak-day users' HTTP client against a production-settings server over loopback's plain
HTTP: Secure and __Host- cookies must come back, as a browser sends them to the TLS proxy that
the load stands in for (requests alone keeps them off plain http)."""

from __future__ import annotations

import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench" / "peakday"))

from client import send_cookies_as_over_https  # noqa: E402


@pytest.fixture
def secure_cookie_server():
    """Sets a Secure __Host- cookie on /set; /echo answers with the Cookie header it got."""

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (http.server's name)
            body = self.headers.get("Cookie", "").encode() if self.path == "/echo" else b""
            self.send_response(200)
            if self.path == "/set":
                self.send_header("Set-Cookie", "__Host-sessionid=abc; Secure; HttpOnly; Path=/")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _session(base_url: str) -> requests.Session:
    """What locust's HttpSession is (a requests.Session with a base URL); locust itself is not
    imported here: its gevent patching belongs to a locust process, not the test run."""
    session = requests.Session()
    session.base = base_url
    return session


def test_secure_cookies_are_sent_back_over_the_loopback(secure_cookie_server):
    session = _session(secure_cookie_server)
    send_cookies_as_over_https(session)
    session.get(f"{session.base}/set")
    assert session.get(f"{session.base}/echo").text == "__Host-sessionid=abc"


def test_without_it_requests_keeps_them_to_itself(secure_cookie_server):
    # What the fix is for: the cookie is stored, but never sent over plain http.
    session = _session(secure_cookie_server)
    session.get(f"{session.base}/set")
    assert "__Host-sessionid" in session.cookies
    assert session.get(f"{session.base}/echo").text == ""

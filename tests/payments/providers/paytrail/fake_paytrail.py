"""A small Paytrail on loopback for the tests: it speaks Payment API v2 as documented (signed
requests and responses, POST /payments, GET /payments/{id}, signed redirect and callback
parameters) and keeps its transactions in memory. Not a mock: a real HTTP server in a thread."""

from __future__ import annotations

import datetime
import json
import secrets
import threading
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from payments.providers.base import SignatureInvalid
from payments.providers.paytrail.signing import compute_signature, verify_signature

MERCHANT_ID = "375917"
SECRET = "SAIPPUAKAUPPIAS"


@dataclass
class Transaction:
    transaction_id: str
    body: dict
    status: str = "new"
    callbacks_sent: list = field(default_factory=list)


class FakePaytrail:
    def __init__(self, *, merchant_id=MERCHANT_ID, secret=SECRET, algorithm="sha256"):
        self.merchant_id, self.secret, self.algorithm = merchant_id, secret, algorithm
        self.transactions: dict[str, Transaction] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.tamper_responses = False
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet test output
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                fake._handle(self, "POST")

            def do_GET(self):  # noqa: N802
                fake._handle(self, "GET")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    # The API -----------------------------------------------------------------------------------

    def _reply(self, handler, status: int, data: dict | None, transaction_id: str = ""):
        body = json.dumps(data, separators=(",", ":")).encode() if data is not None else b""
        headers = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": self.algorithm,
            "checkout-nonce": secrets.token_hex(8),
            "checkout-timestamp": datetime.datetime.now(datetime.UTC).isoformat(),
            "checkout-request-id": str(uuid.uuid4()),
        }
        if transaction_id:
            headers["checkout-transaction-id"] = transaction_id
        headers["signature"] = compute_signature(self.secret, headers, body, self.algorithm)
        if self.tamper_responses:
            # A man in the middle sending the applicant elsewhere.
            body = body.replace(b"/pay/", b"/evil/")
        handler.send_response(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("content-type", "application/json; charset=utf-8")
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler, method: str):
        length = int(handler.headers.get("content-length") or 0)
        raw = handler.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in handler.headers.items()}
        try:
            if headers.get("checkout-account") != self.merchant_id:
                raise SignatureInvalid("unknown merchant")
            if headers.get("checkout-method") != method:
                raise SignatureInvalid("method header does not match")
            verify_signature(self.secret, headers, headers.get("signature"), raw)
        except SignatureInvalid:
            self.requests.append((method, handler.path, 401))
            return self._reply(handler, 401, {"status": "error", "message": "Invalid signature"})
        path = urllib.parse.urlsplit(handler.path).path
        if method == "POST" and path == "/payments":
            body = json.loads(raw)
            transaction_id = str(uuid.uuid4())
            self.transactions[transaction_id] = Transaction(transaction_id, body)
            self.requests.append((method, path, 201))
            return self._reply(
                handler,
                201,
                {
                    "transactionId": transaction_id,
                    "href": f"{self.base_url}/pay/{transaction_id}",
                    "reference": body["reference"],
                    "terms": "",
                    "groups": [],
                    "providers": [],
                },
                transaction_id,
            )
        if method == "GET" and path.startswith("/payments/"):
            transaction = self.transactions.get(path.removeprefix("/payments/"))
            if transaction is None:
                self.requests.append((method, path, 404))
                return self._reply(handler, 404, {"status": "error", "message": "Not found"})
            self.requests.append((method, path, 200))
            body = transaction.body
            return self._reply(
                handler,
                200,
                {
                    "id": transaction.transaction_id,
                    "status": transaction.status,
                    "amount": body["amount"],
                    "currency": body["currency"],
                    "stamp": body["stamp"],
                    "reference": body["reference"],
                    "createdAt": "2026-11-30T10:00:00.000Z",
                },
                transaction.transaction_id,
            )
        self.requests.append((method, path, 404))
        return self._reply(handler, 404, {"status": "error"})

    # What a paying customer and Paytrail's callback do ------------------------------------------

    def signed_result(self, transaction_id: str, status: str, **overrides) -> dict[str, str]:
        """The checkout-* parameters Paytrail adds to the redirect and callback addresses."""
        transaction = self.transactions[transaction_id]
        params = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": self.algorithm,
            "checkout-amount": str(transaction.body["amount"]),
            "checkout-stamp": transaction.body["stamp"],
            "checkout-reference": transaction.body["reference"],
            "checkout-transaction-id": transaction_id,
            "checkout-status": status,
            "checkout-provider": "nordea",
            **overrides,
        }
        params["signature"] = compute_signature(self.secret, params, b"", self.algorithm)
        return params

    def pay(self, transaction_id: str, status: str = "ok") -> dict[str, str]:
        self.transactions[transaction_id].status = status
        return self.signed_result(transaction_id, status)

    def result_url(self, transaction_id: str, status: str, *, which: str, callback: bool) -> str:
        """The full address Paytrail would call: redirect or callback, success or cancel."""
        body = self.transactions[transaction_id].body
        urls = body["callbackUrls" if callback else "redirectUrls"]
        query = urllib.parse.urlencode(self.signed_result(transaction_id, status))
        return f"{urls[which]}?{query}"

    def send_callback(self, transaction_id: str, status: str, which: str = "success") -> int:
        """Deliver the callback over HTTP as Paytrail does (GET); returns the HTTP status."""
        url = self.result_url(transaction_id, status, which=which, callback=True)
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback)
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        self.transactions[transaction_id].callbacks_sent.append((status, code))
        return code

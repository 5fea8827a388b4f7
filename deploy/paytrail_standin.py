"""A stand-in for Paytrail on loopback: it speaks Payment API v2 as documented (signed requests and
responses; POST /payments, GET /payments/{id}, POST /payments/{id}/refund), serves the payment
page a paying person's browser is sent to (/pay/{id}), and answers as Paytrail does: a signed
redirect of the browser back to the merchant and a signed server-to-server callback.

One copy serves the tests (tests/payments/providers/paytrail), the benchmarks and `make cluster`
(`--payments standin`, the default), so that the platform's real Paytrail provider, signatures and
all, runs everywhere; only the bank behind it is missing. Transactions are kept in memory.

    standin = PaytrailStandIn(secret="...").start()
    # PAYTRAIL_BASE_URL=standin.base_url, PAYTRAIL_MERCHANT_ID=standin.merchant_id, ...
    standin.stop()

Loopback only: it listens on 127.0.0.1 and delivers callbacks only to a loopback address. Request
bodies over MAX_BODY_BYTES are refused (413) unread.

Behind a TLS proxy, as `make cluster` runs: production refuses a payment page that is not https,
and redirects plain-http requests to https. `page_base_url` names the pages as a proxy in front
would publish them (https://127.0.0.1:PORT); a client on this machine plays that proxy, as it does
for the cluster. `deliver_to` is where the callbacks really go (the web server's plain-http
address): each is sent with the Host of its public address and `X-Forwarded-Proto: https`.
"""

from __future__ import annotations

import datetime
import html
import json
import logging
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from payments.providers.base import SignatureInvalid
from payments.providers.paytrail.signing import compute_signature, verify_signature

logger = logging.getLogger(__name__)

# Paytrail's documented test merchant; the secret is the stand-in's own unless one is given.
MERCHANT_ID = "375917"
SECRET = "SAIPPUAKAUPPIAS"  # noqa: S105 (Paytrail's published test secret)
MAX_BODY_BYTES = 64 * 1024
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
# Where Paytrail's callbacks come from, as the web server's rate limits and audit log see it.
CALLBACK_CLIENT_ADDRESS = "192.0.2.10"
CALLBACK_ATTEMPTS = 3


@dataclass
class Transaction:
    transaction_id: str
    body: dict
    status: str = "new"
    callbacks_sent: list = field(default_factory=list)


class BodyTooLarge(Exception):
    pass


def signed_checkout_parameters(
    *,
    secret: str,
    merchant_id: str,
    amount: int | str,
    stamp: str,
    reference: str,
    transaction_id: str,
    status: str,
    algorithm: str = "sha256",
    **overrides: str,
) -> dict[str, str]:
    """The checkout-* parameters, signed, that Paytrail adds to a redirect or callback address
    (also what the callback benchmark sends without a stand-in in between)."""
    params = {
        "checkout-account": merchant_id,
        "checkout-algorithm": algorithm,
        "checkout-amount": str(amount),
        "checkout-stamp": stamp,
        "checkout-reference": reference,
        "checkout-transaction-id": transaction_id,
        "checkout-status": status,
        "checkout-provider": "nordea",
        **overrides,
    }
    params["signature"] = compute_signature(secret, params, b"", algorithm)
    return params


class PaytrailStandIn:
    def __init__(
        self,
        *,
        merchant_id: str = MERCHANT_ID,
        secret: str = SECRET,
        algorithm: str = "sha256",
        port: int = 0,
        page_base_url: str | None = None,
        deliver_to: str | None = None,
        callback_delay: float | None = 0.2,
        accept_refunds: bool = True,
    ):
        self.merchant_id, self.secret, self.algorithm = merchant_id, secret, algorithm
        self.transactions: dict[str, Transaction] = {}
        self.requests: list[tuple[str, str, int]] = []
        self.refunds: list[tuple[str, dict]] = []
        self.tamper_responses = False
        self.callback_delay = callback_delay
        self.accept_refunds = accept_refunds
        self.deliver_to = deliver_to.rstrip("/") if deliver_to else None
        self.lock = threading.Lock()
        self._callback_threads: list[threading.Thread] = []
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet: the caller's log is its own
                pass

            def do_POST(self):  # noqa: N802 (http.server's name)
                standin._handle(self, "POST")

            def do_GET(self):  # noqa: N802
                standin._handle(self, "GET")

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.page_base_url = (page_base_url or self.base_url).rstrip("/")
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> PaytrailStandIn:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        for thread in list(self._callback_threads):
            thread.join(timeout=15)

    def __enter__(self) -> PaytrailStandIn:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # HTTP --------------------------------------------------------------------------------------

    def _read_body(self, handler) -> bytes:
        try:
            length = int(handler.headers.get("content-length") or 0)
        except ValueError:
            length = MAX_BODY_BYTES + 1
        if length > MAX_BODY_BYTES or length < 0:
            raise BodyTooLarge
        return handler.rfile.read(length) if length else b""

    def _reply(self, handler, status: int, data: dict | None, transaction_id: str = ""):
        """A signed JSON answer, as Paytrail's API gives."""
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
            # A man in the middle sending the applicant elsewhere (the tests' attacker).
            body = body.replace(b"/pay/", b"/evil/")
        self._send(handler, status, body, "application/json; charset=utf-8", headers)

    @staticmethod
    def _send(handler, status: int, body: bytes, content_type: str, headers=None) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("content-type", content_type)
        handler.send_header("content-length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.requests.append((method, path, status))

    def _handle(self, handler, method: str) -> None:
        path = urllib.parse.urlsplit(handler.path).path
        try:
            raw = self._read_body(handler)
        except BodyTooLarge:
            self._record(method, path, 413)
            handler.close_connection = True
            return self._send(handler, 413, b"request body too large", "text/plain")
        if path.startswith("/pay/"):
            return self._payment_page(handler, method, path.removeprefix("/pay/"), raw)
        headers = {key.lower(): value for key, value in handler.headers.items()}
        try:
            if headers.get("checkout-account") != self.merchant_id:
                raise SignatureInvalid("unknown merchant")
            if headers.get("checkout-method") != method:
                raise SignatureInvalid("method header does not match")
            verify_signature(self.secret, headers, headers.get("signature"), raw)
        except SignatureInvalid:
            self._record(method, path, 401)
            return self._reply(handler, 401, {"status": "error", "message": "Invalid signature"})
        if method == "POST" and path == "/payments":
            return self._create(handler, raw)
        if method == "POST" and path.startswith("/payments/") and path.endswith("/refund"):
            return self._refund(handler, path, raw)
        if method == "GET" and path.startswith("/payments/"):
            return self._status(handler, path)
        self._record(method, path, 404)
        return self._reply(handler, 404, {"status": "error"})

    # The API -----------------------------------------------------------------------------------

    def _create(self, handler, raw: bytes) -> None:
        try:
            body = json.loads(raw)
            body["reference"], body["amount"], body["stamp"]  # noqa: B018 (required fields)
        except (ValueError, TypeError, KeyError):
            self._record("POST", "/payments", 400)
            return self._reply(handler, 400, {"status": "error", "message": "Invalid body"})
        transaction_id = str(uuid.uuid4())
        with self.lock:
            self.transactions[transaction_id] = Transaction(transaction_id, body)
        self._record("POST", "/payments", 201)
        return self._reply(
            handler,
            201,
            {
                "transactionId": transaction_id,
                "href": f"{self.page_base_url}/pay/{transaction_id}",
                "reference": body["reference"],
                "terms": "",
                "groups": [],
                "providers": [],
            },
            transaction_id,
        )

    def _status(self, handler, path: str) -> None:
        transaction = self.transactions.get(path.removeprefix("/payments/"))
        if transaction is None:
            self._record("GET", path, 404)
            return self._reply(handler, 404, {"status": "error", "message": "Not found"})
        self._record("GET", path, 200)
        body = transaction.body
        return self._reply(
            handler,
            200,
            {
                "id": transaction.transaction_id,
                "status": transaction.status,
                "amount": body["amount"],
                "currency": body.get("currency", "EUR"),
                "stamp": body["stamp"],
                "reference": body["reference"],
                "createdAt": "2026-11-30T10:00:00.000Z",
            },
            transaction.transaction_id,
        )

    def _refund(self, handler, path: str, raw: bytes) -> None:
        transaction_id = path.removeprefix("/payments/").removesuffix("/refund")
        if not self.accept_refunds or transaction_id not in self.transactions:
            self._record("POST", path, 404)
            return self._reply(handler, 404, {"status": "error", "message": "Not found"})
        try:
            body = json.loads(raw)
        except ValueError:
            self._record("POST", path, 400)
            return self._reply(handler, 400, {"status": "error", "message": "Invalid body"})
        refund_id = str(uuid.uuid4())
        with self.lock:
            self.refunds.append((path, body))
        self._record("POST", path, 201)
        return self._reply(
            handler,
            201,
            {"transactionId": refund_id, "provider": "nordea", "status": "ok"},
            refund_id,
        )

    # The payment page ----------------------------------------------------------------------------

    def _payment_page(self, handler, method: str, transaction_id: str, raw: bytes) -> None:
        transaction = self.transactions.get(transaction_id)
        path = f"/pay/{transaction_id}"
        if transaction is None:
            self._record(method, path, 404)
            return self._send(handler, 404, b"no such payment", "text/plain")
        if method == "GET":
            self._record(method, path, 200)
            return self._send(handler, 200, self._page(transaction), "text/html; charset=utf-8")
        form = urllib.parse.parse_qs(raw.decode("utf-8", "replace"))
        status = (form.get("status") or [""])[0]
        if status not in ("ok", "fail"):
            self._record(method, path, 400)
            return self._send(handler, 400, b"choose ok or fail", "text/plain")
        params = self.pay(transaction_id, status)
        which = "success" if status == "ok" else "cancel"
        if self.callback_delay is not None:
            self._callback_later(transaction_id, status, which)
        location = transaction.body["redirectUrls"][which]
        self._record(method, path, 303)
        handler.send_response(303)
        handler.send_header("location", f"{location}?{urllib.parse.urlencode(params)}")
        handler.send_header("content-length", "0")
        handler.end_headers()

    def _page(self, transaction: Transaction) -> bytes:
        body = transaction.body
        action = html.escape(f"{self.page_base_url}/pay/{transaction.transaction_id}")
        amount = int(body["amount"]) / 100
        return (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Paytrail (stand-in)</title></head><body>"
            f"<h1>Pay {amount:.2f} {html.escape(str(body.get('currency', 'EUR')))}</h1>"
            f"<p>Reference {html.escape(str(body['reference']))}</p>"
            f"<form method='post' action='{action}'>"
            "<button name='status' value='ok'>Pay</button>"
            "<button name='status' value='fail'>Cancel</button>"
            "</form></body></html>"
        ).encode()

    # What a paying customer and Paytrail's callback do ------------------------------------------

    def signed_result(self, transaction_id: str, status: str, **overrides) -> dict[str, str]:
        """The checkout-* parameters Paytrail adds to the redirect and callback addresses."""
        body = self.transactions[transaction_id].body
        return signed_checkout_parameters(
            secret=self.secret,
            merchant_id=self.merchant_id,
            algorithm=self.algorithm,
            amount=body["amount"],
            stamp=body["stamp"],
            reference=body["reference"],
            transaction_id=transaction_id,
            status=status,
            **overrides,
        )

    def pay(self, transaction_id: str, status: str = "ok") -> dict[str, str]:
        """The person paid (or gave up): the transaction's status, and the signed parameters."""
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
        public = urllib.parse.urlsplit(url)
        if public.hostname not in LOOPBACK_HOSTS:
            raise ValueError(f"the stand-in calls back only to loopback, not {public.hostname}")
        headers = {}
        if self.deliver_to:
            headers = {
                "Host": public.netloc,
                "X-Forwarded-Proto": public.scheme,
                "X-Forwarded-For": CALLBACK_CLIENT_ADDRESS,
            }
            url = self.deliver_to + urllib.parse.urlunsplit(public._replace(scheme="", netloc=""))
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback, checked)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        except OSError:
            code = 0
        with self.lock:
            self.transactions[transaction_id].callbacks_sent.append((status, code))
        return code

    def _callback_later(self, transaction_id: str, status: str, which: str) -> None:
        """Paytrail calls back on its own, shortly after the payment, whatever the browser does;
        it tries again when the merchant does not answer 200."""

        def deliver():
            time.sleep(self.callback_delay)
            for attempt in range(CALLBACK_ATTEMPTS):
                if self.send_callback(transaction_id, status, which) == 200:
                    return
                time.sleep(1 + attempt)
            logger.warning("paytrail stand-in: callback of %s not accepted", transaction_id)

        thread = threading.Thread(target=deliver, daemon=True)
        self._callback_threads = [t for t in self._callback_threads if t.is_alive()] + [thread]
        thread.start()

    def callbacks_delivered(self) -> dict[int, int]:
        """HTTP statuses of every callback sent so far, with counts."""
        counts: dict[int, int] = {}
        with self.lock:
            for transaction in self.transactions.values():
                for _status, code in transaction.callbacks_sent:
                    counts[code] = counts.get(code, 0) + 1
        return counts

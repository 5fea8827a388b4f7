"""The Paytrail stand-in (deploy.paytrail_standin) as a paying person and the merchant's server
meet it: its payment page, the signed redirect back, the callback it sends by itself through a
TLS proxy's address, and the requests it refuses. Real HTTP on loopback throughout."""

from __future__ import annotations

import threading
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from deploy.paytrail_standin import MAX_BODY_BYTES, MERCHANT_ID, SECRET, PaytrailStandIn
from payments.providers.paytrail.client import PaytrailClient
from payments.providers.paytrail.signing import verify_signature


class Merchant:
    """The merchant's web server behind its TLS proxy: records each callback it receives."""

    def __init__(self):
        self.received: list[dict] = []
        self.arrived = threading.Event()
        merchant = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):  # noqa: N802 (http.server's name)
                merchant.received.append(
                    {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}}
                )
                self.send_response(200)
                self.send_header("content-length", "0")
                self.end_headers()
                merchant.arrived.set()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def merchant():
    server = Merchant()
    yield server
    server.stop()


def _create(standin: PaytrailStandIn) -> dict:
    client = PaytrailClient(base_url=standin.base_url, merchant_id=MERCHANT_ID, secret=SECRET)
    public = "https://localhost:8443"
    return client.create_payment(
        {
            "stamp": "stamp-1",
            "reference": "1232",
            "amount": 48000,
            "currency": "EUR",
            "language": "FI",
            "customer": {"email": "person@example.org"},
            "redirectUrls": {
                "success": f"{public}/payments/return/paytrail/success/",
                "cancel": f"{public}/payments/return/paytrail/cancel/",
            },
            "callbackUrls": {
                "success": f"{public}/payments/callback/paytrail/success/",
                "cancel": f"{public}/payments/callback/paytrail/cancel/",
            },
        }
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post_form(url: str, data: dict) -> tuple[int, str]:
    opener = urllib.request.build_opener(_NoRedirect)
    data = urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=data)  # noqa: S310 (loopback)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers.get("location", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("location", "")


def test_paying_on_its_page_redirects_signed_and_calls_back_through_the_proxy(merchant):
    with PaytrailStandIn(
        page_base_url="https://127.0.0.1:9", deliver_to=merchant.address, callback_delay=0
    ) as standin:
        created = _create(standin)
        transaction_id = created["transactionId"]
        # The page is published at the proxy's https address; the stand-in serves it over http.
        assert created["href"] == f"https://127.0.0.1:9/pay/{transaction_id}"
        with urllib.request.urlopen(f"{standin.base_url}/pay/{transaction_id}") as page:  # noqa: S310
            html = page.read().decode()
        assert "480.00 EUR" in html and f"https://127.0.0.1:9/pay/{transaction_id}" in html
        status, location = _post_form(f"{standin.base_url}/pay/{transaction_id}", {"status": "ok"})
        assert merchant.arrived.wait(10)
    assert status == 303
    target = urllib.parse.urlsplit(location)
    assert f"{target.scheme}://{target.netloc}{target.path}" == (
        "https://localhost:8443/payments/return/paytrail/success/"
    )
    params = dict(urllib.parse.parse_qsl(target.query))
    verify_signature(SECRET, params, params["signature"])
    assert (params["checkout-status"], params["checkout-transaction-id"]) == ("ok", transaction_id)
    (callback,) = merchant.received
    assert callback["path"].startswith("/payments/callback/paytrail/success/?")
    assert callback["headers"]["host"] == "localhost:8443"
    assert callback["headers"]["x-forwarded-proto"] == "https"
    callback_params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callback["path"]).query))
    verify_signature(SECRET, callback_params, callback_params["signature"])
    assert standin.transactions[transaction_id].status == "ok"
    assert standin.callbacks_delivered() == {200: 1}


def test_giving_up_on_its_page_returns_to_the_cancel_address(merchant):
    with PaytrailStandIn(deliver_to=merchant.address, callback_delay=0) as standin:
        transaction_id = _create(standin)["transactionId"]
        status, location = _post_form(
            f"{standin.base_url}/pay/{transaction_id}", {"status": "fail"}
        )
        assert merchant.arrived.wait(10)
    assert status == 303 and "/payments/return/paytrail/cancel/?" in location
    assert merchant.received[0]["path"].startswith("/payments/callback/paytrail/cancel/?")


def test_it_refuses_large_bodies_unsigned_requests_and_callbacks_beyond_loopback():
    with PaytrailStandIn() as standin:
        too_large = b"x" * (MAX_BODY_BYTES + 1)
        url = f"{standin.base_url}/payments"
        request = urllib.request.Request(url, data=too_large, method="POST")  # noqa: S310
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=10)  # noqa: S310
        assert refused.value.code == 413
        with pytest.raises(urllib.error.HTTPError) as unsigned:
            urllib.request.urlopen(f"{standin.base_url}/payments/x", timeout=10)  # noqa: S310
        assert unsigned.value.code == 401
        transaction_id = _create(standin)["transactionId"]
        standin.transactions[transaction_id].body["callbackUrls"]["success"] = (
            "https://merchant.example/payments/callback/paytrail/success/"
        )
        with pytest.raises(ValueError, match="loopback"):
            standin.send_callback(transaction_id, "ok")

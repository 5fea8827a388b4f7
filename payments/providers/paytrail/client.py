"""A small client of Paytrail's Payment API v2: create a payment, get its status.

Built on urllib from the standard library: requests is in the lock only as a development tool's
dependency, and two signed calls need nothing more. Every request is signed and every response's
signature is checked before its body is believed.
"""

from __future__ import annotations

import datetime
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from payments.providers.base import ProviderUnavailable, SignatureInvalid
from payments.providers.paytrail.signing import compute_signature, verify_signature

MAX_RESPONSE_BYTES = 256 * 1024


class PaytrailError(ProviderUnavailable):
    """Paytrail refused the request or answered something we cannot use."""


@dataclass(frozen=True)
class PaytrailClient:
    base_url: str
    merchant_id: str
    secret: str
    algorithm: str = "sha256"
    timeout: float = 10.0
    platform_name: str = "PermitSafe"

    def _headers(self, method: str, transaction_id: str | None = None) -> dict[str, str]:
        now = datetime.datetime.now(datetime.UTC)
        headers = {
            "checkout-account": self.merchant_id,
            "checkout-algorithm": self.algorithm,
            "checkout-method": method,
            "checkout-nonce": secrets.token_hex(16),
            "checkout-timestamp": now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        }
        if transaction_id:
            headers["checkout-transaction-id"] = transaction_id
        return headers

    def request(
        self, method: str, path: str, body: dict[str, Any] | None = None, transaction_id=None
    ) -> dict[str, Any]:
        # Compact JSON: the signature covers the exact bytes sent.
        body_text = "" if body is None else json.dumps(body, separators=(",", ":"))
        headers = self._headers(method, transaction_id)
        headers["signature"] = compute_signature(self.secret, headers, body_text, self.algorithm)
        headers["content-type"] = "application/json; charset=utf-8"
        headers["platform-name"] = self.platform_name
        url = self.base_url.rstrip("/") + path
        if not url.startswith(("https://", "http://")):
            raise PaytrailError("PAYTRAIL_BASE_URL must be an http(s) address")
        request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
            url, data=body_text.encode() if body is not None else None, method=method
        )
        for key, value in headers.items():
            request.add_header(key, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status = response.status
                response_headers = {key.lower(): value for key, value in response.headers.items()}
                raw = response.read(MAX_RESPONSE_BYTES + 1)
        except urllib.error.HTTPError as error:
            raise PaytrailError(
                f"Paytrail answered HTTP {error.code} to {method} {path}"
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise ProviderUnavailable(f"Paytrail could not be reached: {error}") from error
        if len(raw) > MAX_RESPONSE_BYTES:
            raise PaytrailError("Paytrail's answer is too long")
        try:
            verify_signature(self.secret, response_headers, response_headers.get("signature"), raw)
        except SignatureInvalid as error:
            raise PaytrailError(f"Paytrail's answer is not signed: {error}") from error
        if status not in (200, 201):
            raise PaytrailError(f"Paytrail answered HTTP {status} to {method} {path}")
        try:
            data = json.loads(raw)
        except ValueError as error:
            raise PaytrailError("Paytrail's answer is not JSON") from error
        if not isinstance(data, dict):
            raise PaytrailError("Paytrail's answer is not a JSON object")
        return data

    def create_payment(self, body: dict[str, Any]) -> dict[str, Any]:
        return self.request("POST", "/payments", body)

    def get_payment(self, transaction_id: str) -> dict[str, Any]:
        quoted = urllib.parse.quote(transaction_id, safe="")
        return self.request("GET", f"/payments/{quoted}", transaction_id=transaction_id)

    def refund_payment(self, transaction_id: str, body: dict[str, Any]) -> dict[str, Any]:
        quoted = urllib.parse.quote(transaction_id, safe="")
        return self.request(
            "POST", f"/payments/{quoted}/refund", body, transaction_id=transaction_id
        )

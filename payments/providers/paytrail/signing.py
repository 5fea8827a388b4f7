"""Paytrail Payment API v2 signatures (HMAC over the checkout-* headers or parameters and the body).

The payload is every `checkout-` header (or query parameter), lower-cased and sorted, as
`key:value` lines, then the body, joined by newlines; redirects and callbacks sign their query
parameters with an empty body. The embedded test provider signs the same way with its own secret,
so both go through this one verification.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping

from payments.providers.base import SignatureInvalid

ALGORITHMS = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}
PREFIX = "checkout-"
# Bounds on what an adversary may send before anything is computed.
MAX_PARAMETERS = 40
MAX_VALUE_LENGTH = 512
MAX_SIGNATURE_LENGTH = 128  # sha512 in hex


def checkout_parameters(params: Mapping[str, str]) -> dict[str, str]:
    """The checkout-* entries, keys lower-cased (filtered by the prefix, not a fixed list)."""
    return {key.lower(): value for key, value in params.items() if key.lower().startswith(PREFIX)}


def signature_payload(params: Mapping[str, str], body: bytes | str = b"") -> bytes:
    checkout = checkout_parameters(params)
    lines = [f"{key}:{checkout[key]}".encode() for key in sorted(checkout)]
    lines.append(body.encode() if isinstance(body, str) else body)
    return b"\n".join(lines)


def compute_signature(
    secret: str, params: Mapping[str, str], body: bytes | str = b"", algorithm: str = "sha256"
) -> str:
    try:
        digest = ALGORITHMS[algorithm]
    except KeyError as error:
        raise SignatureInvalid(f"unsupported algorithm {algorithm[:16]!r}") from error
    return hmac.new(secret.encode(), signature_payload(params, body), digest).hexdigest()


def verify_signature(
    secret: str, params: Mapping[str, str], signature: str | None, body: bytes | str = b""
) -> None:
    """Raise SignatureInvalid unless `signature` is the HMAC named by checkout-algorithm."""
    if not signature or len(signature) > MAX_SIGNATURE_LENGTH:
        raise SignatureInvalid("missing or oversized signature")
    checkout = checkout_parameters(params)
    if len(checkout) > MAX_PARAMETERS or any(
        len(value) > MAX_VALUE_LENGTH for value in checkout.values()
    ):
        raise SignatureInvalid("too many or too long checkout parameters")
    algorithm = checkout.get("checkout-algorithm", "")
    expected = compute_signature(secret, checkout, body, algorithm)
    # Constant time: the comparison must not tell a forger how many characters were right.
    if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
        raise SignatureInvalid("signature does not match")


def single_valued(query) -> dict[str, str]:
    """A request's query parameters as one value each; a repeated checkout-* or signature
    parameter is refused, since which copy was signed would be a guess."""
    values: dict[str, str] = {}
    for key in query:
        items = query.getlist(key) if hasattr(query, "getlist") else [query[key]]
        lowered = key.lower()
        if len(items) != 1 and (lowered.startswith(PREFIX) or lowered == "signature"):
            raise SignatureInvalid("a signed parameter is repeated")
        values[key] = items[-1]
    return values

"""Paytrail's HMAC signatures: the worked example of its documentation, sha512, redirect and
callback parameters filtered by prefix, tampering and malformed input refused."""

import hashlib
import hmac

import pytest
from django.http import QueryDict

from payments.providers.base import SignatureInvalid
from payments.providers.paytrail.signing import (
    compute_signature,
    signature_payload,
    single_valued,
    verify_signature,
)

HEADERS = {
    "checkout-account": "375917",
    "checkout-algorithm": "sha256",
    "checkout-method": "POST",
    "checkout-nonce": "564635208570151",
    "checkout-timestamp": "2018-07-06T10:01:31.904Z",
}
BODY = (
    '{"stamp":"unique-identifier-for-merchant","reference":"3759170","amount":1525,'
    '"currency":"EUR","language":"FI","items":[{"unitPrice":1525,"units":1,"vatPercentage":25.5,'
    '"productCode":"#1234","deliveryDate":"2018-09-01"}],"customer":{"email":"test.customer@example.com"},'
    '"redirectUrls":{"success":"https://ecom.example.com/cart/success","cancel":"https://ecom.example.com/cart/cancel"}}'
)
DOCUMENTED = "9a4a7735279de4c99268e4566a5526ae887e73e6e58f2918cb2309ccac366129"


def test_the_documented_example_signs_to_the_documented_value():
    assert compute_signature("SAIPPUAKAUPPIAS", HEADERS, BODY) == DOCUMENTED
    verify_signature("SAIPPUAKAUPPIAS", HEADERS, DOCUMENTED, BODY)


def test_header_names_are_lower_cased_and_sorted_whatever_their_order():
    shuffled = {key.upper(): HEADERS[key] for key in reversed(list(HEADERS))}
    assert compute_signature("SAIPPUAKAUPPIAS", shuffled, BODY) == DOCUMENTED


def test_sha512_is_honoured_as_checkout_algorithm_says():
    headers = {**HEADERS, "checkout-algorithm": "sha512"}
    payload = "\n".join(f"{key}:{headers[key]}" for key in sorted(headers)) + "\n" + BODY
    expected = hmac.new(b"SAIPPUAKAUPPIAS", payload.encode(), hashlib.sha512).hexdigest()
    assert compute_signature("SAIPPUAKAUPPIAS", headers, BODY, "sha512") == expected
    verify_signature("SAIPPUAKAUPPIAS", headers, expected, BODY)
    with pytest.raises(SignatureInvalid):
        # The same bytes signed with sha256 do not pass as sha512.
        verify_signature(
            "SAIPPUAKAUPPIAS", headers, compute_signature("SAIPPUAKAUPPIAS", headers, BODY), BODY
        )


def _redirect_params():
    params = {
        "checkout-account": "375917",
        "checkout-algorithm": "sha256",
        "checkout-amount": "2964",
        "checkout-stamp": "15336332710015",
        "checkout-reference": "192387192837195",
        "checkout-transaction-id": "4b300af6-9a22-11e8-9184-abb6de7fd2d0",
        "checkout-status": "ok",
        "checkout-provider": "nordea",
    }
    params["signature"] = compute_signature("SAIPPUAKAUPPIAS", params)
    return params


def test_redirect_parameters_are_signed_with_an_empty_body_and_other_parameters_ignored():
    params = _redirect_params()
    payload = signature_payload(params)
    assert payload.endswith(b"checkout-transaction-id:4b300af6-9a22-11e8-9184-abb6de7fd2d0\n")
    assert b"signature" not in payload
    verify_signature("SAIPPUAKAUPPIAS", {**params, "utm_source": "x"}, params["signature"])


def test_a_parameter_the_code_does_not_know_is_still_signed():
    params = _redirect_params()
    with pytest.raises(SignatureInvalid):
        verify_signature("SAIPPUAKAUPPIAS", {**params, "checkout-extra": "1"}, params["signature"])


@pytest.mark.parametrize(
    ("key", "value"),
    [("checkout-status", "fail"), ("checkout-amount", "1"), ("checkout-stamp", "other")],
)
def test_a_tampered_value_is_refused(key, value):
    params = _redirect_params()
    with pytest.raises(SignatureInvalid):
        verify_signature("SAIPPUAKAUPPIAS", {**params, key: value}, params["signature"])


def test_another_secret_an_unknown_algorithm_and_a_missing_or_huge_signature_are_refused():
    params = _redirect_params()
    with pytest.raises(SignatureInvalid):
        verify_signature("another secret", params, params["signature"])
    with pytest.raises(SignatureInvalid):
        verify_signature(
            "SAIPPUAKAUPPIAS", {**params, "checkout-algorithm": "md5"}, params["signature"]
        )
    with pytest.raises(SignatureInvalid):
        verify_signature("SAIPPUAKAUPPIAS", params, None)
    with pytest.raises(SignatureInvalid):
        verify_signature("SAIPPUAKAUPPIAS", params, "a" * 10_000)


def test_signatures_are_compared_in_constant_time(monkeypatch):
    """A plain == stops at the first wrong character, telling a forger by its timing how much of
    a guess was right. A timing measurement would be noise here: a spy (standing in for nothing,
    it calls the real function) shows that every comparison goes through hmac.compare_digest."""
    compared = []
    real_compare_digest = hmac.compare_digest

    def spy_compare_digest(a, b):
        compared.append((a, b))
        return real_compare_digest(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy_compare_digest)
    params = _redirect_params()
    verify_signature("SAIPPUAKAUPPIAS", params, params["signature"])
    with pytest.raises(SignatureInvalid):
        verify_signature("SAIPPUAKAUPPIAS", params, "0" * 64)
    assert [b for _a, b in compared] == [params["signature"].encode(), b"0" * 64]


def test_a_repeated_signed_parameter_is_refused():
    query = QueryDict("checkout-status=ok&checkout-status=fail&utm=1&utm=2")
    with pytest.raises(SignatureInvalid):
        single_valued(query)
    assert single_valued(QueryDict("checkout-status=ok&utm=1&utm=2"))["checkout-status"] == "ok"

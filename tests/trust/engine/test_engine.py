"""The engine as a whole: the contract's result shape, size limit, URLs, the verdict policy."""

from __future__ import annotations

import json

import pytest

from trust.engine import Finding, MessageTooLarge
from trust.engine.verdict import decide


def test_the_result_is_json_able_and_shaped_as_the_contract_says(engine):
    result = engine.check_text("Renew at https://migri-fi.com now", "sms", "+358401234567")
    data = json.loads(json.dumps(result.to_dict()))
    assert set(data) == {"verdict", "findings", "indicators", "verification_codes"}
    assert set(data["indicators"]) == {"domains", "urls", "email_addresses", "phone_numbers"}
    assert all(set(f) == {"code", "severity", "evidence"} for f in data["findings"])
    assert data["indicators"]["phone_numbers"] == ["+358401234567"]


def test_input_over_the_limit_raises_before_parsing(make_engine):
    engine = make_engine(max_message_bytes=1000)
    with pytest.raises(MessageTooLarge):
        engine.check_email(b"x" * 1001)
    with pytest.raises(MessageTooLarge):
        engine.check_text("x" * 1001)


@pytest.mark.parametrize(
    "url, verdict, code",
    [
        ("https://migri.fi/en/home", "genuine", "url_official"),
        ("www.enterfinland.fi", "genuine", "url_official"),
        ("https://poliisi.fi/", "genuine", "url_other_official"),
        ("https://migri-fi.com/login", "scam", "link_lookalike"),
        ("http://185.1.2.3/", "suspicious", "link_ip_address"),
        ("https://bit.ly/x", "unverified", "link_shortener"),
        ("https://example.org/", "unverified", "url_unknown"),
        ("not a url at all", "unverified", "url_invalid"),
    ],
)
def test_web_addresses_are_checked(engine, url, verdict, code):
    result = engine.check_url(url)
    assert result.verdict == verdict
    assert result.has(code)


def test_an_unknown_channel_is_refused(engine):
    with pytest.raises(ValueError):
        engine.check_text("hello", "fax")


def test_one_conclusive_high_finding_makes_a_scam():
    assert decide([Finding("link_lookalike", "high", {})])[0] == "scam"


def test_a_medium_finding_makes_a_message_suspicious():
    assert decide([Finding("link_shortener", "medium", {})])[0] == "suspicious"


def test_info_and_a_single_low_finding_leave_it_unverified():
    findings = [Finding("dkim_missing", "info", {}), Finding("urgency", "low", {})]
    assert decide(findings)[0] == "unverified"


def test_proof_makes_genuine_only_without_high_findings():
    proof = Finding("dkim_valid_official", "proof", {"domain": "migri.fi"})
    assert decide([proof])[0] == "genuine"
    assert decide([proof, Finding("link_lookalike", "high", {})])[0] != "genuine"


def test_an_unknown_severity_is_refused():
    with pytest.raises(ValueError):
        Finding("x", "critical", {})

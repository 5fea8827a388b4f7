"""SPF and DMARC read from Authentication-Results: only the topmost or a trusted receiver counts."""

from __future__ import annotations

from .helpers import email, severity

TOP_FAIL = "Authentication-Results: mx.example.com; spf=fail smtp.mailfrom=x; dmarc=fail\r\n"
FORGED_PASS = "Authentication-Results: mx.migri.fi; spf=pass; dkim=pass; dmarc=pass\r\n"


def test_the_topmost_dmarc_fail_counts(engine):
    raw = email("Hello.", sender="noreply@migri.fi", headers=TOP_FAIL + FORGED_PASS)
    result = engine.check_email(raw)
    assert severity(result, "dmarc_fail") == "high"
    assert result.has("authentication_results_ignored")
    assert result.verdict == "scam"


def test_a_pass_written_below_the_top_is_ignored(engine):
    top = "Authentication-Results: mx.example.com; none\r\n"
    result = engine.check_email(
        email("Hello.", sender="noreply@migri.fi", headers=top + FORGED_PASS)
    )
    assert not result.has("dmarc_pass_reported")


def test_a_pass_is_never_proof_on_its_own(engine):
    raw = email("Hello.", sender="noreply@migri.fi", headers=FORGED_PASS)
    result = engine.check_email(raw)
    assert result.has("dmarc_pass_reported")
    assert result.verdict == "unverified"


def test_configured_trusted_receivers_are_read_wherever_they_are(make_engine):
    engine = make_engine(trusted_authserv_ids=("mx.trusted.example",))
    top = "Authentication-Results: mx.other.example; dmarc=pass\r\n"
    lower = "Authentication-Results: mx.trusted.example; spf=softfail; dmarc=fail\r\n"
    result = engine.check_email(email("Hi.", sender="noreply@migri.fi", headers=top + lower))
    assert result.has("dmarc_fail")
    assert not result.has("dmarc_pass_reported")

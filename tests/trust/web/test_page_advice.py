"""page_advice (written once per language, verdict and profile) gives what advice_for_page(advice())
gives for every verdict, with and without an unconfirmed code of ours, in every language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.utils import translation

from trust.engine import CheckResult, Finding
from trust.views.common import advice, advice_for_page, page_advice

VERDICTS = ("genuine", "scam", "suspicious", "unverified")


def _result(verdict: str, unconfirmed_code: bool) -> CheckResult:
    findings = [Finding("urgency", "low", {"text": "now"})]
    if unconfirmed_code:
        findings.append(Finding("verification_code_ours_unconfirmed", "info", {"code": "X"}))
    return CheckResult(verdict=verdict, findings=findings)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
@pytest.mark.parametrize("verdict", VERDICTS)
@pytest.mark.parametrize("unconfirmed_code", [False, True])
def test_the_advice_written_once_is_the_advice_written_each_time(
    language, verdict, unconfirmed_code
):
    result = _result(verdict, unconfirmed_code)
    with translation.override(language):
        expected = advice_for_page(advice(result))
        assert page_advice(result) == expected
        assert page_advice(result) == expected  # from the written copy
        # A caller that changes its list changes no later page's advice.
        page_advice(result)[0]["text"] = "changed"
        assert page_advice(result) == expected


def test_each_language_and_verdict_gets_its_own_advice():
    written = set()
    for language in ("fi", "sv", "en"):
        with translation.override(language):
            for verdict in VERDICTS:
                for code in (False, True):
                    written.add(json.dumps(page_advice(_result(verdict, code))))
    # Per language: genuine (a code changes nothing there), scam or suspicious (which share their
    # advice) and unverified, each with and without the code.
    assert len(written) == 3 * (1 + 2 + 2)


def test_another_profile_gets_its_own_advice(settings, tmp_path):
    result = _result("unverified", False)  # its advice names the e-service's address
    with translation.override("en"):
        before = page_advice(result)
        profile = json.loads(Path(settings.AUTHORITY_PROFILE).read_text(encoding="utf-8"))
        profile["eservice_address"] = "other-eservice.example"
        path = tmp_path / "other.json"
        path.write_text(json.dumps(profile), encoding="utf-8")
        settings.AUTHORITY_PROFILE = str(path)
        after = page_advice(result)
        assert after == advice_for_page(advice(result))
        assert after != before and "other-eservice.example" in after[0]["text"]

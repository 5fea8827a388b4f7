"""Submitting a report as a committed request does: the grouping task enqueued after commit runs
(the tests' immediate task backend runs it at once)."""

from __future__ import annotations

from django.test import TestCase

from trust.models import Campaign, ScamReport
from trust.services import scam_report_submit

from ..web.helpers import SCAM_TEXT, scam_result


def submit_grouped(**kwargs) -> ScamReport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = scam_report_submit(**kwargs)
    report.refresh_from_db(fields=["campaign", "grouped_at"])
    return report


def sms_campaign() -> Campaign:
    """One campaign of two SMS scam reports naming the same lookalike address."""
    for hours in (24, 48):
        submit_grouped(
            source="web",
            channel="sms",
            content_kind="text",
            content=SCAM_TEXT.replace("24", str(hours)).encode(),
            result=scam_result(email_addresses=("info@migri-fi.com",)),
        )
    return Campaign.objects.get()

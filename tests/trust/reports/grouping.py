"""Submitting a report as a committed request does: the grouping task enqueued after commit runs
(the tests' immediate task backend runs it at once)."""

from __future__ import annotations

from django.test import TestCase

from trust.models import ScamReport
from trust.services import scam_report_submit


def submit_grouped(**kwargs) -> ScamReport:
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = scam_report_submit(**kwargs)
    report.refresh_from_db(fields=["campaign", "grouped_at"])
    return report

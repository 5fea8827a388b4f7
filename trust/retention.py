"""Retention services of the trust center: scam reports and what was kept about their reporters
(see core/retention.py for the pattern). Campaigns and published warnings are public and stay."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from core.retention import delete_in_batches, retention_cutoff
from trust.models import ReporterNotification, ScamReport


def scam_reports_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> dict[str, int]:
    """Reports made more than RETENTION_SCAM_REPORT_DAYS ago: the row holds the evidence (the
    reported message, the check result and the reporter's address, sealed) and its indicator rows
    go with it. The record of which reporter address (a digest) was told about a campaign goes
    after the same period. A campaign keeps its figures; its public warning is unchanged."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_SCAM_REPORT_DAYS)
    return {
        "reports": delete_in_batches(
            ScamReport.objects.filter(created_at__lt=cutoff), batch_size=batch_size
        ),
        "reporter_notifications": delete_in_batches(
            ReporterNotification.objects.filter(created_at__lt=cutoff), batch_size=batch_size
        ),
    }

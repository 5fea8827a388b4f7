"""Background work of the trust center; every task is safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def campaign_notify_reporters(*, campaign_id: int) -> int:
    """Tell each reporter who left an address that their report is part of a published warning."""
    from notifications.services import email_send_templated
    from trust.models import Campaign, ScamReport
    from trust.services import scam_report_reporter_address

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None or not campaign.is_published:
        return 0
    waiting = ScamReport.objects.filter(
        campaign=campaign, reporter_address_sealed__isnull=False, reporter_notified_at__isnull=True
    ).only("id", "public_id", "created_at", "reporter_address_sealed", "reporter_language")
    notified = 0
    for report in waiting:
        # Claimed first so that a task run twice sends nobody the same mail twice.
        claimed = ScamReport.objects.filter(pk=report.pk, reporter_notified_at__isnull=True).update(
            reporter_notified_at=timezone.now()
        )
        if not claimed:
            continue
        address = scam_report_reporter_address(report)
        if not address:
            continue
        language = report.reporter_language or settings.LANGUAGE_CODE
        try:
            email_send_templated(
                to=address,
                template_prefix="trust/email/report_in_warning",
                context={"title": campaign.title(language), "reported_on": report.created_at},
                language=language,
                kind="trust.report_in_warning",
            )
        except Exception as error:
            ScamReport.objects.filter(pk=report.pk).update(reporter_notified_at=None)
            # The error's class only: SMTP errors quote the recipient's address.
            logger.error(
                "notifying the reporter of report %s failed: %s", report.pk, type(error).__name__
            )
            raise
        notified += 1
    return notified


@task()
def scam_reports_regroup() -> int:
    """Group every report not yet in a campaign again (after a change of the grouping rules)."""
    from trust.models import ScamReport
    from trust.services import scam_report_group

    grouped = 0
    for report in ScamReport.objects.filter(campaign__isnull=True).order_by("created_at", "id"):
        grouped += scam_report_group(report=report) is not None
    return grouped


@task()
def rate_limit_counters_prune() -> int:
    from core.ratelimit import rate_limit_prune

    return rate_limit_prune()

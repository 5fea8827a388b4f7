"""Background work of the trust center; every task is safe to run twice."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from core.periodic import periodic

logger = logging.getLogger(__name__)


@task()
def campaign_notify_reporters(*, campaign_id: int) -> int:
    """Tell each reporter who left an address that their report is part of a published warning.

    However many reports (forged or not) name one address, and however often the campaign is
    published, an address gets at most one email per campaign and a few a day in all
    (trust.services.campaigns.reporter_feedback_claim). Each report and each address is claimed
    in the database in the transaction that queues its email, so a retried task sends nothing twice.
    """
    from django.db import transaction

    from notifications.services import email_send_templated
    from trust.models import Campaign, ScamReport
    from trust.selectors import public_warning_of
    from trust.services import scam_report_reporter_address
    from trust.services.campaigns import reporter_feedback_claim

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    warning = public_warning_of(campaign)
    if warning is None:
        return 0
    waiting = ScamReport.objects.filter(
        campaign=campaign, reporter_address_sealed__isnull=False, reporter_notified_at__isnull=True
    ).only("id", "public_id", "created_at", "reporter_address_sealed", "reporter_language")
    notified = held_back = 0
    for report in waiting:
        with transaction.atomic():
            # Claimed first so that a task run twice looks at each report once.
            claimed = ScamReport.objects.filter(
                pk=report.pk, reporter_notified_at__isnull=True
            ).update(reporter_notified_at=timezone.now())
            if not claimed:
                continue
            address = scam_report_reporter_address(report)
            if not address:
                continue
            if not reporter_feedback_claim(campaign=campaign, address=address):
                held_back += 1
                continue
            language = report.reporter_language or settings.LANGUAGE_CODE
            # Queued (notifications.OutboundEmail) and sent after commit, with its own retries.
            email_send_templated(
                to=address,
                template_prefix="trust/email/report_in_warning",
                context={
                    # The title in the reporter's language, or marked as another's (the template).
                    "title": warning.localised("title", language),
                    "reported_on": report.created_at,
                },
                language=language,
                kind="trust.report_in_warning",
            )
        notified += 1
    if held_back:
        # Counts only: which addresses were held back is nobody's business in a log.
        logger.info(
            "campaign %s: %s reporter emails queued, %s held back (already told or daily limit)",
            campaign_id,
            notified,
            held_back,
        )
    return notified


@task()
def scam_report_group_later(*, report_id: int) -> str | None:
    """Group one new report (enqueued after commit by scam_report_submit). Safe to run twice: a
    grouped report stays where it is, and a report deleted meanwhile is skipped. Returns the
    campaign's public id, or None when the report stays ungrouped (so far like no other)."""
    from trust.models import ScamReport
    from trust.services import scam_report_group

    report = ScamReport.objects.filter(pk=report_id).first()
    if report is None:
        return None
    campaign = scam_report_group(report=report)
    return str(campaign.public_id) if campaign is not None else None


@task()
def scam_reports_regroup() -> int:
    """Group every report not yet in a campaign again: a repair tool (after a change of the
    grouping rules, or for reports whose grouping task was lost)."""
    from trust.models import ScamReport
    from trust.services import scam_report_group

    grouped = 0
    for report in ScamReport.objects.filter(campaign__isnull=True).order_by("created_at", "id"):
        grouped += scam_report_group(report=report) is not None
    return grouped


@periodic
@task()
def scam_reports_delete_expired() -> dict[str, int]:
    """Periodic retention: old scam reports and their evidence (see the service)."""
    from trust.retention import scam_reports_delete_expired as delete_expired

    return delete_expired()

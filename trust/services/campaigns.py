"""Campaigns: grouping reports, counting them, publishing a warning and telling the reporters."""

from __future__ import annotations

from datetime import timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from trust.campaigns import distinctive, similar_by_text
from trust.models import Campaign, CampaignStatus, ReportIndicator, ScamReport
from trust.selectors import official_channels

# Only recent reports are compared by text: old campaigns end, and the index is built per report.
TEXT_WINDOW_DAYS = 180
TEXT_CANDIDATE_LIMIT = 20_000
UNGROUPED_VERDICTS = {"genuine"}


def _official_domains() -> list[str]:
    channels = official_channels()
    return [*channels.web_domains, *channels.email_domains, *channels.other_official_web_domains]


def _matching_report_ids(report: ScamReport) -> set[int]:
    rows = distinctive(
        report.indicator_rows.values_list("kind", "value"), official_domains=_official_domains()
    )
    matches: set[int] = set()
    if rows:
        shared = reduce(or_, (Q(kind=kind, value=value) for kind, value in rows))
        matches |= set(
            ReportIndicator.objects.filter(shared)
            .exclude(report_id=report.pk)
            .exclude(report__verdict__in=UNGROUPED_VERDICTS)
            .values_list("report_id", flat=True)
        )
    if report.minhash:
        since = timezone.now() - timedelta(
            days=getattr(settings, "TRUST_CAMPAIGN_TEXT_WINDOW_DAYS", TEXT_WINDOW_DAYS)
        )
        candidates = (
            ScamReport.objects.filter(created_at__gte=since, minhash__isnull=False)
            .exclude(pk=report.pk)
            .exclude(verdict__in=UNGROUPED_VERDICTS)
            .order_by("-created_at")
            .values_list("id", "minhash")[:TEXT_CANDIDATE_LIMIT]
        )
        matches |= similar_by_text(
            bytes(report.minhash), ((pk, bytes(blob)) for pk, blob in candidates)
        )
    return matches


def campaign_refresh_counts(*, campaign: Campaign) -> Campaign:
    numbers = campaign.reports.aggregate(
        count=Count("id"), first=Min("created_at"), last=Max("created_at")
    )
    campaign.report_count = numbers["count"]
    campaign.first_seen = numbers["first"] or campaign.first_seen
    campaign.last_seen = numbers["last"] or campaign.last_seen
    campaign.save(update_fields=["report_count", "first_seen", "last_seen"])
    return campaign


@transaction.atomic
def scam_report_group(*, report: ScamReport) -> Campaign | None:
    """Put the report into the campaign of a similar report, or start one with the similar reports
    that have none. Idempotent: a grouped report stays where it is. A report like no other stays
    ungrouped until a similar one arrives (a campaign is something seen more than once)."""
    report = ScamReport.objects.select_for_update().get(pk=report.pk)
    if report.campaign_id is not None:
        return report.campaign
    now = timezone.now()
    matches = set() if report.verdict in UNGROUPED_VERDICTS else _matching_report_ids(report)
    if not matches:
        ScamReport.objects.filter(pk=report.pk).update(grouped_at=now)
        return None
    matched = list(
        ScamReport.objects.filter(pk__in=matches).only("id", "campaign_id", "created_at")
    )
    campaign_ids = sorted({item.campaign_id for item in matched if item.campaign_id})
    if campaign_ids:
        # The oldest campaign wins; merging campaigns is the security team's decision.
        campaign = Campaign.objects.select_for_update().get(pk=campaign_ids[0])
    else:
        first = min([item.created_at for item in matched] + [report.created_at])
        campaign = Campaign(first_seen=first, last_seen=report.created_at)
        campaign.full_clean()
        campaign.save()
    joining = [report.pk, *(item.id for item in matched if item.campaign_id is None)]
    ScamReport.objects.filter(pk__in=joining, campaign__isnull=True).update(
        campaign=campaign, grouped_at=now
    )
    campaign_refresh_counts(campaign=campaign)
    if campaign.is_published:
        _notify_after_commit(campaign)
    return campaign


def _notify_after_commit(campaign: Campaign) -> None:
    from trust.tasks import campaign_notify_reporters

    campaign_id = campaign.pk
    transaction.on_commit(lambda: campaign_notify_reporters.enqueue(campaign_id=campaign_id))


@transaction.atomic
def campaign_update(*, campaign: Campaign, request=None, **texts: str) -> Campaign:
    """Change the titles and warning texts (title_fi, summary_en, ...)."""
    allowed = {
        f"{prefix}_{language}" for prefix in ("title", "summary") for language in ("fi", "sv", "en")
    }
    for name, value in texts.items():
        if name not in allowed:
            raise TypeError(f"unknown campaign text {name!r}")
        setattr(campaign, name, value.strip())
    campaign.full_clean()
    campaign.save()
    audit_record(action="trust.campaign.updated", request=request, target=campaign)
    return campaign


@transaction.atomic
def campaign_publish(*, campaign: Campaign, request=None) -> Campaign:
    """Show the campaign as a public warning and tell the reporters who left an address."""
    if not (campaign.title_fi or campaign.title_sv or campaign.title_en):
        raise ValidationError(_("Give the warning a title before publishing it."))
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = campaign.published_at or timezone.now()
    campaign.full_clean()
    campaign.save(update_fields=["status", "published_at"])
    audit_record(action="trust.campaign.published", request=request, target=campaign)
    _notify_after_commit(campaign)
    return campaign


@transaction.atomic
def campaign_unpublish(*, campaign: Campaign, request=None) -> Campaign:
    campaign.status = CampaignStatus.DRAFT
    campaign.full_clean()
    campaign.save(update_fields=["status"])
    audit_record(action="trust.campaign.unpublished", request=request, target=campaign)
    return campaign

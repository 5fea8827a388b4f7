"""Campaigns: grouping reports, counting them, publishing a warning and telling the reporters."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from datetime import timedelta
from functools import reduce
from operator import or_

import idna
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.keyed_hashes import keyed_hashes
from core.ratelimit import rate_limit_hit
from trust.models import (
    Campaign,
    CampaignStatus,
    PublishedWarning,
    ReporterNotification,
    ReporterNotificationOutcome,
    ReportIndicator,
    ScamReport,
)
from trust.report_similarity import distinctive, similar_by_text
from trust.selectors import (
    WarningCandidates,
    campaign_warning_candidates,
    latest_warning,
    official_channels,
)

# Only recent reports are compared by text: old campaigns end, and the index is built per report.
TEXT_CANDIDATE_LIMIT = 20_000
UNGROUPED_VERDICTS = {"genuine"}
CAMPAIGN_TEXTS = tuple(
    f"{prefix}_{language}" for prefix in ("title", "summary") for language in ("fi", "sv", "en")
)


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
        since = timezone.now() - timedelta(days=settings.TRUST_CAMPAIGN_TEXT_WINDOW_DAYS)
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
    for name, value in texts.items():
        if name not in CAMPAIGN_TEXTS:
            raise TypeError(f"unknown campaign text {name!r}")
        setattr(campaign, name, value.strip())
    campaign.full_clean()
    # Only the texts: the caller's object may be older than the counts a new report just moved.
    campaign.save(update_fields=list(texts))
    audit_record(action="trust.campaign.updated", request=request, target=campaign)
    return campaign


def _lock(campaign: Campaign) -> None:
    # Publishing twice at once must not interleave; the caller's object is brought up to date.
    Campaign.objects.select_for_update().only("id").get(pk=campaign.pk)
    campaign.refresh_from_db()


def _chosen_indicators(
    candidates: WarningCandidates, indicators: Iterable[tuple[str, str]] | None
) -> list[dict]:
    if indicators is None:
        chosen = candidates.preselected()
    else:
        chosen = list(dict.fromkeys((str(kind), str(value)) for kind, value in indicators))
        refused = [item for item in chosen if item not in candidates.allowed()]
        if refused:
            # Also when the page was open while a report arrived that shows the address or number
            # to be a person's: the team sees the list again without it.
            raise ValidationError(
                _(
                    "Some of the chosen indicators can no longer be published. "
                    "Check the list and publish again."
                )
            )
    return [{"kind": kind, "value": value} for kind, value in chosen]


@transaction.atomic
def campaign_publish(
    *,
    campaign: Campaign,
    indicators: Iterable[tuple[str, str]] | None = None,
    request=None,
) -> PublishedWarning:
    """Publish the campaign's warning as it is now: its texts, its figures and the indicators the
    team chose as (kind, value) pairs (None: the domains and web addresses). The snapshot is what
    the public sees until the team publishes again or withdraws it. Reporters are told after
    commit, each address at most once per campaign."""
    _lock(campaign)
    missing = campaign.missing_required_texts()
    if missing:
        # Finnish and Swedish readers must each get the warning in their own language.
        names = ", ".join(str(Campaign._meta.get_field(name).verbose_name) for name in missing)
        raise ValidationError(
            _(
                "Write the title and the warning text in Finnish and in Swedish before "
                "publishing (English is optional). Missing: %(missing)s."
            )
            % {"missing": names},
            code="texts_missing",
        )
    chosen = _chosen_indicators(campaign_warning_candidates(campaign), indicators)
    user = getattr(request, "user", None)
    warning = PublishedWarning(
        campaign=campaign,
        indicators=chosen,
        first_seen=campaign.first_seen,
        last_seen=campaign.last_seen,
        report_count=campaign.report_count,
        published_by=user if user is not None and user.is_authenticated else None,
        **{name: getattr(campaign, name) for name in CAMPAIGN_TEXTS},
    )
    warning.full_clean()
    warning.save()
    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = campaign.published_at or warning.published_at
    campaign.full_clean()
    campaign.save(update_fields=["status", "published_at"])
    # The number of indicators only: their values may be addresses.
    audit_record(
        action="trust.campaign.published",
        request=request,
        target=campaign,
        details={"warning": warning.pk, "indicators": len(chosen)},
    )
    _notify_after_commit(campaign)
    return warning


@transaction.atomic
def campaign_unpublish(*, campaign: Campaign, request=None) -> Campaign:
    """Withdraw the public warning; the snapshots stay as the record of what was shown."""
    _lock(campaign)
    campaign.status = CampaignStatus.DRAFT
    campaign.full_clean()
    campaign.save(update_fields=["status"])
    latest = latest_warning(campaign)
    audit_record(
        action="trust.campaign.unpublished",
        request=request,
        target=campaign,
        details={
            "warning": latest.pk if latest else None,
            "indicators": len(latest.indicators) if latest else 0,
        },
    )
    return campaign


# Telling reporters: at most one email per address and campaign, and a few per address a day.

FEEDBACK_DAILY_SCOPE = "trust.reporter_feedback.daily"


def feedback_address_key(address: str) -> str:
    """The form of an address under which it is counted: lower case, the domain in IDNA form and
    without a "+tag" (one mailbox behind many tags is still one person to protect)."""
    local, _at, domain = address.strip().lower().rpartition("@")
    # A domain IDNA cannot encode is counted as written.
    with contextlib.suppress(idna.IDNAError):
        domain = idna.encode(domain, uts46=True).decode("ascii")
    return f"{local.split('+', 1)[0]}@{domain}" if local else domain


def reporter_feedback_claim(*, campaign: Campaign, address: str) -> bool:
    """Claim the one email this address may get about this campaign; False when it was claimed
    before or when the address had its emails for the day (settings.TRUST_REPORTER_FEEDBACK_PER_DAY
    across all campaigns). Call inside the transaction that queues the email, so that a failure
    releases the claim and the day's count together."""
    key = feedback_address_key(address)
    # Keyed per campaign: the rows of two campaigns cannot be linked to one address.
    digest, *older = keyed_hashes("trust.reporter_feedback", f"{campaign.public_id}\x00{key}")
    # Rotation: a claim stored under a fallback key still counts. Once that key is dropped, an
    # address may get one more email about a campaign still reported then (nothing else is lost).
    if (
        older
        and ReporterNotification.objects.filter(
            campaign=campaign, address_digest__in=older
        ).exists()
    ):
        return False
    try:
        with transaction.atomic():
            row = ReporterNotification.objects.create(
                campaign=campaign, address_digest=digest, outcome=ReporterNotificationOutcome.SENT
            )
    except IntegrityError:
        return False
    per_day = settings.TRUST_REPORTER_FEEDBACK_PER_DAY
    # A database counter shared by every worker, the key stored only as an HMAC; a UTC day.
    today = rate_limit_hit(
        scope=FEEDBACK_DAILY_SCOPE, key=key, limit=per_day, window_seconds=24 * 60 * 60
    )
    if not today.allowed:
        ReporterNotification.objects.filter(pk=row.pk).update(
            outcome=ReporterNotificationOutcome.OVER_DAILY_LIMIT
        )
        return False
    return True

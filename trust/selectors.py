"""Reads of the trust center: the official-channel registry, campaigns and reports."""

from __future__ import annotations

import functools
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import TruncDate

from core.authority import authority
from core.prepared_queries import PreparedSQL
from core.rows import field_value
from core.sealed_fields import open_field, open_field_text
from trust.models import (
    Campaign,
    CampaignStatus,
    ChannelKind,
    IndicatorKind,
    LocalisedTexts,
    OfficialChannel,
    PublishedWarning,
    ReportIndicator,
    ScamReport,
)
from trust.personal import is_personal, personal_digests, report_personal_identifiers


@dataclass(frozen=True)
class SocialAccount:
    platform: str
    handle: str
    url: str


@dataclass(frozen=True)
class OfficialChannels:
    """The active registry at one moment; what the public page, the JSON and the engine show."""

    web_domains: tuple[str, ...]
    other_official_web_domains: tuple[str, ...]
    email_domains: tuple[str, ...]
    social_media_accounts: tuple[SocialAccount, ...]
    phone_numbers: tuple[str, ...]
    sms_sender_names: tuple[str, ...]

    def to_dict(self) -> dict:
        profile = authority()
        return {
            "authority": {"id": profile.id, "name": dict(profile.names)},
            "web_domains": list(self.web_domains),
            "other_official_web_domains": list(self.other_official_web_domains),
            "email_domains": list(self.email_domains),
            "social_media_accounts": [
                {"platform": account.platform, "handle": account.handle, "url": account.url}
                for account in self.social_media_accounts
            ],
            "phone_numbers": list(self.phone_numbers),
            "sms_sender_names": list(self.sms_sender_names),
        }


def _from_profile() -> OfficialChannels:
    profile = authority()
    return OfficialChannels(
        web_domains=profile.official_web_domains,
        other_official_web_domains=profile.other_official_web_domains,
        email_domains=profile.official_email_domains,
        social_media_accounts=tuple(
            SocialAccount(account.platform, account.handle, account.url)
            for account in profile.social_media_accounts
        ),
        phone_numbers=profile.phone_numbers,
        sms_sender_names=profile.sms_sender_names,
    )


# The registry's columns that the public pages and the engine read, in this order.
_REGISTRY_COLUMNS = ("kind", "value", "platform", "url", "active")


@functools.cache
def _registry_sql(vendor: str) -> str:
    """The registry's SELECT for a database backend (the model's names, quoted for it): built once
    per process, as it depends on nothing but the code."""
    meta = OfficialChannel._meta
    quote = connections[OfficialChannel.objects.db].ops.quote_name

    def columns(names) -> str:
        return ", ".join(quote(meta.get_field(name).column) for name in names)

    return PreparedSQL(
        f"SELECT {columns(_REGISTRY_COLUMNS)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"ORDER BY {columns(meta.ordering)}"
    )


def _registry_rows() -> list[tuple]:
    """(kind, value, platform, url, active) of every row of the registry, in the model's order.

    Hand-written SQL, read fresh on every call (so a change made in any process shows at once):
    the ORM spent about 0.5 ms of CPU compiling this same query and building model instances on
    every check and trust-center page, three times the query itself. The SQL is the ORM's, from
    the model's own table, column and ordering names."""
    database = connections[OfficialChannel.objects.db]
    with database.cursor() as cursor:
        cursor.execute(_registry_sql(database.vendor))
        return cursor.fetchall()


def registry_read() -> tuple[str, list] | None:
    """The registry's read as (sql, params) for a caller that sends it along with a statement of
    its own (core.ratelimit's `along`): the rows are those _registry_rows reads. None when the
    registry is not read from the default database, which such a statement runs on."""
    alias = OfficialChannel.objects.db
    if alias != DEFAULT_DB_ALIAS:
        return None
    return _registry_sql(connections[alias].vendor), []


def official_channels(rows: list[tuple] | None = None) -> OfficialChannels:
    """The active official channels. An empty registry (never seeded) falls back to the profile.
    `rows`: the registry as registry_read() read it in this request, else it is read here."""
    rows = _registry_rows() if rows is None else rows
    if not rows:
        return _from_profile()
    active = [row for row in rows if row[4]]
    social_account = ChannelKind.SOCIAL_ACCOUNT.value

    def values(kind: str) -> tuple[str, ...]:
        return tuple(
            value for row_kind, value, _platform, _url, _active in active if row_kind == kind
        )

    return OfficialChannels(
        web_domains=values(ChannelKind.WEB_DOMAIN.value),
        other_official_web_domains=authority().other_official_web_domains,
        email_domains=values(ChannelKind.EMAIL_DOMAIN.value),
        social_media_accounts=tuple(
            SocialAccount(platform, value, url)
            for kind, value, platform, url, _active in active
            if kind == social_account
        ),
        phone_numbers=values(ChannelKind.PHONE_NUMBER.value),
        sms_sender_names=values(ChannelKind.SMS_SENDER.value),
    )


def official_channel_list() -> QuerySet[OfficialChannel]:
    """Every row of the registry, active or not, for the administrators' page."""
    return OfficialChannel.objects.order_by("kind", "platform", "value")


def authority_names() -> tuple[str, ...]:
    return authority().all_names


def engine_config_kwargs(registry_rows: list[tuple] | None = None) -> dict:
    """Keyword arguments for trust.engine.EngineConfig built from the registry (not the settings
    the engine factory adds: DNS, trusted receiving servers, size limit). `registry_rows`: the
    registry already read in this request (registry_read), else it is read here."""
    from trust.services.verification_checks import verification_code_checker

    channels = official_channels(registry_rows)
    return {
        "official_web_domains": channels.web_domains,
        "other_official_web_domains": channels.other_official_web_domains,
        "official_email_domains": channels.email_domains,
        "authority_names": authority_names(),
        "sms_sender_names": channels.sms_sender_names,
        "social_media_accounts": tuple(
            (account.platform, account.handle) for account in channels.social_media_accounts
        ),
        "phone_numbers": channels.phone_numbers,
        "phone_region": authority().country,
        "verification_code_checker": verification_code_checker,
    }


def report_address() -> str:
    """The address that receives forwarded scam messages (settings.TRUST_REPORT_ADDRESS)."""
    configured = settings.TRUST_REPORT_ADDRESS
    if configured:
        return configured.lower()
    domains = official_channels().email_domains
    return f"report@{domains[0]}" if domains else "report@localhost"


def max_message_bytes() -> int:
    return settings.TRUST_MAX_MESSAGE_BYTES


# Campaigns and reports (the security team's pages).


def _latest_warning_ids():
    return Subquery(
        PublishedWarning.objects.filter(campaign=OuterRef("campaign"))
        .order_by("-published_at", "-id")
        .values("pk")[:1]
    )


def published_warnings() -> QuerySet[PublishedWarning]:
    """What the public sees: the latest snapshot of each campaign that is published now."""
    return (
        PublishedWarning.objects.filter(
            campaign__status=CampaignStatus.PUBLISHED, pk=_latest_warning_ids()
        )
        .select_related("campaign")
        .order_by("-published_at", "-id")
    )


@dataclass(frozen=True)
class WarningHeadline(LocalisedTexts):
    """A public warning as the trust center lists it: its address, its titles and its date."""

    public_id: uuid.UUID
    published_at: datetime
    title_fi: str
    title_sv: str
    title_en: str


@functools.cache
def _headlines_sql(vendor: str) -> str:
    """published_warning_headlines()'s SELECT for a database backend, built once per process."""
    warning, campaign = PublishedWarning._meta, Campaign._meta
    quote = connections[PublishedWarning.objects.db].ops.quote_name

    def column(meta, alias: str, name: str) -> str:
        return f"{alias}.{quote(meta.get_field(name).column)}"

    def snapshot(alias: str, name: str) -> str:
        return column(warning, alias, name)

    newest_first = "{published} DESC, {id} DESC"
    return " ".join(
        [
            f"SELECT {column(campaign, 'c', 'public_id')}, {snapshot('w', 'published_at')},",
            ", ".join(snapshot("w", f"title_{language}") for language in ("fi", "sv", "en")),
            f"FROM {quote(warning.db_table)} w INNER JOIN {quote(campaign.db_table)} c",
            f"ON {column(campaign, 'c', 'id')} = {snapshot('w', 'campaign')}",
            f"WHERE {column(campaign, 'c', 'status')} = %s",
            f"AND {snapshot('w', 'id')} = (SELECT {snapshot('latest', 'id')}",
            f"FROM {quote(warning.db_table)} latest",
            f"WHERE {snapshot('latest', 'campaign')} = {snapshot('w', 'campaign')}",
            "ORDER BY",
            newest_first.format(
                published=snapshot("latest", "published_at"), id=snapshot("latest", "id")
            ),
            "LIMIT 1)",
            "ORDER BY",
            newest_first.format(published=snapshot("w", "published_at"), id=snapshot("w", "id")),
            "LIMIT %s",
        ]
    )


def published_warning_headlines(limit: int = 20) -> list[WarningHeadline]:
    """published_warnings()[:limit] as headlines, newest first: the same rows, read with
    hand-written SQL (the ORM spent about 1 ms of CPU compiling the latest-snapshot subquery on
    every view of the trust center, five times the query itself)."""
    database = connections[PublishedWarning.objects.db]
    sql = _headlines_sql(database.vendor)
    with database.cursor() as cursor:
        cursor.execute(sql, [CampaignStatus.PUBLISHED.value, limit])
        rows = cursor.fetchall()
    return [
        WarningHeadline(
            public_id=field_value(Campaign, "public_id", public_id, database),
            published_at=field_value(PublishedWarning, "published_at", published_at, database),
            title_fi=title_fi,
            title_sv=title_sv,
            title_en=title_en,
        )
        for public_id, published_at, title_fi, title_sv, title_en in rows
    ]


def published_warning(public_id) -> PublishedWarning | None:
    """The public warning of a campaign (by the campaign's public id), None when not public."""
    return published_warnings().filter(campaign__public_id=public_id).first()


def public_warning_of(campaign: Campaign | None) -> PublishedWarning | None:
    if campaign is None or not campaign.is_published:
        return None
    return published_warning(campaign.public_id)


def latest_warning(campaign: Campaign) -> PublishedWarning | None:
    """The last snapshot published, whether or not the campaign is public now (for the team)."""
    return (
        PublishedWarning.objects.filter(campaign=campaign)
        .select_related("published_by")
        .order_by("-published_at", "-id")
        .first()
    )


def campaign_list(*, status: str = "") -> QuerySet[Campaign]:
    campaigns = Campaign.objects.order_by("-last_seen", "-id")
    if status in CampaignStatus.values:
        campaigns = campaigns.filter(status=status)
    return campaigns


def ungrouped_report_count() -> int:
    return ScamReport.objects.filter(campaign__isnull=True).count()


def campaign_reports(campaign: Campaign) -> QuerySet[ScamReport]:
    return ScamReport.objects.filter(campaign=campaign).defer(
        "content_sealed", "result_sealed", "minhash"
    )


def campaign_counts_by_day(campaign: Campaign) -> list[tuple]:
    """(date, number of reports) for each day the campaign was reported, oldest first."""
    rows = (
        ScamReport.objects.filter(campaign=campaign)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(reports=Count("id"))
        .order_by("day")
    )
    return [(row["day"], row["reports"]) for row in rows]


def campaign_indicators(campaign: Campaign) -> dict[str, list[dict]]:
    """Each indicator of the campaign's reports with the number of reports that carry it."""
    counts: Counter = Counter(
        ReportIndicator.objects.filter(report__campaign=campaign).values_list("kind", "value")
    )
    grouped: dict[str, list[dict]] = {
        "domain": [],
        "url": [],
        "email_address": [],
        "phone_number": [],
    }
    for (kind, value), reports in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        grouped.setdefault(kind, []).append({"value": value, "reports": reports})
    return grouped


# Publishing: which indicators the security team may choose.

# Per kind, the most reported indicators offered on the publishing form.
CANDIDATES_PER_KIND = 200
PERSONAL_KINDS = (IndicatorKind.EMAIL_ADDRESS, IndicatorKind.PHONE_NUMBER)
PRESELECTED_KINDS = (IndicatorKind.DOMAIN, IndicatorKind.URL)


@dataclass(frozen=True)
class WarningCandidates:
    """The indicators a warning may show. Addresses and numbers that were ever a person's in the
    campaign (a reporter, a recipient, someone in forwarded text) are not offered at all."""

    by_kind: dict[str, list[dict]]  # kind -> [{"value", "reports", "preselected"}]
    withheld: int  # addresses and numbers left out as people's own
    truncated: bool  # some kinds had more than CANDIDATES_PER_KIND

    def allowed(self) -> set[tuple[str, str]]:
        return {(kind, item["value"]) for kind, items in self.by_kind.items() for item in items}

    def preselected(self) -> list[tuple[str, str]]:
        return [
            (kind, item["value"])
            for kind, items in self.by_kind.items()
            for item in items
            if item["preselected"]
        ]


def _legacy_report_digests(report: ScamReport) -> list[str]:
    # Reports stored before personal digests were kept: read them from the sealed content.
    content = open_field(report, "content_sealed")
    reporter = ""
    if report.reporter_address_sealed:
        reporter = open_field_text(report, "reporter_address_sealed")
    return personal_digests(
        report_personal_identifiers(
            content_kind=report.content_kind, content=content, reporter_address=reporter
        )
    )


def campaign_personal_digests(campaign: Campaign) -> set[str]:
    """Digests of every address and number that was a person's in any report of the campaign."""
    digests: set[str] = set()
    legacy_ids = []
    for report_id, stored in ScamReport.objects.filter(campaign=campaign).values_list(
        "id", "personal_digests"
    ):
        if stored is None:
            legacy_ids.append(report_id)
        else:
            digests.update(stored)
    for report in ScamReport.objects.filter(pk__in=legacy_ids).only(
        "id", "public_id", "content_kind", "content_sealed", "reporter_address_sealed"
    ):
        digests.update(_legacy_report_digests(report))
    return digests


def campaign_warning_candidates(
    campaign: Campaign, *, per_kind: int | None = CANDIDATES_PER_KIND
) -> WarningCandidates:
    """The candidates, each kind's most reported first, at most `per_kind` of a kind (None: all)."""
    indicators = campaign_indicators(campaign)
    personal = campaign_personal_digests(campaign)
    by_kind: dict[str, list[dict]] = {}
    withheld = 0
    truncated = False
    for kind, items in indicators.items():
        kept = []
        for item in items:
            if kind in PERSONAL_KINDS and is_personal(item["value"], personal):
                withheld += 1
                continue
            kept.append({**item, "preselected": kind in PRESELECTED_KINDS})
        if per_kind is not None and len(kept) > per_kind:
            truncated, kept = True, kept[:per_kind]
        by_kind[kind] = kept
    return WarningCandidates(by_kind=by_kind, withheld=withheld, truncated=truncated)

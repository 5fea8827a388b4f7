"""The trust center's reads written as SQL (trust.selectors): the same rows as the ORM's queries,
read fresh on every request, so a change made by any process shows at once; one query each."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.prepared_queries import sends_together
from trust.models import Campaign, CampaignStatus, ChannelKind, OfficialChannel, PublishedWarning
from trust.selectors import (
    official_channels,
    published_warning_headlines,
    published_warnings,
)
from trust.services import official_channels_load_from_profile

from .helpers import SCAM_TEXT

pytestmark = pytest.mark.django_db


def _campaign(status: str, *snapshots: tuple[int, str]) -> Campaign:
    """A campaign with a published snapshot per (minutes ago, English title)."""
    now = timezone.now()
    campaign = Campaign.objects.create(status=status, first_seen=now, last_seen=now)
    for minutes_ago, title in snapshots:
        PublishedWarning.objects.create(
            campaign=campaign,
            title_fi=f"{title} (fi)",
            title_sv=f"{title} (sv)" if "no Swedish" not in title else "",
            title_en=title,
            summary_fi="Varoitus.",
            first_seen=now,
            last_seen=now,
            published_at=now - timedelta(minutes=minutes_ago),
        )
    return campaign


def _listed(warnings) -> list[tuple]:
    return [(w.public_id, w.published_at, w.title_fi, w.title_sv, w.title_en) for w in warnings]


def test_the_headlines_are_the_latest_snapshot_of_each_published_campaign_newest_first():
    republished = _campaign(CampaignStatus.PUBLISHED, (50, "old text"), (5, "new text"))
    _campaign(CampaignStatus.DRAFT, (1, "withdrawn"))
    once = _campaign(CampaignStatus.PUBLISHED, (20, "once, no Swedish"))
    tied = _campaign(CampaignStatus.PUBLISHED, (30, "tie, first"), (30, "tie, second"))

    headlines = published_warning_headlines()

    assert _listed(headlines) == _listed(published_warnings()[:20])
    assert [(h.public_id, h.title_en) for h in headlines] == [
        (republished.public_id, "new text"),
        (once.public_id, "once, no Swedish"),
        (tied.public_id, "tie, second"),
    ]
    assert all(timezone.is_aware(h.published_at) for h in headlines)
    assert _listed(published_warning_headlines(2)) == _listed(published_warnings()[:2])


def test_a_headline_in_a_missing_language_is_shown_in_another_marked_as_such(client):
    campaign = _campaign(CampaignStatus.PUBLISHED, (1, "once, no Swedish"))
    html = client.get("/trust/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert f'href="/trust/warnings/{campaign.public_id}/"' in html
    assert '<span lang="fi">once, no Swedish (fi)</span>' in html


def test_no_published_warning_says_so(client):
    _campaign(CampaignStatus.DRAFT, (1, "withdrawn"))
    assert published_warning_headlines() == []
    assert "There are no current warnings." in client.get("/trust/").content.decode()


def test_the_registry_is_read_as_the_orm_reads_it_and_a_change_shows_at_once(client):
    official_channels_load_from_profile()
    rows = OfficialChannel.objects.filter(active=True)
    channels = official_channels()
    assert channels.web_domains == tuple(
        rows.filter(kind=ChannelKind.WEB_DOMAIN).values_list("value", flat=True)
    )
    assert [(a.platform, a.handle, a.url) for a in channels.social_media_accounts] == list(
        rows.filter(kind=ChannelKind.SOCIAL_ACCOUNT).values_list("platform", "value", "url")
    )
    # As another process would change it: no signal, no service in this process.
    first = channels.email_domains[0]
    OfficialChannel.objects.filter(kind=ChannelKind.EMAIL_DOMAIN, value=first).update(active=False)
    OfficialChannel.objects.create(kind=ChannelKind.EMAIL_DOMAIN, value="added.example")
    html = client.get("/trust/channels/").content.decode()
    assert "<strong>@added.example</strong>" in html and f"<strong>@{first}</strong>" not in html
    assert "added.example" in official_channels().email_domains


def test_an_empty_registry_falls_back_to_the_profile():
    OfficialChannel.objects.all().delete()
    assert official_channels().web_domains  # the profile's


@pytest.mark.parametrize(
    ("method", "path", "data", "queries"),
    [
        # the registry and the warnings
        ("get", "/trust/", None, 2),
        # the registry
        ("get", "/trust/channels/", None, 1),
        # the registry (the report address)
        ("get", "/trust/report/", None, 1),
        # the rate limit's counter and the registry (the engine's configuration), in one execute
        # where the database takes several statements (sends_together), else one each
        (
            "post",
            "/trust/check/",
            {"mode": "text", "text-text": SCAM_TEXT, "text-channel": "sms"},
            "1 or 2",
        ),
    ],
)
def test_a_trust_page_reads_the_database_once_per_thing_it_shows(
    client, method, path, data, queries
):
    official_channels_load_from_profile()
    _campaign(CampaignStatus.PUBLISHED, (1, "a warning"))
    getattr(client, method)(path, data)
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(path, data)
    assert response.status_code == 200
    if queries == "1 or 2":
        queries = 1 if sends_together() else 2
    assert len(captured.captured_queries) == queries, captured.captured_queries

"""A warning is published in Finnish and Swedish (English optional); a reader whose language has
no text sees another language's text marked with its `lang` and a visible note, never silently."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from trust.models import Campaign, CampaignStatus, PublishedWarning
from trust.services import campaign_publish, campaign_update

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped
from .texts import FINNISH_AND_SWEDISH

pytestmark = pytest.mark.django_db

LANGS = ("fi", "sv", "en")


@pytest.fixture
def campaign() -> Campaign:
    for text in (SCAM_TEXT, SCAM_TEXT.replace("24 hours", "2 days")):
        submit_grouped(
            source="web",
            channel="email",
            content_kind="text",
            content=text.encode(),
            result=scam_result(domains=("migri-fi.com",)),
        )
    return Campaign.objects.get()


def _page(client, campaign, language: str) -> str:
    response = client.get(f"/trust/warnings/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("missing", ["title_sv", "summary_sv", "title_fi", "summary_fi"])
def test_a_warning_without_its_finnish_or_swedish_text_is_not_published(campaign, missing):
    texts = {**FINNISH_AND_SWEDISH, missing: "", "title_en": "Fake", "summary_en": "Fake."}
    campaign_update(campaign=campaign, **texts)
    with pytest.raises(ValidationError) as refused:
        campaign_publish(campaign=campaign)
    assert refused.value.code == "texts_missing"
    field = Campaign._meta.get_field(missing)
    assert str(field.verbose_name) in refused.value.messages[0]
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT
    assert not PublishedWarning.objects.exists()


def test_english_is_optional(campaign):
    campaign_update(campaign=campaign, **FINNISH_AND_SWEDISH)
    warning = campaign_publish(campaign=campaign)
    assert warning.title_en == "" and warning.title_sv == FINNISH_AND_SWEDISH["title_sv"]


def test_the_team_page_says_what_is_missing(administrator_client, campaign):
    campaign_update(campaign=campaign, title_fi="Huijaus", summary_fi="Viesti.", title_en="Scam")
    response = administrator_client.post(
        f"/trust/campaigns/{campaign.public_id}/publish/", follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "Missing: title in Swedish, warning text in Swedish." in html
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_swedish_readers_get_the_swedish_text_unmarked(client, campaign):
    campaign_update(campaign=campaign, **FINNISH_AND_SWEDISH)
    campaign_publish(campaign=campaign)
    html = _page(client, campaign, "sv")
    assert FINNISH_AND_SWEDISH["title_sv"] in html and FINNISH_AND_SWEDISH["summary_sv"] in html
    assert FINNISH_AND_SWEDISH["title_fi"] not in html
    assert "language-note" not in html


def test_english_readers_get_the_finnish_text_marked_when_there_is_no_english(client, campaign):
    campaign_update(campaign=campaign, **FINNISH_AND_SWEDISH)
    campaign_publish(campaign=campaign)
    html = _page(client, campaign, "en")
    assert f'<span lang="fi">{FINNISH_AND_SWEDISH["title_fi"]}</span>' in html
    assert f'<p lang="fi">{FINNISH_AND_SWEDISH["summary_fi"]}</p>' in html
    assert "This warning has not been written in English. It is shown in Finnish." in html
    front = client.get("/trust/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f'<span lang="fi">{FINNISH_AND_SWEDISH["title_fi"]}</span>' in front
    assert "(in Finnish)" in front


def test_a_warning_published_before_swedish_was_required_is_marked_for_swedish_readers(
    client, campaign
):
    # Published under the old rule: English only (written directly, as the old service did).
    campaign.status = CampaignStatus.PUBLISHED
    campaign.save(update_fields=["status"])
    PublishedWarning.objects.create(
        campaign=campaign,
        title_en="Fake residence permit emails",
        summary_en="They ask for your passport number.",
        first_seen=campaign.first_seen,
        last_seen=campaign.last_seen,
        published_at=timezone.now(),
    )
    html = _page(client, campaign, "sv")
    assert '<span lang="en">Fake residence permit emails</span>' in html
    assert '<p lang="en">They ask for your passport number.</p>' in html
    assert 'class="notice language-note"' in html
    front = client.get("/trust/", HTTP_ACCEPT_LANGUAGE="sv").content.decode()
    assert '<span lang="en">Fake residence permit emails</span>' in front


def test_the_campaign_page_lists_the_texts_still_to_write(administrator_client, campaign):
    campaign_update(campaign=campaign, title_fi="Huijaus", summary_fi="Viesti.")
    html = administrator_client.get(
        f"/trust/campaigns/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Still to write: title in Swedish, warning text in Swedish" in html


def test_the_texts_form_calls_only_english_optional(administrator_client, campaign):
    """A draft may be saved without its Finnish and Swedish texts, but they are not "optional":
    the form says that publishing needs them (it called all six optional)."""
    html = administrator_client.get(
        f"/trust/campaigns/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    labels = dict(re.findall(r'<label for="id_(title_\w\w|summary_\w\w)">(.*?)</label>', html))
    assert set(labels) == {f"{kind}_{code}" for kind in ("title", "summary") for code in LANGS}
    optional = {name for name, label in labels.items() if "(optional)" in label}
    assert optional == {"title_en", "summary_en"}
    for name in ("title_fi", "title_sv", "summary_fi", "summary_sv"):
        assert re.search(
            rf'id="id_{name}_helptext">Needed before the warning can be published.</p>', html
        ), name

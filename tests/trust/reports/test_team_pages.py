import json
import re

import pytest

from audit.models import AuditEvent
from trust.models import Campaign, CampaignStatus, ScamReport

from .grouping import sms_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    return sms_campaign()


def _team_urls(campaign):
    report = ScamReport.objects.first()
    return [
        "/trust/campaigns/",
        f"/trust/campaigns/{campaign.public_id}/",
        f"/trust/campaigns/{campaign.public_id}/indicators.json",
        f"/trust/campaigns/{campaign.public_id}/stix.json",
        f"/trust/campaigns/reports/{report.public_id}/evidence/",
        "/trust/channels/manage/",
    ]


def test_applicants_are_refused_every_security_team_page(applicant_client, campaign):
    for url in _team_urls(campaign):
        assert applicant_client.get(url).status_code == 403, url
    response = applicant_client.post(f"/trust/campaigns/{campaign.public_id}/publish/")
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.DRAFT


def test_caseworkers_are_refused_the_security_team_pages(client, caseworker, campaign):
    from tests.conftest import sign_in_with_second_factor

    sign_in_with_second_factor(client, caseworker)
    assert client.get("/trust/campaigns/").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, campaign):
    for url in _team_urls(campaign):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/" in response["Location"], url


def test_the_team_sees_campaigns_with_counts_and_indicators(administrator_client, campaign):
    listing = administrator_client.get("/trust/campaigns/")
    assert listing.status_code == 200
    assert f"/trust/campaigns/{campaign.public_id}/" in listing.content.decode()
    detail = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/")
    html = detail.content.decode()
    assert detail.status_code == 200
    assert "info@migri-fi.com" in html and "migri-fi.com" in html
    assert AuditEvent.objects.filter(action="trust.campaign.viewed").exists()


def test_the_team_names_and_publishes_a_campaign(administrator_client, campaign):
    url = f"/trust/campaigns/{campaign.public_id}/"
    texts = {
        "title_fi": "Väärennetyt oleskelulupaviestit",
        "title_sv": "Falska meddelanden",
        "title_en": "Fake residence permit messages",
        "summary_fi": "Viesteissä kysytään passin numeroa.",
        "summary_sv": "Meddelandena frågar efter passnummer.",
        "summary_en": "Messages ask for passport numbers.",
    }
    assert administrator_client.post(url, texts).status_code == 302
    assert administrator_client.post(url + "publish/").status_code == 302
    campaign.refresh_from_db()
    assert campaign.is_published
    assert AuditEvent.objects.filter(action="trust.campaign.published").exists()
    assert administrator_client.post(url + "unpublish/").status_code == 302
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_publishing_without_a_title_shows_an_error(administrator_client, campaign):
    response = administrator_client.post(
        f"/trust/campaigns/{campaign.public_id}/publish/", follow=True
    )
    assert "title" in response.content.decode()
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_exports_are_audited_and_well_formed(administrator_client, campaign):
    exported = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/indicators.json")
    data = json.loads(exported.content)
    assert data["campaign"]["report_count"] == 2
    assert {"value": "info@migri-fi.com", "reports": 2} in data["indicators"]["email_address"]
    stix = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/stix.json")
    assert stix["Content-Type"].startswith("application/stix+json")
    assert json.loads(stix.content)["type"] == "bundle"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"trust.campaign.exported_json", "trust.campaign.exported_stix"} <= actions


def test_the_team_downloads_evidence_and_the_download_is_audited(administrator_client, campaign):
    report = ScamReport.objects.first()
    response = administrator_client.get(f"/trust/campaigns/reports/{report.public_id}/evidence/")
    assert response.status_code == 200
    assert b"passport number" in response.content
    event = AuditEvent.objects.get(action="trust.report.evidence_downloaded")
    assert event.details == {"by": "security_team"} and event.object_id == str(report.pk)


def test_the_team_can_start_grouping_again(
    administrator_client, campaign, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = administrator_client.post("/trust/campaigns/regroup/")
    assert response.status_code == 302
    assert Campaign.objects.count() == 1


def _visible_text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return " ".join(re.sub(r"<[^>]+>", " ", main).split())


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_team_pages_show_names_not_codes(administrator_client, campaign, language):
    """The campaign list and page showed "suspicious", "sms", "email_address": every verdict,
    channel, source, indicator kind and status is shown by its translated name."""
    codes = re.compile(r"\b(scam|suspicious|sms|email_address|phone_number|domain|draft)\b")
    for url in ("/trust/campaigns/", f"/trust/campaigns/{campaign.public_id}/"):
        response = administrator_client.get(url, HTTP_ACCEPT_LANGUAGE=language)
        text = _visible_text(response.content.decode())
        assert codes.findall(text) == [], (url, text)

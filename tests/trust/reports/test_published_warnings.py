"""Public warnings are reviewed snapshots; people's own addresses and numbers are never published."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from audit.models import AuditEvent
from trust.models import Campaign, PublishedWarning, ScamReport
from trust.selectors import campaign_warning_candidates
from trust.services import (
    campaign_publish,
    campaign_unpublish,
    campaign_update,
)

from ..web.helpers import SCAM_TEXT, scam_result, small_eml
from .grouping import submit_grouped
from .texts import publishable

pytestmark = pytest.mark.django_db

RESULT = scam_result(
    domains=("migri-fi.com",),
    urls=("https://migri-fi.com/login",),
    email_addresses=("info@migri-fi.com",),
    phone_numbers=("+358400000000",),
)


def _report(text: str, result=RESULT, **extra) -> ScamReport:
    return submit_grouped(
        source="web",
        channel="email",
        content_kind="text",
        content=text.encode(),
        result=result,
        **extra,
    )


@pytest.fixture
def campaign() -> Campaign:
    _report(SCAM_TEXT)
    _report(SCAM_TEXT.replace("24 hours", "2 days"))
    return campaign_update(
        campaign=Campaign.objects.get(),
        **publishable(
            title_en="Fake residence permit emails",
            title_fi="Väärennetyt oleskelulupaviestit",
            summary_en="They ask for your passport number.",
        ),
    )


def _public(client, campaign) -> str:
    """The warning's own part of the public page (the layout around it carries a CSRF token)."""
    response = client.get(f"/trust/warnings/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index("<h1>") : html.index("If you received this message")]


def test_publishing_by_default_shows_only_domains_and_web_addresses(client, campaign):
    warning = campaign_publish(campaign=campaign)
    assert {(item["kind"], item["value"]) for item in warning.indicators} == {
        ("domain", "migri-fi.com"),
        ("url", "https://migri-fi.com/login"),
    }
    html = _public(client, campaign)
    assert "migri-fi.com" in html and "https://migri-fi.com/login" in html
    assert "info@migri-fi.com" not in html and "+358400000000" not in html


def test_the_team_publishes_an_address_only_when_it_ticks_it(client, campaign):
    campaign_publish(
        campaign=campaign,
        indicators=[("domain", "migri-fi.com"), ("email_address", "info@migri-fi.com")],
    )
    html = _public(client, campaign)
    assert "info@migri-fi.com" in html
    assert "https://migri-fi.com/login" not in html and "+358400000000" not in html


def test_reports_joining_later_change_nothing_public_until_published_again(client, campaign):
    campaign_publish(campaign=campaign)
    before = _public(client, campaign)
    later = scam_result(domains=("migri-late.com",), urls=("https://migri-late.com/pay",))
    _report(SCAM_TEXT.replace("24 hours", "5 days"), result=later)
    campaign_update(campaign=campaign, title_en="A new title nobody reviewed")
    campaign.refresh_from_db()
    assert campaign.report_count == 3
    after = _public(client, campaign)
    assert after == before
    assert "migri-late.com" not in after and "A new title nobody reviewed" not in after
    front = client.get("/trust/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fake residence permit emails" in front and "nobody reviewed" not in front

    campaign_publish(campaign=campaign)
    republished = _public(client, campaign)
    assert "migri-late.com" in republished and "A new title nobody reviewed" in republished
    assert PublishedWarning.objects.filter(campaign=campaign).count() == 2


def test_a_snapshot_is_never_changed():
    warning = None
    _report(SCAM_TEXT)
    _report(SCAM_TEXT.replace("24 hours", "2 days"))
    campaign = campaign_update(
        campaign=Campaign.objects.get(), **publishable(title_en="Fake permits")
    )
    warning = campaign_publish(campaign=campaign)
    warning.title_en = "Changed"
    with pytest.raises(ValueError):
        warning.save()


def test_unpublishing_hides_the_warning_and_is_audited_with_counts_only(client, campaign):
    campaign_publish(
        campaign=campaign,
        indicators=[("domain", "migri-fi.com"), ("phone_number", "+358400000000")],
    )
    published = AuditEvent.objects.get(action="trust.campaign.published")
    assert published.details["indicators"] == 2
    assert "migri-fi.com" not in str(published.details)
    assert "+358400000000" not in str(published.details)
    campaign_unpublish(campaign=campaign)
    assert client.get(f"/trust/warnings/{campaign.public_id}/").status_code == 404
    assert f"/trust/warnings/{campaign.public_id}/" not in client.get("/trust/").content.decode()
    unpublished = AuditEvent.objects.get(action="trust.campaign.unpublished")
    assert unpublished.details["indicators"] == 2


def test_an_address_that_was_a_reporter_in_the_campaign_cannot_be_published(campaign):
    # Someone reported with the address that another report shows as if it were the scammer's.
    _report(
        SCAM_TEXT.replace("24 hours", "3 days"),
        result=RESULT,
        reporter_address="Info@Migri-Fi.com",
    )
    candidates = campaign_warning_candidates(campaign)
    assert ("email_address", "info@migri-fi.com") not in candidates.allowed()
    assert candidates.withheld == 1
    with pytest.raises(ValidationError):
        campaign_publish(campaign=campaign, indicators=[("email_address", "info@migri-fi.com")])


def test_a_recipient_of_a_checked_email_in_the_campaign_cannot_be_published(campaign):
    victim = scam_result(domains=("migri-fi.com",), email_addresses=("victim@example.org",))
    _report(SCAM_TEXT.replace("24 hours", "4 days"), result=victim)
    submit_grouped(
        source="web",
        channel="email",
        content_kind="eml",
        content=small_eml(to="Victim <victim@example.org>"),
        result=RESULT,
    )
    assert ("email_address", "victim@example.org") not in (
        campaign_warning_candidates(campaign).allowed()
    )


FORWARDED = """Is this real? I did not apply for anything.

Terveisin
Matti Virtanen
puh. 040 123 4567
matti.virtanen@example.fi

---------- Forwarded message ---------
From: Migri Service <info@migri-fi.com>
Date: Mon, 2 Nov 2026 at 10.00
Subject: Your residence permit
To: Matti Virtanen <matti.virtanen@example.fi>, Liisa <liisa@example.org>

Send your passport number today. Call +358 44 987 6543 or pay at https://migri-fi.com/login
"""

FORWARDED_FI = """Katso tätä.
Anna, puh. 050 555 1234

-----Alkuperäinen viesti-----
Lähettäjä: Pekka Ahonen <pekka.ahonen@example.fi>
Lähetetty: maanantai 2. marraskuuta 2026 10.00
Vastaanottaja: Anna <anna@example.fi>
Kopio: toinen@example.fi
Aihe: VL: Oleskelulupa

Tämä tuli minulle.

Lähettäjä: Migri <info@migri-fi.com>
Lähetetty: maanantai 2. marraskuuta 2026 9.00
Vastaanottaja: Pekka Ahonen <pekka.ahonen@example.fi>
Aihe: Oleskelulupa

Lähetä passinumerosi osoitteeseen https://migri-fi.com/login
"""

FORWARDED_SV = (
    "Från: Migri <info@migri-fi.com> Skickat: den 2 november 2026 Till: Eva <eva@example.se> "
    "Ämne: Uppehållstillstånd\n\nRing 044 987 6543 och betala på https://migri-fi.com/login\n"
)


def _found(text: str, **result_changes) -> set[str]:
    from trust.engine_factory import current_engine

    result = current_engine().check_text(text, channel="email")
    report = _report(text, result=result, **result_changes)
    rows = set(report.indicator_rows.values_list("value", flat=True))
    return (
        rows | set(report.indicators["email_addresses"]) | set(report.indicators["phone_numbers"])
    )


@pytest.mark.parametrize(
    ("text", "people", "scammer"),
    [
        (
            FORWARDED,
            {"matti.virtanen@example.fi", "liisa@example.org", "+358401234567"},
            {"info@migri-fi.com", "+358449876543"},
        ),
        (
            FORWARDED_FI,
            {
                "anna@example.fi",
                "toinen@example.fi",
                "pekka.ahonen@example.fi",
                "+358505551234",
            },
            {"info@migri-fi.com"},
        ),
        (FORWARDED_SV, {"eva@example.se"}, {"info@migri-fi.com", "+358449876543"}),
    ],
)
def test_people_in_forwarded_headers_and_signatures_are_never_indicators(text, people, scammer):
    found = _found(text)
    assert not found & people
    assert scammer <= found


def test_people_in_forwarded_text_are_withheld_from_the_whole_campaign():
    # Two forwards of one scam; the second shows Matti's address as a plain text mention too.
    _report(FORWARDED, result=RESULT)
    mention = scam_result(
        domains=("migri-fi.com",),
        email_addresses=("matti.virtanen@example.fi",),
        phone_numbers=("+358401234567",),
    )
    _report(FORWARDED.replace("Is this real?", "Again:"), result=mention)
    campaign = Campaign.objects.get()
    allowed = campaign_warning_candidates(campaign).allowed()
    assert ("email_address", "matti.virtanen@example.fi") not in allowed
    assert ("phone_number", "+358401234567") not in allowed
    assert ("email_address", "info@migri-fi.com") in allowed


def test_reports_stored_before_digests_existed_are_read_from_their_sealed_content(campaign):
    late = _report(
        SCAM_TEXT.replace("24 hours", "6 days"),
        result=RESULT,
        reporter_address="info@migri-fi.com",
    )
    ScamReport.objects.filter(pk=late.pk).update(personal_digests=None)
    assert ("email_address", "info@migri-fi.com") not in (
        campaign_warning_candidates(campaign).allowed()
    )


# The security team's page.


def test_the_team_page_preselects_domains_and_urls_only(administrator_client, campaign):
    html = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/").content.decode()
    assert 'value="domain:migri-fi.com" checked' in html
    assert 'value="url:https://migri-fi.com/login" checked' in html
    assert 'value="email_address:info@migri-fi.com">' in html
    assert 'value="phone_number:+358400000000">' in html


def test_the_team_publishes_the_ticked_indicators(administrator_client, administrator, campaign):
    url = f"/trust/campaigns/{campaign.public_id}/publish/"
    response = administrator_client.post(
        url, {"indicators": ["domain:migri-fi.com", "phone_number:+358400000000"]}
    )
    assert response.status_code == 302
    warning = PublishedWarning.objects.get()
    assert warning.indicators == [
        {"kind": "domain", "value": "migri-fi.com"},
        {"kind": "phone_number", "value": "+358400000000"},
    ]
    assert warning.published_by == administrator
    assert warning.title_en == "Fake residence permit emails"
    html = _public(Client(), campaign)
    assert "+358400000000" in html and "https://migri-fi.com/login" not in html


def test_an_indicator_that_is_not_offered_cannot_be_published(administrator_client, campaign):
    _report(SCAM_TEXT.replace("24 hours", "3 days"), reporter_address="info@migri-fi.com")
    response = administrator_client.post(
        f"/trust/campaigns/{campaign.public_id}/publish/",
        {"indicators": ["email_address:info@migri-fi.com"]},
        follow=True,
    )
    assert "can no longer be published" in response.content.decode()
    assert not PublishedWarning.objects.exists()
    campaign.refresh_from_db()
    assert not campaign.is_published


def test_the_team_sees_how_many_reports_arrived_since_publishing(administrator_client, campaign):
    campaign_publish(campaign=campaign)
    _report(SCAM_TEXT.replace("24 hours", "8 days"))
    html = administrator_client.get(
        f"/trust/campaigns/{campaign.public_id}/", HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "1 report arrived after the warning was published" in html
    assert "Publish again with these indicators" in html


def test_the_exports_leave_out_peoples_own_addresses(administrator_client, campaign):
    _report(SCAM_TEXT.replace("24 hours", "3 days"), reporter_address="info@migri-fi.com")
    exported = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/indicators.json")
    assert b"info@migri-fi.com" not in exported.content
    stix = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/stix.json")
    assert b"info@migri-fi.com" not in stix.content and b"migri-fi.com" in stix.content


def test_the_report_page_names_the_published_title_not_the_working_copy(
    client, campaign, django_capture_on_commit_callbacks
):
    campaign_publish(campaign=campaign)
    campaign_update(campaign=campaign, title_en="Draft title")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/trust/report/",
            {"mode": "text", "text-text": SCAM_TEXT.replace("24", "96"), "text-channel": "email"},
        )
    html = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Fake residence permit emails" in html and "Draft title" not in html


def test_publishing_again_starts_from_what_was_published(administrator_client, campaign):
    campaign_publish(
        campaign=campaign,
        indicators=[("domain", "migri-fi.com"), ("phone_number", "+358400000000")],
    )
    html = administrator_client.get(f"/trust/campaigns/{campaign.public_id}/").content.decode()
    assert 'value="phone_number:+358400000000" checked' in html
    assert 'value="url:https://migri-fi.com/login" checked' in html
    assert 'value="email_address:info@migri-fi.com">' in html


def test_campaigns_published_before_snapshots_keep_their_page_with_domains_and_urls_only(
    client, campaign
):
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "trust.migrations.0003_published_warnings_and_feedback_limits"
    )
    Campaign.objects.filter(pk=campaign.pk).update(status="published")
    assert client.get(f"/trust/warnings/{campaign.public_id}/").status_code == 404
    migration.snapshot_published_campaigns(apps, None)
    html = _public(client, campaign)
    assert "Fake residence permit emails" in html and "https://migri-fi.com/login" in html
    assert "info@migri-fi.com" not in html and "+358400000000" not in html

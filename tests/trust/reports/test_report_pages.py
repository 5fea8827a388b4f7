import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase

from audit.models import AuditEvent
from trust.models import Campaign, ScamReport
from trust.services import campaign_publish, campaign_update, scam_report_content

from ..web.helpers import SCAM_TEXT, small_eml
from .texts import publishable

pytestmark = pytest.mark.django_db


def _report_text(client, text=SCAM_TEXT, address=""):
    # As a committed request: the grouping task enqueued after commit runs.
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            "/trust/report/",
            {
                "mode": "text",
                "text-text": text,
                "text-channel": "sms",
                "text-reporter_address": address,
            },
        )


def test_a_reporter_sees_the_verdict_at_once(client):
    response = _report_text(client)
    assert response.status_code == 302
    report = ScamReport.objects.get()
    assert response["Location"] == f"/trust/report/{report.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "verdict verdict-" in html and "What to do" in html
    assert report.verdict in {"scam", "suspicious"}


def test_another_browser_cannot_see_the_report(client):
    response = _report_text(client)
    assert Client().get(response["Location"]).status_code == 404


def test_an_uploaded_email_file_is_reported_with_the_recipient_left_out(client):
    upload = SimpleUploadedFile(
        "m.eml", small_eml(to="me@example.org"), content_type="message/rfc822"
    )
    response = client.post("/trust/report/", {"mode": "eml", "eml-eml": upload})
    assert response.status_code == 302
    report = ScamReport.objects.get()
    assert report.content_kind == "eml"
    assert "me@example.org" not in report.indicators["email_addresses"]


def test_the_check_pages_report_button_stores_the_checked_message(client):
    response = client.post(
        "/trust/report/",
        {
            "mode": "text",
            "from_check": "1",
            "text-text": SCAM_TEXT,
            "text-channel": "sms",
            "text-sender": "",
        },
    )
    assert response.status_code == 302
    assert ScamReport.objects.get().source == "check"


def test_a_checked_email_file_is_reported_from_the_check_page_without_uploading_it_again(client):
    upload = SimpleUploadedFile("m.eml", small_eml(), content_type="message/rfc822")
    checked = client.post("/trust/check/", {"mode": "eml", "eml-eml": upload}).content.decode()
    raw_b64 = re.search(r'name="eml-raw_b64" value="([^"]+)"', checked).group(1)
    response = client.post(
        "/trust/report/",
        {"mode": "eml", "from_check": "1", "eml-raw_b64": raw_b64, "eml-reporter_address": ""},
    )
    assert response.status_code == 302
    report = ScamReport.objects.get()
    assert (report.source, report.content_kind) == ("check", "eml")
    assert scam_report_content(report) == small_eml()


def test_an_empty_report_is_refused_and_nothing_is_stored(client):
    response = client.post(
        "/trust/report/", {"mode": "text", "text-text": "", "text-reporter_address": "x@y.fi"}
    )
    assert response.status_code == 400
    assert 'value="x@y.fi"' in response.content.decode()
    assert ScamReport.objects.count() == 0


def test_the_reporter_downloads_the_message_as_evidence_once(client):
    location = _report_text(client)["Location"]
    html = client.get(location).content.decode()
    link = re.search(r'href="(/trust/report/[^"]+/evidence/\?token=[^"]+)"', html).group(1)
    link = link.replace("&amp;", "&")
    download = client.get(link)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download.content == SCAM_TEXT.encode()
    assert AuditEvent.objects.filter(action="trust.report.evidence_downloaded").count() == 1
    assert client.get(link).status_code == 404


def test_the_evidence_link_expires(client, settings):
    settings.TRUST_EVIDENCE_LINK_SECONDS = -1
    location = _report_text(client)["Location"]
    html = client.get(location).content.decode()
    link = re.search(r'href="(/trust/report/[^"]+/evidence/\?token=[^"]+)"', html).group(1)
    assert client.get(link).status_code == 404


def test_a_report_like_earlier_ones_joins_their_campaign_and_shows_a_published_warning(client):
    _report_text(Client(), SCAM_TEXT)
    _report_text(Client(), SCAM_TEXT.replace("24 hours", "3 days"))
    campaign = Campaign.objects.get()
    campaign_update(
        campaign=campaign,
        **publishable(title_en="Fake permit emails", title_fi="Väärennetyt viestit"),
    )
    campaign_publish(campaign=campaign)
    location = _report_text(client, SCAM_TEXT.replace("24 hours", "5 days"))["Location"]
    assert ScamReport.objects.filter(campaign=campaign).count() == 3
    assert "Fake permit emails" in client.get(location, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    front = client.get("/trust/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"/trust/warnings/{campaign.public_id}/" in front
    warning = client.get(f"/trust/warnings/{campaign.public_id}/")
    assert warning.status_code == 200 and "migri-fi.com" in warning.content.decode()


def test_a_draft_campaign_is_not_public(client):
    _report_text(Client(), SCAM_TEXT)
    _report_text(Client(), SCAM_TEXT.replace("24 hours", "3 days"))
    campaign = Campaign.objects.get()
    assert client.get(f"/trust/warnings/{campaign.public_id}/").status_code == 404


def test_publishing_tells_the_reporters_who_left_an_address(
    client, smtp_server, django_capture_on_commit_callbacks
):
    _report_text(Client(), SCAM_TEXT, address="first@example.org")
    _report_text(Client(), SCAM_TEXT.replace("24 hours", "3 days"))
    campaign = Campaign.objects.get()
    campaign_update(campaign=campaign, **publishable(title_en="Fake permit emails"))
    with django_capture_on_commit_callbacks(execute=True):
        campaign_publish(campaign=campaign)
    mails = smtp_server.outbox
    assert [mail.envelope_to for mail in mails] == [["first@example.org"]]
    assert "Fake permit emails" in mails[0].text
    assert "http" not in mails[0].text.lower()
    assert ScamReport.objects.filter(reporter_notified_at__isnull=False).count() == 1
    # Publishing again (or a retried task) tells nobody twice.
    with django_capture_on_commit_callbacks(execute=True):
        campaign_publish(campaign=campaign)
    assert len(smtp_server.outbox) == 1


def test_a_reporter_whose_report_joins_a_published_warning_later_is_told(
    client, smtp_server, django_capture_on_commit_callbacks
):
    _report_text(Client(), SCAM_TEXT)
    _report_text(Client(), SCAM_TEXT.replace("24 hours", "3 days"))
    campaign = Campaign.objects.get()
    campaign_update(campaign=campaign, **publishable(title_en="Fake permit emails"))
    campaign_publish(campaign=campaign)
    with django_capture_on_commit_callbacks(execute=True):
        _report_text(client, SCAM_TEXT.replace("24 hours", "9 days"), address="late@example.org")
    assert [mail.envelope_to for mail in smtp_server.outbox] == [["late@example.org"]]


def test_too_many_reports_answer_429(client, settings):
    settings.RATE_LIMITS = {"trust.report": (1, 3600)}
    _report_text(client)
    response = _report_text(client)
    assert response.status_code == 429
    assert ScamReport.objects.count() == 1

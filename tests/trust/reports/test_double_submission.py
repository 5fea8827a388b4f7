"""The trust center's state-changing forms are safe to submit twice (a double click, a resent
request): the public report form and the security team's campaign and channel forms."""

from __future__ import annotations

import pytest
from django.test import Client

from audit.models import AuditEvent
from tests.submissions import FORM, ROOT, token_from, token_in
from trust.models import OfficialChannel, PublishedWarning, ScamReport

from ..web.helpers import SCAM_TEXT
from .grouping import sms_campaign
from .texts import publishable

pytestmark = pytest.mark.django_db

TEMPLATES = ROOT / "trust" / "templates" / "trust"


@pytest.fixture
def campaign():
    return sms_campaign()


def test_double_clicking_report_makes_one_report():
    reporter = Client()
    data = {
        "mode": "text",
        "text-text": SCAM_TEXT,
        "text-channel": "sms",
        "submission_token": token_from(reporter.get("/trust/report/")),
    }

    first = reporter.post("/trust/report/", data)
    second = reporter.post("/trust/report/", data)

    assert ScamReport.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    page = reporter.get(second["Location"])
    assert page.status_code == 200
    assert "This form has already been sent. Here is the result." in page.content.decode()
    assert AuditEvent.objects.filter(action="trust.report.created").count() == 1


def test_a_report_refused_for_its_input_can_be_corrected_and_sent():
    reporter = Client()
    token = token_from(reporter.get("/trust/report/"))
    refused = reporter.post(
        "/trust/report/",
        {"mode": "text", "text-text": "", "text-channel": "sms", "submission_token": token},
    )
    assert refused.status_code == 400
    sent = reporter.post(
        "/trust/report/",
        {"mode": "text", "text-text": SCAM_TEXT, "text-channel": "sms", "submission_token": token},
    )
    assert sent.status_code == 302
    assert ScamReport.objects.count() == 1


def test_publishing_twice_makes_one_warning(administrator_client, campaign):
    from trust.services import campaign_update

    campaign_update(campaign=campaign, **publishable(title_en="Fake residence permit messages"))
    url = f"/trust/campaigns/{campaign.public_id}/"
    page = administrator_client.get(url)
    publish_form = next(
        form.group(0)
        for form in FORM.finditer(page.content.decode())
        if "/publish/" in form.group(0)
    )
    data = {"submission_token": token_in(publish_form)}

    first = administrator_client.post(url + "publish/", data)
    second = administrator_client.post(url + "publish/", data)

    assert first.status_code == second.status_code == 302
    assert PublishedWarning.objects.filter(campaign=campaign).count() == 1
    assert AuditEvent.objects.filter(action="trust.campaign.published").count() == 1


def test_adding_a_channel_twice_adds_it_once_and_shows_no_error(administrator_client):
    page = administrator_client.get("/trust/channels/manage/")
    add_form = [form.group(0) for form in FORM.finditer(page.content.decode())][-1]
    data = {
        "kind": "web_domain",
        "value": "migri.fi.example",
        "platform": "",
        "url": "",
        "notes": "",
        "submission_token": token_in(add_form),
    }

    first = administrator_client.post("/trust/channels/manage/", data)
    second = administrator_client.post("/trust/channels/manage/", data)

    assert first.status_code == second.status_code == 302  # not the form's "already exists"
    assert OfficialChannel.objects.filter(value="migri.fi.example").count() == 1


def test_the_check_pages_report_button_carries_a_submission_token():
    """The check itself changes nothing; its "report this" form makes a report."""
    text = (TEMPLATES / "check.html").read_text(encoding="utf-8")
    reports = [form for form in FORM.finditer(text) if "trust:report" in form.group(0)]
    assert reports
    for form in reports:
        assert "{% submission_token %}" in form.group(1)

"""Telling reporters: one email per address and campaign, a few per address a day, whatever the
number of reports or publications; counted on a real SMTP server."""

import pytest

from trust.models import Campaign, ReporterNotification, ReporterNotificationOutcome, ScamReport
from trust.services import campaign_publish, campaign_unpublish, campaign_update
from trust.services.campaigns import feedback_address_key
from trust.tasks import campaign_notify_reporters

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped
from .texts import publishable

pytestmark = pytest.mark.django_db

FORGED = "victim@example.org"


def _report(text: str, *, domain: str = "migri-fi.com", reporter: str = "") -> ScamReport:
    return submit_grouped(
        source="email",
        channel="email",
        content_kind="text",
        content=text.encode(),
        result=scam_result(domains=(domain,)),
        reporter_address=reporter,
    )


def _campaign_text(number: int, variant: int) -> str:
    # Texts of different campaigns share no five-word run; variants of one campaign share most.
    words = " ".join(f"w{number}x{index}" for index in range(40))
    return f"{words} variant {variant}"


def _publish(campaign: Campaign, capture) -> None:
    with capture(execute=True):
        campaign_publish(campaign=campaign)


def _titled(campaign: Campaign, title: str) -> Campaign:
    return campaign_update(campaign=campaign, **publishable(title_en=title))


def test_thirty_forged_reports_give_one_email_whatever_the_publications(
    smtp_server, django_capture_on_commit_callbacks
):
    spellings = [FORGED, "Victim@Example.org", " victim+1@example.org", "VICTIM+x@EXAMPLE.ORG"]
    for number in range(30):
        _report(
            SCAM_TEXT.replace("24 hours", f"{number + 1} hours"),
            reporter=spellings[number % len(spellings)],
        )
    campaign = _titled(Campaign.objects.get(), "Fake permit emails")
    assert campaign.report_count == 30
    _publish(campaign, django_capture_on_commit_callbacks)
    _publish(campaign, django_capture_on_commit_callbacks)
    campaign_unpublish(campaign=campaign)
    _publish(campaign, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_notify_reporters.call(campaign_id=campaign.pk)
    delivered = smtp_server.outbox
    assert len(delivered) == 1
    assert delivered[0].envelope_to in ([FORGED], ["Victim@Example.org"])
    assert ReporterNotification.objects.filter(campaign=campaign).count() == 1


def test_reports_joining_a_published_campaign_later_do_not_mail_the_address_again(
    smtp_server, django_capture_on_commit_callbacks
):
    _report(SCAM_TEXT, reporter=FORGED)
    _report(SCAM_TEXT.replace("24 hours", "2 days"))
    campaign = _titled(Campaign.objects.get(), "Fake permit emails")
    _publish(campaign, django_capture_on_commit_callbacks)
    for days in range(3, 13):
        with django_capture_on_commit_callbacks(execute=True):
            _report(SCAM_TEXT.replace("24 hours", f"{days} days"), reporter=FORGED)
    assert ScamReport.objects.filter(campaign=campaign).count() == 12
    assert len(smtp_server.outbox) == 1


def test_an_address_gets_at_most_the_daily_limit_across_campaigns(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    assert settings.TRUST_REPORTER_FEEDBACK_PER_DAY == 3
    campaigns = []
    for number in range(5):
        for variant in range(2):
            _report(
                _campaign_text(number, variant),
                domain=f"scam{number}.example",
                reporter=FORGED,
            )
        campaign = Campaign.objects.order_by("-id").first()
        campaigns.append(_titled(campaign, f"Scam {number}"))
    assert Campaign.objects.count() == 5
    for campaign in campaigns:
        _publish(campaign, django_capture_on_commit_callbacks)
    assert len(smtp_server.outbox) == 3
    held = ReporterNotification.objects.filter(outcome=ReporterNotificationOutcome.OVER_DAILY_LIMIT)
    assert held.count() == 2
    # Publishing them again sends nothing more today.
    for campaign in campaigns:
        _publish(campaign, django_capture_on_commit_callbacks)
    assert len(smtp_server.outbox) == 3


def test_the_daily_limit_is_a_setting(smtp_server, django_capture_on_commit_callbacks, settings):
    settings.TRUST_REPORTER_FEEDBACK_PER_DAY = 1
    for number in range(2):
        for variant in range(2):
            _report(_campaign_text(number, variant), domain=f"s{number}.example", reporter=FORGED)
    for number, campaign in enumerate(Campaign.objects.order_by("id")):
        _publish(_titled(campaign, f"Scam {number}"), django_capture_on_commit_callbacks)
    assert len(smtp_server.outbox) == 1


def test_other_addresses_are_not_held_back_by_one_flooded_address(
    smtp_server, django_capture_on_commit_callbacks
):
    for hours in range(1, 11):
        _report(SCAM_TEXT.replace("24 hours", f"{hours} hours"), reporter=FORGED)
    _report(SCAM_TEXT.replace("24 hours", "99 hours"), reporter="someone@example.net")
    _publish(_titled(Campaign.objects.get(), "Fake permits"), django_capture_on_commit_callbacks)
    assert sorted(mail.envelope_to[0] for mail in smtp_server.outbox) == [
        "someone@example.net",
        FORGED,
    ]


def test_a_failure_while_queuing_releases_the_claims_so_a_retry_sends_once(
    smtp_server, django_capture_on_commit_callbacks, monkeypatch
):
    _report(SCAM_TEXT, reporter=FORGED)
    _report(SCAM_TEXT.replace("24 hours", "2 days"))
    campaign = _titled(Campaign.objects.get(), "Fake permit emails")
    import notifications.services

    real_send = notifications.services.email_send_templated

    def broken(**kwargs):
        raise RuntimeError("template storage unavailable")

    monkeypatch.setattr(notifications.services, "email_send_templated", broken)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_publish(campaign=campaign)  # the task fails (the backend records the failure)
    assert smtp_server.outbox == []
    assert not ReporterNotification.objects.exists()
    assert not ScamReport.objects.filter(reporter_notified_at__isnull=False).exists()
    monkeypatch.setattr(notifications.services, "email_send_templated", real_send)
    for _ in range(2):  # the retry, and a duplicate of it
        with django_capture_on_commit_callbacks(execute=True):
            campaign_notify_reporters.call(campaign_id=campaign.pk)
    assert len(smtp_server.outbox) == 1


def test_only_keyed_digests_of_the_address_are_stored_and_differ_per_campaign(
    smtp_server, django_capture_on_commit_callbacks
):
    for number in range(2):
        for variant in range(2):
            _report(_campaign_text(number, variant), domain=f"d{number}.example", reporter=FORGED)
    for number, campaign in enumerate(Campaign.objects.order_by("id")):
        _publish(_titled(campaign, f"Scam {number}"), django_capture_on_commit_callbacks)
    digests = list(ReporterNotification.objects.values_list("address_digest", flat=True))
    assert len(digests) == 2 and digests[0] != digests[1]
    assert all("victim" not in digest and len(digest) == 64 for digest in digests)


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("Victim@Example.ORG", "victim@example.org"),
        ("victim+news@example.org", "victim@example.org"),
        ("matti@exämple.fi", "matti@xn--exmple-cua.fi"),
    ],
)
def test_addresses_are_counted_in_one_form(address, key):
    assert feedback_address_key(address) == key

import re
import uuid
from datetime import timedelta

import pytest

from audit.models import AuditEvent
from trust.models import Campaign, ScamReport
from trust.selectors import campaign_indicators
from trust.services import (
    campaign_publish,
    campaign_update,
    scam_report_content,
    scam_report_group,
    scam_report_reporter_address,
)
from trust.stix import campaign_stix_bundle
from trust.tasks import scam_reports_regroup

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped
from .texts import publishable

pytestmark = pytest.mark.django_db

OTHER_TEXT = (
    "Congratulations! You have won a holiday to Lapland. Call +358 40 000 0000 today and tell us "
    "your card number so that we can reserve the cabin for you and your family this winter."
)


def _report(text: str, result=None, **extra) -> ScamReport:
    return submit_grouped(
        source="web",
        channel="sms",
        content_kind="text",
        content=text.encode(),
        result=result or scam_result(),
        **extra,
    )


def test_a_report_is_sealed_at_rest_and_opens_again():
    report = _report(SCAM_TEXT, reporter_address="reporter@example.org")
    stored = ScamReport.objects.get(pk=report.pk)
    assert b"passport number" not in bytes(stored.content_sealed)
    assert b"reporter@example.org" not in bytes(stored.reporter_address_sealed)
    assert scam_report_content(stored) == SCAM_TEXT.encode()
    assert scam_report_reporter_address(stored) == "reporter@example.org"
    assert AuditEvent.objects.filter(
        action="trust.report.created", object_id=str(report.pk)
    ).exists()


def test_the_reporters_own_address_is_never_an_indicator():
    result = scam_result(email_addresses=("reporter@example.org", "fraud@migri-fi.com"))
    report = _report(SCAM_TEXT, result=result, reporter_address="Reporter@example.org")
    assert report.indicators["email_addresses"] == ["fraud@migri-fi.com"]
    values = set(report.indicator_rows.values_list("value", flat=True))
    assert "reporter@example.org" not in values and "example.org" not in values


def test_a_single_report_waits_for_a_similar_one_before_a_campaign_starts():
    report = _report(SCAM_TEXT)
    assert report.campaign is None
    assert Campaign.objects.count() == 0


def test_near_duplicate_texts_form_one_campaign_even_without_shared_indicators():
    variant = SCAM_TEXT.replace("24 hours", "48 hours")
    first = _report(SCAM_TEXT, result=scam_result(domains=("first.example",)))
    second = _report(variant, result=scam_result(domains=("second.example",)))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.campaign_id is not None and first.campaign_id == second.campaign_id
    assert first.campaign.report_count == 2


def test_different_texts_sharing_a_link_domain_form_one_campaign():
    first = _report(SCAM_TEXT, result=scam_result(domains=("migri-verify.com",)))
    second = _report(OTHER_TEXT, result=scam_result(domains=("migri-verify.com",)))
    first.refresh_from_db()
    assert second.campaign_id is not None and first.campaign_id == second.campaign_id


def test_unrelated_reports_sharing_only_a_free_mail_domain_stay_apart():
    first = _report(SCAM_TEXT, result=scam_result(domains=(), email_addresses=("a@gmail.com",)))
    second = _report(OTHER_TEXT, result=scam_result(domains=(), email_addresses=("b@gmail.com",)))
    first.refresh_from_db()
    assert first.campaign_id is None and second.campaign_id is None


def test_a_third_similar_report_joins_the_existing_campaign():
    reports = [_report(SCAM_TEXT.replace("24", str(hours))) for hours in (24, 36, 72)]
    campaign_ids = {ScamReport.objects.get(pk=report.pk).campaign_id for report in reports}
    assert len(campaign_ids) == 1 and None not in campaign_ids
    assert Campaign.objects.get().report_count == 3


def test_grouping_again_is_idempotent():
    first = _report(SCAM_TEXT)
    second = _report(SCAM_TEXT.replace("24 hours", "12 hours"))
    campaign = ScamReport.objects.get(pk=first.pk).campaign
    assert scam_report_group(report=second) == campaign
    scam_reports_regroup.call()
    scam_reports_regroup.call()
    assert Campaign.objects.count() == 1
    assert Campaign.objects.get().report_count == 2


def test_genuine_messages_are_not_grouped_into_campaigns():
    genuine = scam_result(domains=())
    genuine.verdict = "genuine"
    _report("Your decision is ready. Verification code 7K3M-Q9TX-2HDA", result=genuine)
    _report("Your decision is ready. Verification code 7K3M-Q9TX-2HDB", result=genuine)
    assert Campaign.objects.count() == 0


def _campaign_with_indicators() -> Campaign:
    result = scam_result(
        domains=("migri-fi.com",),
        urls=("https://migri-fi.com/login?x='1'",),
        email_addresses=("info@migri-fi.com",),
        phone_numbers=("+358400000000",),
    )
    _report(SCAM_TEXT, result=result)
    _report(SCAM_TEXT.replace("24 hours", "2 days"), result=result)
    campaign = Campaign.objects.get()
    return campaign_update(
        campaign=campaign, **publishable(title_en="Fake residence permit emails")
    )


def test_the_campaign_lists_each_indicator_with_its_report_count():
    indicators = campaign_indicators(_campaign_with_indicators())
    assert indicators["domain"] == [{"value": "migri-fi.com", "reports": 2}]
    assert indicators["email_address"] == [{"value": "info@migri-fi.com", "reports": 2}]
    assert indicators["phone_number"] == [{"value": "+358400000000", "reports": 2}]


def test_the_stix_bundle_has_identity_campaign_indicators_and_relationships():
    campaign = _campaign_with_indicators()
    bundle = campaign_stix_bundle(campaign, campaign_indicators(campaign))
    assert bundle["type"] == "bundle"
    objects = {item["id"]: item for item in bundle["objects"]}
    id_format = re.compile(r"^([a-z0-9-]+)--([0-9a-f-]{36})$")
    for object_id, item in objects.items():
        object_type, identifier = id_format.match(object_id).groups()
        assert object_type == item["type"]
        assert uuid.UUID(identifier).version == 5
        assert item["spec_version"] == "2.1"
        assert item["created"].endswith("Z") and item["modified"].endswith("Z")
    by_type = {}
    for item in objects.values():
        by_type.setdefault(item["type"], []).append(item)
    assert (
        len(by_type["identity"]) == 1 and by_type["identity"][0]["identity_class"] == "organization"
    )
    assert by_type["campaign"][0]["name"] == "Fake residence permit emails"
    patterns = {item["pattern"] for item in by_type["indicator"]}
    assert "[domain-name:value = 'migri-fi.com']" in patterns
    assert "[email-addr:value = 'info@migri-fi.com']" in patterns
    assert "[url:value = 'https://migri-fi.com/login?x=\\'1\\'']" in patterns
    assert all(
        item["pattern_type"] == "stix" and item["valid_from"] for item in by_type["indicator"]
    )
    campaign_id = by_type["campaign"][0]["id"]
    assert len(by_type["relationship"]) == len(by_type["indicator"])
    for relationship in by_type["relationship"]:
        assert relationship["relationship_type"] == "indicates"
        assert objects[relationship["source_ref"]]["type"] == "indicator"
        assert relationship["target_ref"] == campaign_id
    again = campaign_stix_bundle(campaign, campaign_indicators(campaign))
    assert {item["id"] for item in again["objects"]} == set(objects)


def test_stix_objects_are_never_modified_before_they_were_created():
    # A campaign formed by regrouping old reports is created after its last report was seen.
    campaign = _campaign_with_indicators()
    Campaign.objects.filter(pk=campaign.pk).update(
        created_at=campaign.last_seen + timedelta(days=3)
    )
    campaign.refresh_from_db()
    bundle = campaign_stix_bundle(campaign, campaign_indicators(campaign))
    for item in bundle["objects"]:
        assert item["modified"] >= item["created"], item["type"]


def test_a_campaign_without_a_title_cannot_be_published():
    _report(SCAM_TEXT)
    _report(SCAM_TEXT.replace("24 hours", "2 days"))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        campaign_publish(campaign=Campaign.objects.get())

"""Retention of the trust center: scam reports, their evidence and what was kept about reporters
go after the period; campaigns and their public warnings stay."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from audit.models import AuditEvent
from tests.retention import assert_scheduled, days_ago, made_at
from trust.models import (
    Campaign,
    ReporterNotification,
    ReporterNotificationOutcome,
    ReportIndicator,
    ScamReport,
)
from trust.retention import scam_reports_delete_expired
from trust.services import campaign_publish, campaign_update
from trust.tasks import scam_reports_delete_expired as scam_reports_task

from ..web.helpers import SCAM_TEXT, scam_result
from .grouping import submit_grouped
from .texts import publishable

pytestmark = pytest.mark.django_db


def _report(*, age_days: float, reporter: str) -> ScamReport:
    with made_at(days_ago(age_days)):
        return submit_grouped(
            source="web",
            channel="sms",
            content_kind="text",
            content=SCAM_TEXT.encode(),
            result=scam_result(email_addresses=("fraud@migri-fi.com",)),
            reporter_address=reporter,
        )


def _rows_pointing_at(report_pk: int) -> dict[str, int]:
    """Rows of every table with a foreign key to the report (found from the models, so a table
    added later is checked too)."""
    counts = {}
    for relation in ScamReport._meta.related_objects:
        model = relation.related_model
        counts[model._meta.label] = model.objects.filter(**{relation.field.name: report_pk}).count()
    return counts


def _files_under(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_only_reports_older_than_the_period_go_with_their_evidence(settings):
    settings.RETENTION_SCAM_REPORT_DAYS = 730
    documents = Path(django_settings.STORAGES["documents"]["OPTIONS"]["location"])
    old = [
        _report(age_days=731, reporter="first@example.org"),
        _report(age_days=1000, reporter="second@example.org"),
    ]
    recent = _report(age_days=729, reporter="third@example.org")
    campaign = Campaign.objects.get(pk=recent.campaign_id)
    for report in old:
        report.refresh_from_db()
    assert {report.campaign_id for report in old} == {campaign.pk}
    campaign_update(campaign=campaign, **publishable(title_en="Fake residence permit messages"))
    warning = campaign_publish(campaign=campaign)
    with made_at(days_ago(731)):
        old_notice = ReporterNotification.objects.create(
            campaign=campaign, address_digest="a" * 64, outcome=ReporterNotificationOutcome.SENT
        )
    recent_notice = ReporterNotification.objects.create(
        campaign=campaign, address_digest="b" * 64, outcome=ReporterNotificationOutcome.SENT
    )
    assert all(_rows_pointing_at(report.pk)["trust.ReportIndicator"] for report in old)

    scam_reports_task.enqueue()  # the test settings run tasks at once

    assert list(ScamReport.objects.values_list("pk", flat=True)) == [recent.pk]
    for report in old:
        # The row held the evidence (sealed message, result and reporter's address): it is gone,
        # and so is every row that pointed at it. The audit log keeps that it existed (ids only).
        assert not ScamReport.objects.filter(public_id=report.public_id).exists()
        assert set(_rows_pointing_at(report.pk).values()) == {0}
        assert AuditEvent.objects.filter(
            action="trust.report.created", object_id=str(report.pk)
        ).exists()
    assert ReportIndicator.objects.filter(report=recent).exists()
    assert set(ReporterNotification.objects.values_list("pk", flat=True)) == {recent_notice.pk}
    assert not ReporterNotification.objects.filter(pk=old_notice.pk).exists()
    # The public warning is the team's snapshot: unchanged, as is the campaign.
    assert campaign.published_warnings.get().pk == warning.pk
    assert Campaign.objects.filter(pk=campaign.pk).exists()
    # Nothing of a report is ever written to the documents storage, so nothing is left there.
    assert _files_under(documents) == []

    assert scam_reports_delete_expired() == {"reports": 0, "reporter_notifications": 0}
    assert_scheduled("trust.tasks.scam_reports_delete_expired")


def test_a_backlog_larger_than_one_batch_is_deleted_in_one_run(settings):
    settings.RETENTION_SCAM_REPORT_DAYS = 30
    for number in range(5):
        _report(age_days=31 + number, reporter="")
    kept = _report(age_days=1, reporter="")

    assert scam_reports_delete_expired(batch_size=2)["reports"] == 5

    assert list(ScamReport.objects.values_list("pk", flat=True)) == [kept.pk]

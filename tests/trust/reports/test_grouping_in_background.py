"""Each report is grouped as it arrives, by a task enqueued after commit; "group again" repairs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trust.models import Campaign, ScamReport
from trust.services import scam_report_submit
from trust.tasks import scam_report_group_later, scam_reports_regroup

from ..web.helpers import SCAM_TEXT, scam_result

pytestmark = pytest.mark.django_db

VARIANT = SCAM_TEXT.replace("24 hours", "48 hours")


def _submit(text: str):
    return scam_report_submit(
        source="web",
        channel="sms",
        content_kind="text",
        content=text.encode(),
        result=scam_result(),
    )


def test_a_report_is_grouped_by_the_task_enqueued_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _submit(SCAM_TEXT)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        second = _submit(VARIANT)
        # Nothing is grouped inside the reporter's transaction: the work waits for the commit.
        assert ScamReport.objects.get(pk=second.pk).grouped_at is None
    assert len(callbacks) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.campaign_id is not None and first.campaign_id == second.campaign_id
    assert Campaign.objects.get().report_count == 2


def test_the_grouping_task_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = _submit(SCAM_TEXT)
        second = _submit(VARIANT)
    campaign = Campaign.objects.get()
    # A retried task (the worker died after grouping) changes nothing.
    assert scam_report_group_later.call(report_id=second.pk) == str(campaign.public_id)
    assert scam_report_group_later.call(report_id=first.pk) == str(campaign.public_id)
    assert Campaign.objects.count() == 1
    assert Campaign.objects.get().report_count == 2


def test_the_task_skips_a_report_deleted_meanwhile():
    assert scam_report_group_later.call(report_id=987654) is None


def test_regrouping_repairs_reports_whose_task_was_lost(django_capture_on_commit_callbacks):
    # The on-commit enqueue is dropped (captured without running), as if the queue lost it.
    with django_capture_on_commit_callbacks(execute=False):
        _submit(SCAM_TEXT)
        _submit(VARIANT)
    assert not Campaign.objects.exists()
    assert scam_reports_regroup.call() == 2
    assert Campaign.objects.get().report_count == 2


def test_a_report_sent_through_the_page_is_grouped_without_anyone_clicking(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _submit(SCAM_TEXT)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("trust:report"), {"mode": "text", "text-text": VARIANT, "text-channel": "sms"}
        )
    assert response.status_code == 302
    assert ScamReport.objects.filter(campaign__isnull=False).count() == 2

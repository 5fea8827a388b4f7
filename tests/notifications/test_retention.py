"""Retention of notifications: records of sent and failed messages, and verification codes."""

import pytest

from notifications.models import OutboundEmail, OutboundEmailStatus, OutboundSMS
from notifications.retention import (
    outbound_messages_delete_expired,
    verification_codes_delete_expired,
)
from notifications.services import recipient_hash
from notifications.tasks import outbound_messages_delete_expired as outbound_task
from notifications.tasks import verification_codes_delete_expired as codes_task
from notifications.verification import verification_code_check, verification_code_issue
from tests.retention import assert_scheduled, days_ago, made_at

pytestmark = pytest.mark.django_db


def _outbound(model, status: str, *, age_days: float):
    with made_at(days_ago(age_days)):
        return model.objects.create(
            kind="test", recipient_hash=recipient_hash("someone@example.org"), status=status
        )


def test_only_finished_messages_older_than_the_period_are_deleted(settings):
    settings.RETENTION_OUTBOUND_MESSAGE_DAYS = 365
    sent, failed, queued = (
        OutboundEmailStatus.SENT,
        OutboundEmailStatus.FAILED,
        OutboundEmailStatus.QUEUED,
    )
    old = [
        _outbound(OutboundEmail, sent, age_days=366),
        _outbound(OutboundEmail, failed, age_days=800),
        _outbound(OutboundSMS, sent, age_days=366),
    ]
    kept = [
        _outbound(OutboundEmail, sent, age_days=364),
        _outbound(OutboundSMS, failed, age_days=10),
        # Still waiting to go out, however old: the stalled-send sweeper owns it.
        _outbound(OutboundEmail, queued, age_days=400),
        _outbound(OutboundSMS, queued, age_days=400),
    ]

    outbound_task.enqueue()  # the test settings run tasks at once

    left = {
        (type(row), row.pk) for model in (OutboundEmail, OutboundSMS) for row in model.objects.all()
    }
    assert left == {(type(row), row.pk) for row in kept}
    assert not left & {(type(row), row.pk) for row in old}
    assert outbound_messages_delete_expired() == {"email": 0, "sms": 0}  # idempotent
    assert_scheduled("notifications.tasks.outbound_messages_delete_expired")


def test_only_verification_codes_older_than_the_period_are_forgotten(settings):
    settings.RETENTION_VERIFICATION_CODE_DAYS = 365
    with made_at(days_ago(366)):
        old_code = verification_code_issue(recipient="a@example.org", channel="email", kind="t")
    with made_at(days_ago(364)):
        recent_code = verification_code_issue(recipient="a@example.org", channel="email", kind="t")
    assert verification_code_check(code=old_code, recipient="a@example.org") is not None

    codes_task.enqueue()

    assert verification_code_check(code=old_code, recipient="a@example.org") is None
    assert verification_code_check(code=recent_code, recipient="a@example.org") is not None
    assert verification_codes_delete_expired() == 0
    assert_scheduled("notifications.tasks.verification_codes_delete_expired")

"""Retention of accounts: expired sessions, spent one-time codes and remembered form tokens."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import CodePurpose, FormSubmission, OneTimeCode
from accounts.retention import (
    form_submissions_delete_expired,
    one_time_codes_delete_expired,
    sessions_delete_expired,
)
from accounts.sessions import Session, SessionStore
from accounts.tasks import form_submissions_delete_expired as form_submissions_task
from accounts.tasks import one_time_codes_delete_expired as one_time_codes_task
from accounts.tasks import sessions_delete_expired as sessions_task
from tests.retention import assert_scheduled, days_ago

pytestmark = pytest.mark.django_db


def _session(expires_in: timedelta) -> str:
    store = SessionStore()
    store["marker"] = "x"
    store.create()
    Session.objects.filter(pk=store.session_key).update(expire_date=timezone.now() + expires_in)
    return store.session_key


def test_only_expired_sessions_are_deleted():
    expired = [_session(timedelta(minutes=-1)), _session(timedelta(days=-3))]
    live = _session(timedelta(minutes=5))

    sessions_task.enqueue()  # the test settings run tasks at once

    assert set(Session.objects.values_list("pk", flat=True)) == {live}
    assert not SessionStore(session_key=expired[0]).exists(expired[0])
    assert SessionStore(session_key=live).load()["marker"] == "x"
    assert sessions_delete_expired() == 0  # idempotent
    assert_scheduled("accounts.tasks.sessions_delete_expired")


def _code(user, *, expired_days_ago: float, used: bool = False) -> OneTimeCode:
    expires_at = days_ago(expired_days_ago)
    return OneTimeCode.objects.create(
        user=user,
        purpose=CodePurpose.PASSWORD_RESET,
        code_hash="0" * 64,
        created_at=expires_at - timedelta(minutes=30),
        expires_at=expires_at,
        used_at=expires_at - timedelta(minutes=1) if used else None,
    )


def test_only_one_time_codes_expired_longer_than_the_period_are_deleted(settings, applicant):
    settings.RETENTION_ONE_TIME_CODE_DAYS = 7
    old = [_code(applicant, expired_days_ago=8), _code(applicant, expired_days_ago=30, used=True)]
    recent_expired = _code(applicant, expired_days_ago=6)
    still_valid = _code(applicant, expired_days_ago=-0.01)

    one_time_codes_task.enqueue()

    left = set(OneTimeCode.objects.values_list("pk", flat=True))
    assert left == {recent_expired.pk, still_valid.pk}
    assert not left & {code.pk for code in old}
    assert one_time_codes_delete_expired() == 0
    assert_scheduled("accounts.tasks.one_time_codes_delete_expired")


def _submission(hours_ago: float) -> FormSubmission:
    return FormSubmission.objects.create(
        owner_key="anonymous",
        token_digest=f"{hours_ago:064}"[-64:],
        created_at=timezone.now() - timedelta(hours=hours_ago),
    )


def test_only_form_tokens_older_than_the_period_are_forgotten(settings):
    settings.RETENTION_FORM_SUBMISSION_HOURS = 24
    old = [_submission(25), _submission(24 * 40)]
    recent = [_submission(23), _submission(0)]

    form_submissions_task.enqueue()

    left = set(FormSubmission.objects.values_list("pk", flat=True))
    assert left == {submission.pk for submission in recent}
    assert not left & {submission.pk for submission in old}
    assert form_submissions_delete_expired() == 0
    assert_scheduled("accounts.tasks.form_submissions_delete_expired")


def test_sign_in_attempts_go_once_their_cool_off_has_passed(settings):
    from axes.models import AccessAttempt

    from accounts.retention import sign_in_attempts_delete_expired
    from accounts.tasks import sign_in_attempts_delete_expired as attempts_task

    settings.AXES_COOLOFF_TIME = 0.25  # hours
    now = timezone.now()

    def attempt(username: str, minutes_ago: int) -> AccessAttempt:
        return AccessAttempt.objects.create(
            username=username,
            ip_address="192.0.2.1",
            user_agent="test",
            failures_since_start=3,
            attempt_time=now - timedelta(minutes=minutes_ago),
        )

    old = attempt("old@example.org", 16)
    current = attempt("current@example.org", 14)
    # auto_now_add sets the time at creation: move it back as the clock would have.
    AccessAttempt.objects.filter(pk=old.pk).update(attempt_time=now - timedelta(minutes=16))
    AccessAttempt.objects.filter(pk=current.pk).update(attempt_time=now - timedelta(minutes=14))

    attempts_task.enqueue()

    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["current@example.org"]
    assert sign_in_attempts_delete_expired(now=now) == 0
    assert_scheduled("accounts.tasks.sign_in_attempts_delete_expired")

"""Retention services of accounts: expired sessions, spent one-time codes, remembered form
tokens and failed sign-in attempts past their cool-off are deleted (see core/retention.py for the pattern and the README for the periods)."""

from __future__ import annotations

from datetime import datetime, timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone

from accounts.models import FormSubmission, OneTimeCode, Session
from core.retention import delete_in_batches, retention_cutoff


def sessions_delete_expired(*, now: datetime | None = None, batch_size: int | None = None) -> int:
    """Sessions past their expiry: no request can use them any more (Django's clearsessions,
    in batches)."""
    expired = Session.objects.filter(expire_date__lt=now or timezone.now())
    return delete_in_batches(expired, batch_size=batch_size)


def one_time_codes_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Email verification and password reset codes RETENTION_ONE_TIME_CODE_DAYS after they
    expired, whether used or not (only their hashes were ever stored)."""
    cutoff = retention_cutoff(now=now, days=settings.RETENTION_ONE_TIME_CODE_DAYS)
    return delete_in_batches(
        OneTimeCode.objects.filter(expires_at__lt=cutoff), batch_size=batch_size
    )


def form_submissions_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Tokens of forms sent more than RETENTION_FORM_SUBMISSION_HOURS ago: a form that old is
    no longer a double click or a back button (accounts.submissions)."""
    cutoff = retention_cutoff(now=now, hours=settings.RETENTION_FORM_SUBMISSION_HOURS)
    return delete_in_batches(
        FormSubmission.objects.filter(created_at__lt=cutoff), batch_size=batch_size
    )


def sign_in_attempts_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Failed sign-in attempts (django-axes keeps the typed address and the client address) once
    their cool-off (AXES_COOLOFF_TIME) has passed: they lock nobody out any more. Axes clears
    them itself only when the same person tries again, which most never do."""
    cutoff = (now or timezone.now()) - timedelta(hours=settings.AXES_COOLOFF_TIME)
    return delete_in_batches(
        AccessAttempt.objects.filter(attempt_time__lt=cutoff), batch_size=batch_size
    )

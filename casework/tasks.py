"""Background work of casework: reminders before the deadline of a request."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from casework.models import SupplementRequest
from casework.selectors import requests_due_for_reminder
from core.periodic import periodic
from notifications.case_notifications import notify_supplement_reminder


def reminder_days_before() -> int:
    return settings.CASEWORK_REMINDER_DAYS_BEFORE


def send_deadline_reminders_now(*, today=None) -> int:
    """Remind each applicant once whose open request's deadline is near; returns how many."""
    today = today or timezone.localdate()
    sent = 0
    for request in requests_due_for_reminder(today=today, days_before=reminder_days_before()):
        with transaction.atomic():
            # Claimed in the database: a second run (or a concurrent worker) finds it taken.
            claimed = SupplementRequest.objects.filter(
                pk=request.pk, reminder_sent_at__isnull=True, closed_at__isnull=True
            ).update(reminder_sent_at=timezone.now())
            if claimed:
                notify_supplement_reminder(application=request.application)
                sent += 1
    return sent


@periodic
@task()
def send_deadline_reminders() -> int:
    return send_deadline_reminders_now()

"""Reminders before the deadline of a request: sent once, never for closed requests."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.models import SupplementRequest
from casework.tasks import send_deadline_reminders, send_deadline_reminders_now
from notifications.models import OutboundEmail

pytestmark = pytest.mark.django_db


def _deadline_in(days: int) -> None:
    SupplementRequest.objects.update(deadline=timezone.localdate() + datetime.timedelta(days=days))


def test_a_reminder_goes_out_once_when_the_deadline_is_near(
    waiting, django_capture_on_commit_callbacks
):
    _deadline_in(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_deadline_reminders_now() == 1
        assert send_deadline_reminders_now() == 0
    assert OutboundEmail.objects.filter(kind="case.supplement_reminder").count() == 1
    assert SupplementRequest.objects.get().reminder_sent_at is not None


def test_no_reminder_while_the_deadline_is_far_or_the_request_is_answered(waiting, applicant):
    from casework.applicant_services import supplement_answer

    _deadline_in(10)
    assert send_deadline_reminders_now() == 0
    _deadline_in(1)
    supplement_answer(application=waiting, applicant=applicant, text="Done.")
    assert send_deadline_reminders_now() == 0


def test_the_command_and_the_task_send_reminders(waiting, capsys):
    _deadline_in(1)
    call_command("send_reminders")
    assert "Reminders sent: 1" in capsys.readouterr().out
    assert send_deadline_reminders.enqueue().return_value == 0

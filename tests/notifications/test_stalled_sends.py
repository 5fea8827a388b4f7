"""A send whose worker died is re-queued after the claim timeout and goes out; after the last
attempt it is failed and listed for an operator; email repeats keep their Message-ID and texts
their gateway reference (the idempotency key)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.utils import timezone

from notifications.models import OutboundEmail, OutboundEmailStatus, OutboundSMS
from notifications.services import email_send
from notifications.sms import sms_send
from notifications.sms.console import MemorySMSBackend
from notifications.sms.tasks import sms_reference
from notifications.stalled import outbound_requeue_stalled
from notifications.tasks import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db

ADDRESS = "reader@example.org"
CODE = "48151623"


class WorkerDied(BaseException):
    """Stands for SIGKILL inside a test: nothing in the task catches it, as nothing survives a
    kill (the real kill is in tests/e2e/test_crash_recovery.py)."""


def _send_email():
    email_send(
        to=ADDRESS,
        subject="Your code",
        text_body=f"Your code is {CODE}.",
        html_body=None,
        language="en",
        kind="test.code",
    )


def _claimed_by_a_dead_worker(queryset, *, attempts: int = 1, minutes_ago: int = 60):
    """What a worker killed mid-send leaves: the attempt counted, the row still queued."""
    queryset.update(
        attempts=attempts, last_attempt_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


@pytest.fixture
def enqueued_but_never_run(django_capture_on_commit_callbacks):
    """Runs a block whose on-commit enqueues are dropped, as when a worker took the task and died."""

    def run(block):
        with django_capture_on_commit_callbacks(execute=False):
            block()

    return run


def test_an_email_claimed_by_a_dead_worker_is_sent_once_after_the_timeout(
    smtp_server, enqueued_but_never_run, settings
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    enqueued_but_never_run(_send_email)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all())

    counts = outbound_requeue_stalled()

    assert counts["email_requeued"] == 1
    [mail] = smtp_server.outbox
    assert CODE in mail.text and mail.envelope_to == [ADDRESS]
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundEmailStatus.SENT, 2)
    assert outbound.payload_sealed is None  # the content is kept only until it has gone out
    assert outbound_requeue_stalled()["email_requeued"] == 0


def test_a_claim_younger_than_the_timeout_is_left_to_its_worker(
    smtp_server, enqueued_but_never_run, settings
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    enqueued_but_never_run(_send_email)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all(), minutes_ago=5)

    assert outbound_requeue_stalled()["email_requeued"] == 0
    assert smtp_server.outbox == []
    assert OutboundEmail.objects.get().status == OutboundEmailStatus.QUEUED


def test_a_sweep_re_arms_the_timeout_so_a_second_sweep_does_not_queue_it_again(
    enqueued_but_never_run, settings, monkeypatch
):
    from notifications import stalled

    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    enqueued_but_never_run(_send_email)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all())
    queued = []

    class HeldTask:
        enqueue = staticmethod(lambda **kwargs: queued.append(kwargs))

    monkeypatch.setattr(stalled, "send_email", HeldTask)

    outbound_requeue_stalled()
    outbound_requeue_stalled()

    assert queued == [{"outbound_email_id": OutboundEmail.objects.get().pk, "attempt": 2}]


def test_an_email_sent_again_after_a_crash_past_the_smtp_server_keeps_its_message_id(
    smtp_server, django_capture_on_commit_callbacks, settings, monkeypatch
):
    """At least once: SMTP has no idempotency key, so a worker killed after the server accepted
    the message sends it again; the copy is recognisable by its Message-ID."""
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    real_send = EmailMultiAlternatives.send

    def accepted_then_killed(self, *args, **kwargs):
        real_send(self, *args, **kwargs)
        raise WorkerDied

    monkeypatch.setattr(EmailMultiAlternatives, "send", accepted_then_killed)
    with django_capture_on_commit_callbacks(execute=True):
        _send_email()  # the task backend records the task as failed; the row stays claimed
    monkeypatch.setattr(EmailMultiAlternatives, "send", real_send)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all())

    outbound_requeue_stalled()

    first, again = smtp_server.outbox
    assert first.message["Message-ID"] == again.message["Message-ID"]
    assert first.message["Message-ID"].endswith(">") and "@" in first.message["Message-ID"]
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundEmailStatus.SENT, 2)


def test_different_emails_have_different_message_ids(
    smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _send_email()
        _send_email()
    first, second = smtp_server.outbox
    assert first.message["Message-ID"] != second.message["Message-ID"]


def test_a_send_stalled_on_its_last_attempt_is_failed_and_listed_for_an_operator(
    enqueued_but_never_run, settings
):
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    enqueued_but_never_run(_send_email)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all(), attempts=MAX_ATTEMPTS)

    assert outbound_requeue_stalled()["email_failed"] == 1

    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.last_error) == (OutboundEmailStatus.FAILED, "Stalled")
    assert outbound.payload_sealed is None
    output = StringIO()
    call_command("list_failed_notifications", stdout=output)
    listed = output.getvalue()
    assert f"email\t{outbound.pk}\ttest.code\t{MAX_ATTEMPTS}\tStalled" in listed
    assert "1 failed" in listed
    assert ADDRESS not in listed and CODE not in listed


def test_a_text_claimed_by_a_dead_worker_is_sent_again_with_the_same_reference(
    settings, enqueued_but_never_run, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = "memory"
    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    MemorySMSBackend.outbox.clear()
    enqueued_but_never_run(lambda: sms_send(to="+358401234567", text="Code 4815", kind="t.code"))
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to="+358409999999", text="Other", kind="t.code")
    # Only the first stalled; the second was sent, and the sweeper leaves it alone.
    _claimed_by_a_dead_worker(OutboundSMS.objects.filter(status="queued"))

    counts = outbound_requeue_stalled()

    assert counts["sms_requeued"] == 1
    other, stalled = MemorySMSBackend.outbox
    assert stalled.text == "Code 4815"
    first_row = OutboundSMS.objects.order_by("pk").first()
    assert stalled.reference == sms_reference(first_row.pk)  # the same on every attempt
    assert stalled.reference != other.reference
    assert {row.status for row in OutboundSMS.objects.all()} == {"sent"}
    MemorySMSBackend.outbox.clear()


def test_a_waiting_message_still_goes_out_after_key_rotation_and_removal_of_the_old_key(
    smtp_server, enqueued_but_never_run, settings
):
    import base64
    import os

    from core.crypto import sealed_key_id

    settings.NOTIFICATIONS_CLAIM_TIMEOUT_SECONDS = 600
    enqueued_but_never_run(_send_email)
    _claimed_by_a_dead_worker(OutboundEmail.objects.all())
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{new_key},{settings.KEY_ENCRYPTION_KEYS}"
    call_command("rewrap_data_keys", stdout=StringIO())
    assert sealed_key_id(bytes(OutboundEmail.objects.get().payload_sealed)) == "rotated"
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{new_key}"  # the old key dropped, as the README says

    outbound_requeue_stalled()

    [mail] = smtp_server.outbox
    assert CODE in mail.text

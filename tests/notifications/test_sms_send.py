"""Text messages are claimed in the database before they go out: a task run twice sends once, and
the record holds neither the number nor the text."""

from __future__ import annotations

import logging

import pytest
from django.core.management import call_command

from notifications.models import OutboundSMS, OutboundSMSStatus
from notifications.services import recipient_hash
from notifications.sms import SMSSendFailed, sms_backends, sms_send
from notifications.sms.base import SMSBackend
from notifications.sms.console import MemorySMSBackend
from notifications.sms.tasks import MAX_ATTEMPTS, send_sms

pytestmark = pytest.mark.django_db

NUMBER = "+358401234567"
TEXT = "Your verification code is 4815-1623-4200."


@pytest.fixture(autouse=True)
def _memory_gateway(settings):
    settings.SMS_BACKEND = "memory"
    MemorySMSBackend.outbox.clear()
    yield
    MemorySMSBackend.outbox.clear()


class BrokenGateway(SMSBackend):
    """A stand-in for a gateway that is down (none can run here); its error quotes the message,
    as real gateways' errors do."""

    calls = 0

    def send(self, message):
        BrokenGateway.calls += 1
        raise SMSSendFailed(f"gateway refused {message.to}: {message.text}")


@pytest.fixture
def broken_gateway(settings):
    BrokenGateway.calls = 0
    sms_backends.register("broken-test", BrokenGateway)
    settings.SMS_BACKEND = "broken-test"
    return BrokenGateway


@pytest.fixture
def queued_sends(monkeypatch):
    """Holds the task's arguments instead of enqueueing it, so a test can run it by hand."""
    from notifications.sms import tasks as sms_tasks

    queued = []

    class HeldTask:
        enqueue = staticmethod(lambda **kwargs: queued.append(kwargs))

    monkeypatch.setattr(sms_tasks, "send_sms", HeldTask)
    return queued


def _stored(row: dict) -> str:
    return " ".join(str(value) for value in row.values())


def test_a_text_is_sent_after_the_transaction_commits_and_recorded_as_sent(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
    assert MemorySMSBackend.outbox == []
    assert OutboundSMS.objects.get().status == OutboundSMSStatus.QUEUED
    for callback in callbacks:
        callback()

    [sent] = MemorySMSBackend.outbox
    assert (sent.to, sent.text) == (NUMBER, TEXT)
    outbound = OutboundSMS.objects.get()
    assert (outbound.status, outbound.attempts, outbound.kind) == (
        OutboundSMSStatus.SENT,
        1,
        "test.code",
    )
    assert outbound.sent_at is not None and outbound.last_attempt_at is not None


def test_nothing_is_sent_or_recorded_when_the_transaction_rolls_back():
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
        raise RuntimeError("the feature failed after asking for the text")
    assert not OutboundSMS.objects.exists()
    assert MemorySMSBackend.outbox == []


def test_a_duplicated_task_sends_the_text_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
    [enqueue] = callbacks

    # The same enqueue twice, as after a worker restart: each runs the task with the real payload.
    enqueue()
    enqueue()

    assert len(MemorySMSBackend.outbox) == 1
    outbound = OutboundSMS.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundSMSStatus.SENT, 1)


def test_running_the_same_send_task_twice_sends_once(
    queued_sends, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
    [arguments] = queued_sends

    first = send_sms.call(**arguments)
    again = send_sms.call(**arguments)

    assert (first, again) == ("sent", "skipped")
    assert len(MemorySMSBackend.outbox) == 1


def test_a_failing_gateway_is_retried_until_the_attempts_run_out_then_marked_failed(
    broken_gateway, django_capture_on_commit_callbacks, caplog
):
    with caplog.at_level(logging.DEBUG), django_capture_on_commit_callbacks(execute=True):
        sms_send(to=NUMBER, text=TEXT, kind="test.code")

    assert broken_gateway.calls == MAX_ATTEMPTS
    outbound = OutboundSMS.objects.get()
    assert outbound.status == OutboundSMSStatus.FAILED
    assert outbound.attempts == MAX_ATTEMPTS
    assert outbound.last_error == "SMSSendFailed"
    assert caplog.records, "each failed attempt is logged"
    assert NUMBER not in caplog.text and "401234567" not in caplog.text
    assert TEXT not in caplog.text


def test_a_failed_text_is_not_sent_again_by_a_late_duplicate(
    broken_gateway, django_capture_on_commit_callbacks, settings
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
    [enqueue] = callbacks
    enqueue()
    assert OutboundSMS.objects.get().status == OutboundSMSStatus.FAILED

    settings.SMS_BACKEND = "memory"
    enqueue()

    assert MemorySMSBackend.outbox == []
    assert broken_gateway.calls == MAX_ATTEMPTS


def test_the_record_holds_neither_the_number_nor_the_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=NUMBER, text=TEXT, kind="test.code")
    row = OutboundSMS.objects.values().get()
    stored = _stored(row)
    assert NUMBER not in stored and NUMBER[1:] not in stored and "401234567" not in stored
    assert TEXT not in stored and "4815" not in stored
    assert row["recipient_hash"] == recipient_hash(f" {NUMBER} ")


def test_a_sealed_text_moved_to_another_record_does_not_open(
    queued_sends, django_capture_on_commit_callbacks
):
    """The sealed number and text are bound to their row: a payload copied onto another row
    sends nothing and marks that row failed."""
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=NUMBER, text=TEXT, kind="test.first")
        sms_send(to="+358409999999", text="Other", kind="test.second")
    first_payload, second_payload = queued_sends
    # The task arguments hold only the id: the content waits on the row, where rotation finds it.
    assert set(first_payload) == {"outbound_sms_id", "attempt"}
    first = OutboundSMS.objects.get(pk=first_payload["outbound_sms_id"])
    OutboundSMS.objects.filter(pk=second_payload["outbound_sms_id"]).update(
        payload_sealed=first.payload_sealed
    )

    result = send_sms.call(outbound_sms_id=second_payload["outbound_sms_id"], attempt=1)

    assert result == "failed"
    assert MemorySMSBackend.outbox == []
    second = OutboundSMS.objects.get(pk=second_payload["outbound_sms_id"])
    assert (second.status, second.last_error) == (OutboundSMSStatus.FAILED, "DecryptionError")


@pytest.mark.django_db(transaction=True)
def test_with_the_database_queue_a_failed_attempt_waits_and_the_queue_holds_nothing_in_clear(
    settings,
):
    """With the database task backend: the first attempt fails, the retry waits, then succeeds."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    attempts = []

    class FlakyGateway(SMSBackend):
        """A stand-in for a gateway (none can run here): fails once, then accepts."""

        def send(self, message):
            attempts.append(message)
            if len(attempts) == 1:
                raise SMSSendFailed("gateway busy")

    sms_backends.register("flaky-once-test", FlakyGateway)
    settings.SMS_BACKEND = "flaky-once-test"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    sms_send(to=NUMBER, text=TEXT, kind="test.code")  # autocommit: the task is enqueued at once
    worker = ["db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload"]

    call_command(*worker)

    outbound = OutboundSMS.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundSMSStatus.QUEUED, 1)
    assert outbound.last_error == "SMSSendFailed"
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    queued = str(retry.args_kwargs)
    assert NUMBER not in queued and "401234567" not in queued and "4815" not in queued

    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command(*worker)
    call_command(*worker)  # a second pass finds nothing left to send

    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundSMSStatus.SENT, 2)
    assert len(attempts) == 2


@pytest.mark.parametrize("spelling", ["040 123 4567", "00358 40 123 4567", "+358 40-123 4567"])
def test_the_number_is_sent_and_hashed_in_e164_whichever_way_it_was_written(
    spelling, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to=spelling, text=TEXT, kind="test.code")
    [sent] = MemorySMSBackend.outbox
    assert sent.to == NUMBER
    assert OutboundSMS.objects.get().recipient_hash == recipient_hash(NUMBER)

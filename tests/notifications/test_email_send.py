import socket

import pytest
from django.core.management import call_command
from django.test import Client

from core.authority import notification_sender
from notifications.models import OutboundEmail, OutboundEmailStatus
from notifications.services import email_send, recipient_hash
from notifications.tasks import MAX_ATTEMPTS

pytestmark = pytest.mark.django_db

CODE = "48151623"


def _send(**overrides):
    arguments = {
        "to": "reader@example.org",
        "subject": "Your code",
        "text_body": f"Your code is {CODE}.",
        "html_body": f"<p>Your code is <b>{CODE}</b>.</p>",
        "language": "en",
        "kind": "test.code",
    }
    email_send(**{**arguments, **overrides})


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_mail_is_sent_through_smtp_after_the_transaction_commits(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    settings.DEFAULT_FROM_EMAIL = ""
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _send()
    assert smtp_server.outbox == []
    for callback in callbacks:
        callback()

    [received] = smtp_server.outbox
    assert received.envelope_to == ["reader@example.org"]
    assert received.message["From"] == notification_sender()
    assert received.message["Content-Language"] == "en"
    assert CODE in received.text and CODE in received.html
    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundEmailStatus.SENT, 1)
    assert outbound.sent_at is not None


def test_the_sender_is_the_authoritys_notification_address(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    from core.authority import authority

    settings.DEFAULT_FROM_EMAIL = ""
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    assert smtp_server.outbox[0].envelope_from == authority().notification_sender


def test_nothing_is_sent_when_the_transaction_rolls_back(smtp_server):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _send()
        raise RuntimeError("the feature failed after asking for the mail")
    assert not OutboundEmail.objects.exists()
    assert smtp_server.outbox == []


def test_the_record_holds_no_content_and_no_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    row = OutboundEmail.objects.values().get()
    stored = " ".join(str(value) for value in row.values())
    assert CODE not in stored and "reader@example.org" not in stored and "Your code" not in stored
    assert row["recipient_hash"] == recipient_hash("Reader@Example.org")


def test_a_closed_smtp_port_is_retried_until_the_attempts_run_out(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _closed_port()
    with django_capture_on_commit_callbacks(execute=True):
        _send()
    outbound = OutboundEmail.objects.get()
    assert outbound.status == OutboundEmailStatus.FAILED
    assert outbound.attempts == MAX_ATTEMPTS
    assert outbound.last_error == "ConnectionRefusedError"


@pytest.mark.django_db(transaction=True)
def test_a_closed_smtp_port_is_retried_later_and_then_the_mail_goes_out(smtp_server, settings):
    """With the database task backend: the first attempt fails, the retry waits, then succeeds."""
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_PORT = _closed_port()
    _send()  # autocommit: the task is enqueued at once
    worker = ["db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload"]

    call_command(*worker)

    outbound = OutboundEmail.objects.get()
    assert (outbound.status, outbound.attempts) == (OutboundEmailStatus.QUEUED, 1)
    assert outbound.last_error == "ConnectionRefusedError"
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > timezone.now()
    assert CODE not in str(retry.args_kwargs)  # the queue holds the message sealed

    settings.EMAIL_PORT = smtp_server.port
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
    call_command(*worker)

    outbound.refresh_from_db()
    assert (outbound.status, outbound.attempts) == (OutboundEmailStatus.SENT, 2)
    assert len(smtp_server.outbox) == 1


def test_running_the_same_attempt_twice_sends_once(smtp_server, django_capture_on_commit_callbacks):
    from notifications.tasks import send_email

    with django_capture_on_commit_callbacks(execute=True):
        _send()
    outbound = OutboundEmail.objects.get()

    again = send_email.call(outbound_email_id=outbound.pk, sealed_message="", attempt=1)

    assert again == "skipped"
    assert len(smtp_server.outbox) == 1


def test_no_account_email_carries_the_address_beyond_the_to_header(
    smtp_server, django_capture_on_commit_callbacks, make_user
):
    owner = make_user(email="owner.person@example.org", email_verified_at=None)
    address = "fresh.person@example.org"
    client = Client()
    password = "purple elephants dance quietly"
    with django_capture_on_commit_callbacks(execute=True):
        for email in (address, owner.email):
            client.post(
                "/accounts/register/",
                {
                    "email": email,
                    "new_password1": password,
                    "new_password2": password,
                    "preferred_language": "en",
                },
            )
        client.post("/accounts/password-reset/", {"email": address})
    kinds = set(OutboundEmail.objects.values_list("kind", flat=True))
    assert kinds == {
        "account.verification_code",
        "account.existing_notice",
        "account.password_reset_code",
    }
    assert len(smtp_server.outbox) == 3
    for received in smtp_server.outbox:
        [recipient] = received.envelope_to
        local_part = recipient.split("@")[0]
        assert local_part not in received.text
        assert local_part not in received.html
        for header, value in received.message.items():
            if header.lower() != "to":
                assert local_part not in str(value), header
        assert "http://" not in received.html and "href" not in received.html


def test_a_task_queued_with_an_old_sealed_copy_sends_the_rows_copy(
    smtp_server, django_capture_on_commit_callbacks, settings
):
    """Tasks queued before the upgrade carry a sealed copy in their arguments, which key rotation
    cannot reach; the task sends the row's copy (rotated with the row) and ignores theirs."""
    import base64
    import os

    from notifications.tasks import send_email

    with django_capture_on_commit_callbacks(execute=False):
        _send()
    outbound = OutboundEmail.objects.get()
    new_key = base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{new_key},{settings.KEY_ENCRYPTION_KEYS}"
    call_command("rewrap_data_keys")
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{new_key}"  # the old key dropped

    stale_copy = base64.b64encode(b"\x01sealed under the dropped key").decode()
    result = send_email.call(outbound_email_id=outbound.pk, sealed_message=stale_copy, attempt=1)

    assert result == "sent"
    [received] = smtp_server.outbox
    assert CODE in received.text

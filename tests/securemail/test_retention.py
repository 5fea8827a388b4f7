"""Securemail's retention: conversations past their retention date go with their files, lapsed
access codes go, new ones stay, and a second run finds nothing to do."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.securemail.conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db


def test_expired_conversations_go_with_their_files_and_new_ones_stay(
    start_conversation, tmp_path, django_capture_on_commit_callbacks
):
    from audit.models import AuditEvent
    from documents.models import Document
    from securemail.models import Conversation, Message
    from securemail.retention import conversations_delete_expired

    expired = [start_conversation(uploads=[upload(PDF_BYTES)]) for _ in range(3)]
    kept = start_conversation(uploads=[upload(PNG_BYTES, "b.png")])
    Conversation.objects.filter(pk__in=[c.pk for c in expired]).update(
        delete_after=timezone.now() - timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert conversations_delete_expired(batch_size=2) == 3
    assert list(Conversation.objects.values_list("pk", flat=True)) == [kept.pk]
    assert Message.objects.filter(conversation=kept).count() == Message.objects.count() == 1
    assert Document.objects.count() == 1
    blobs = [path for path in (tmp_path / "documents").rglob("*") if path.is_file()]
    assert len(blobs) == 1
    deleted_events = AuditEvent.objects.filter(
        action="securemail.conversation_deleted_by_retention"
    )
    assert {event.object_id for event in deleted_events} == {str(c.pk) for c in expired}
    assert conversations_delete_expired() == 0


def test_a_conversation_is_kept_for_the_retention_days_after_its_last_message(
    start_conversation, settings
):
    from securemail.retention import conversations_delete_expired

    settings.SECUREMAIL_RETENTION_DAYS = 10
    conversation = start_conversation()
    assert conversations_delete_expired(now=timezone.now() + timedelta(days=9)) == 0
    assert conversations_delete_expired(now=timezone.now() + timedelta(days=10, minutes=1)) == 1
    assert not type(conversation).objects.filter(pk=conversation.pk).exists()


def test_lapsed_access_codes_go_and_live_ones_stay():
    from securemail.models import AccessCode
    from securemail.retention import access_codes_delete_expired

    now = timezone.now()

    def code(expires_in, session_for=None):
        return AccessCode.objects.create(
            email_hash="e" * 64,
            session_hash="s" * 64,
            code_hash="c" * 64,
            created_at=now,
            expires_at=now + timedelta(seconds=expires_in),
            session_valid_until=None
            if session_for is None
            else now + timedelta(seconds=session_for),
        )

    lapsed = code(-60)
    lapsed_session = code(-60, session_for=-1)
    live_code = code(60)
    live_session = code(-60, session_for=600)
    assert access_codes_delete_expired(now=now) == 2
    assert set(AccessCode.objects.values_list("pk", flat=True)) == {live_code.pk, live_session.pk}
    assert not AccessCode.objects.filter(pk__in=[lapsed.pk, lapsed_session.pk]).exists()
    assert access_codes_delete_expired(now=now) == 0


def test_the_retention_jobs_are_declared_periodic():
    from core.periodic import declared_periodic_tasks

    declared = declared_periodic_tasks()
    assert "securemail.tasks.conversations_delete_expired" in declared
    assert "securemail.tasks.access_codes_delete_expired" in declared


def test_the_readme_retention_table_has_securemails_row():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text(encoding="utf-8")
    table = readme.split("### Retention", 1)[1].split("\n\n")[2]
    [row] = [line for line in table.splitlines() if "`SECUREMAIL_RETENTION_DAYS`" in line]
    assert f"| {settings.SECUREMAIL_RETENTION_DAYS} |" in row
    assert "`conversations_delete_expired` (securemail)" in row

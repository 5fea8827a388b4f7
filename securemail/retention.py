"""Retention services of Securemail (see core/retention.py for the pattern and the README's
retention table for the periods).

A conversation carries its own dates, set from the settings when its last message was written and
shown to both sides: `visible_until` (SECUREMAIL_VISIBLE_DAYS, the sender's view) and
`delete_after` (SECUREMAIL_RETENTION_DAYS). The job deletes what is past `delete_after`, with its
messages and files; access codes go once both the code and the session it opened have lapsed.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from core.retention import delete_in_batches
from documents.services import document_delete
from securemail.models import AccessCode, Attachment, Conversation

logger = logging.getLogger(__name__)


def _conversation_delete(*, conversation_id, now: datetime) -> bool:
    """One conversation in its own transaction; its blobs go once it commits
    (documents.services.document_delete), so a crash leaves at worst an orphan blob that the
    documents sweeper removes."""
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .filter(pk=conversation_id, delete_after__lte=now)
            .first()
        )
        if conversation is None:
            return False  # a new message moved its date meanwhile
        attachments = list(
            Attachment.objects.filter(message__conversation=conversation).select_related("document")
        )
        documents = [attachment.document for attachment in attachments]
        Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
        for document in documents:
            document_delete(document=document)
        conversation.delete()
        audit_record(
            action="securemail.conversation_deleted_by_retention",
            object_type="securemail.conversation",
            object_id=str(conversation_id),
            details={"attachments": len(documents)},
        )
    return True


def conversations_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Conversations past their `delete_after` (SECUREMAIL_RETENTION_DAYS after the last
    message), with their messages and files, a batch of ids at a time until none is left."""
    now = now or timezone.now()
    size = batch_size or settings.RETENTION_BATCH_SIZE
    deleted = 0
    seen: set = set()
    while True:
        batch = [
            conversation_id
            for conversation_id in Conversation.objects.filter(delete_after__lte=now)
            .exclude(pk__in=seen)
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        ]
        if not batch:
            break
        seen.update(batch)
        deleted += sum(
            _conversation_delete(conversation_id=conversation_id, now=now)
            for conversation_id in batch
        )
    if deleted:
        logger.info("securemail retention deleted %s conversations", deleted)
    return deleted


def access_codes_delete_expired(
    *, now: datetime | None = None, batch_size: int | None = None
) -> int:
    """Access codes whose code and the session it opened have both lapsed (only hashes and the
    sealed address were stored; SECUREMAIL_CODE_VALID_SECONDS, SECUREMAIL_SESSION_VALID_SECONDS)."""
    now = now or timezone.now()
    lapsed = AccessCode.objects.filter(expires_at__lt=now).exclude(session_valid_until__gt=now)
    return delete_in_batches(lapsed, batch_size=batch_size)

"""Every write to Securemail: start a conversation, send from either side, read (with receipts and
an audit record per open), assign, close, reopen, link to a case, and the retention sweep.

Notifications say only that there is something to read and which address to type; never content,
never a link (securemail/templates/securemail/email/).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.addresses import email_normalize
from accounts.models import User
from audit.services import audit_record
from core.sealed_fields import seal_field_text
from documents.blobs import delete_blob
from documents.services import (
    DocumentRejected,
    document_open_stream,
    document_store,
)
from documents.validation import limit_in_megabytes
from notifications.services import email_send_templated
from securemail.access import email_hash, official_address
from securemail.models import (
    Attachment,
    Conversation,
    ConversationStatus,
    Direction,
    Message,
    Topic,
)

logger = logging.getLogger(__name__)

SUBJECT_MAX_LENGTH = 200
BODY_MAX_LENGTH = 20_000
MAX_ATTACHMENTS = 10
DOCUMENT_PURPOSE = "securemail_attachment"
# Documents need an owner; files sent by people without an account belong to this inactive
# account, which cannot sign in (no password, inactive), so no one can reach them through it.
PUBLIC_DOCUMENTS_OWNER = "securemail-public@system.invalid"


class MessageRefused(ValidationError):
    """The message cannot be sent as it is: `messages[0]` is a translated sentence to show."""


class ConversationClosed(Exception):
    """Nothing can be added to a closed conversation."""


@dataclass(frozen=True)
class Correspondent:
    """Who writes from the public's side: a verified address, and the account when signed in."""

    email: str
    user: User | None = None


@dataclass(frozen=True)
class OpenedMessage:
    """A message as a page shows it, opened from its sealed columns."""

    message: Message
    subject: str
    body: str
    attachments: tuple[Attachment, ...]

    @property
    def direction(self) -> str:
        return self.message.direction


def attachment_max_bytes() -> int:
    """The largest file one message may carry: Securemail's own limit, never above the total."""
    return min(settings.SECUREMAIL_ATTACHMENT_MAX_BYTES, settings.SECUREMAIL_UPLOAD_MAX_BYTES)


def message_too_large_message() -> str:
    return _("The files are too large together: at most %(limit)s MB in one message.") % {
        "limit": limit_in_megabytes(settings.SECUREMAIL_UPLOAD_MAX_BYTES)
    }


def _public_documents_owner() -> User:
    owner, created = User.objects.get_or_create(
        email=PUBLIC_DOCUMENTS_OWNER, defaults={"is_active": False}
    )
    if created:
        owner.set_unusable_password()
        owner.save(update_fields=["password"])
    return owner


def _dates(now: datetime) -> dict:
    return {
        "last_activity_at": now,
        "visible_until": now + timedelta(days=settings.SECUREMAIL_VISIBLE_DAYS),
        "delete_after": now + timedelta(days=settings.SECUREMAIL_RETENTION_DAYS),
    }


def _clean_text(subject: str, body: str, *, subject_required: bool) -> tuple[str, str]:
    subject = " ".join((subject or "").split())
    body = (body or "").strip()
    if subject_required and not subject:
        raise MessageRefused(_("Write a subject."), code="subject_missing")
    if len(subject) > SUBJECT_MAX_LENGTH:
        raise MessageRefused(
            _("The subject can be at most %(limit)s characters.") % {"limit": SUBJECT_MAX_LENGTH},
            code="subject_too_long",
        )
    if not body:
        raise MessageRefused(_("Write a message."), code="body_missing")
    if len(body) > BODY_MAX_LENGTH:
        raise MessageRefused(
            _("The message can be at most %(limit)s characters.") % {"limit": BODY_MAX_LENGTH},
            code="body_too_long",
        )
    return subject, body


def _add_message(
    *,
    conversation: Conversation,
    direction: str,
    author: User | None,
    subject: str,
    body: str,
    uploads: Sequence,
    document_owner: User,
) -> Message:
    """Seal and save one message with its attachments (inside the caller's transaction)."""
    if len(uploads) > MAX_ATTACHMENTS:
        raise MessageRefused(
            _("You can attach at most %(limit)s files.") % {"limit": MAX_ATTACHMENTS},
            code="too_many_files",
        )
    message = Message(conversation=conversation, direction=direction, author=author)
    seal_field_text(message, "subject_sealed", subject)
    seal_field_text(message, "body_sealed", body)
    message.full_clean(exclude=["conversation"])
    message.save(force_insert=True)
    stored = []
    file_limit = attachment_max_bytes()
    remaining = settings.SECUREMAIL_UPLOAD_MAX_BYTES
    try:
        for upload in uploads:
            # Each file may take what the message has left, so the total is held on the bytes
            # read as well (a claimed size may lie), and no file is written past it.
            max_bytes = min(file_limit, remaining)
            if max_bytes <= 0:
                raise MessageRefused(message_too_large_message(), code="message_too_large")
            try:
                document = document_store(
                    owner=document_owner,
                    uploaded_file=upload,
                    purpose=DOCUMENT_PURPOSE,
                    max_bytes=max_bytes,
                )
            except DocumentRejected as error:
                if error.code == "too_large" and max_bytes < file_limit:
                    raise MessageRefused(
                        message_too_large_message(), code="message_too_large"
                    ) from error
                raise
            stored.append(document.storage_name)
            remaining -= document.size
            Attachment.objects.create(message=message, document=document)
    except BaseException as error:
        # The caller's transaction rolls back the rows; the blobs already written go now rather
        # than waiting for the orphan sweeper.
        for name in stored:
            delete_blob(name)
        if isinstance(error, DocumentRejected):
            raise MessageRefused(error.messages[0], code=error.code) from error
        raise
    side = "authority" if direction == Direction.FROM_AUTHORITY else "public"
    audit_record(
        action=f"securemail.message_sent_by_{side}",
        actor=author,
        target=message,
        details={"conversation": str(conversation.pk), "attachments": len(uploads)},
    )
    return message


@transaction.atomic
def conversation_start(
    *,
    correspondent: Correspondent,
    topic: Topic,
    subject: str,
    body: str,
    uploads: Sequence = (),
    language: str = "",
    case_id: int | None = None,
    now: datetime | None = None,
) -> Conversation:
    """Start a conversation from the public's side and send the receipt notification.

    `case_id` is for a signed-in sender writing about their own case; the caller has checked that
    the case is theirs. Raises MessageRefused (nothing is saved) for text or files that are refused.
    """
    if not topic.active:
        raise ValidationError("inactive topic", code="topic_inactive")
    subject, body = _clean_text(subject, body, subject_required=True)
    now = now or timezone.now()
    address = email_normalize(correspondent.email)
    conversation = Conversation(
        topic=topic,
        unit_id=topic.unit_id,
        case_id=case_id,
        user=correspondent.user,
        correspondent_email_hash=email_hash(address),
        language=(language or settings.LANGUAGE_CODE)[:5],
        **_dates(now),
    )
    seal_field_text(conversation, "correspondent_email_sealed", address)
    conversation.full_clean()
    conversation.save(force_insert=True)
    _add_message(
        conversation=conversation,
        direction=Direction.FROM_PUBLIC,
        author=correspondent.user,
        subject=subject,
        body=body,
        uploads=uploads,
        document_owner=correspondent.user or _public_documents_owner(),
    )
    audit_record(
        action="securemail.conversation_started",
        actor=correspondent.user,
        target=conversation,
        details={"topic": topic.code, "unit": conversation.unit_id},
    )
    _notify(conversation, template="receipt", kind="securemail_receipt")
    return conversation


def _ensure_open(conversation: Conversation) -> None:
    if conversation.status != ConversationStatus.OPEN:
        raise ConversationClosed(str(conversation.pk))


def _touch(conversation: Conversation, now: datetime) -> None:
    for name, value in _dates(now).items():
        setattr(conversation, name, value)
    conversation.save(update_fields=list(_dates(now)))


@transaction.atomic
def message_send_from_public(
    *,
    conversation: Conversation,
    correspondent: Correspondent,
    body: str,
    subject: str = "",
    uploads: Sequence = (),
    now: datetime | None = None,
) -> Message:
    """An answer from the correspondent in their own conversation (the caller scoped it)."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _ensure_open(conversation)
    subject, body = _clean_text(subject, body, subject_required=False)
    message = _add_message(
        conversation=conversation,
        direction=Direction.FROM_PUBLIC,
        author=correspondent.user,
        subject=subject,
        body=body,
        uploads=uploads,
        document_owner=correspondent.user or _public_documents_owner(),
    )
    _touch(conversation, now or timezone.now())
    return message


@transaction.atomic
def message_send_from_authority(
    *,
    conversation: Conversation,
    author: User,
    body: str,
    subject: str = "",
    uploads: Sequence = (),
    now: datetime | None = None,
) -> Message:
    """The authority's reply (the caller scoped the conversation by the caseworker's units).

    The correspondent gets a notification without content and without a link.
    """
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    _ensure_open(conversation)
    subject, body = _clean_text(subject, body, subject_required=False)
    message = _add_message(
        conversation=conversation,
        direction=Direction.FROM_AUTHORITY,
        author=author,
        subject=subject,
        body=body,
        uploads=uploads,
        document_owner=author,
    )
    # A reply answers everything the sender wrote before it.
    conversation.messages.filter(
        direction=Direction.FROM_PUBLIC, read_by_authority_at__isnull=True
    ).update(read_by_authority_at=now or timezone.now())
    _touch(conversation, now or timezone.now())
    _notify(conversation, template="new_message", kind="securemail_new_message")
    return message


def _notify(conversation: Conversation, *, template: str, kind: str) -> None:
    email_send_templated(
        to=conversation.correspondent_email,
        template_prefix=f"securemail/email/{template}",
        context={
            "answer_within_days": settings.SECUREMAIL_ANSWER_WITHIN_DAYS,
            "visible_days": settings.SECUREMAIL_VISIBLE_DAYS,
            "official_address": official_address(),
        },
        language=conversation.language,
        kind=kind,
    )


def _open(message: Message) -> OpenedMessage:
    return OpenedMessage(
        message=message,
        subject=message.subject,
        body=message.body,
        attachments=tuple(message.attachments.all()),
    )


def _conversation_open(
    conversation: Conversation,
    *,
    read_direction: str,
    receipt: str,
    action: str,
    actor,
    request,
    now,
) -> list[OpenedMessage]:
    """Open every message of the conversation for one side: the other side's messages get this
    side's read receipt, and every message opened is audited."""
    now = now or timezone.now()
    messages = list(
        conversation.messages.select_related("author").prefetch_related("attachments__document")
    )
    conversation.messages.filter(direction=read_direction, **{f"{receipt}__isnull": True}).update(
        **{receipt: now}
    )
    for message in messages:
        audit_record(action=action, request=request, actor=actor, target=message)
    return [_open(message) for message in messages]


@transaction.atomic
def conversation_open_for_correspondent(
    *, conversation: Conversation, actor: User | None = None, request=None, now=None
) -> list[OpenedMessage]:
    """The messages of the correspondent's own conversation, opened; the authority's messages are
    marked read (read receipts) and every message opened is audited."""
    return _conversation_open(
        conversation,
        read_direction=Direction.FROM_AUTHORITY,
        receipt="read_by_correspondent_at",
        action="securemail.message_opened_by_correspondent",
        actor=actor,
        request=request,
        now=now,
    )


@transaction.atomic
def conversation_open_for_authority(
    *, conversation: Conversation, actor: User, request=None, now=None
) -> list[OpenedMessage]:
    """The messages opened for a caseworker; the sender's messages are marked read by the
    authority, and every message opened is audited."""
    return _conversation_open(
        conversation,
        read_direction=Direction.FROM_PUBLIC,
        receipt="read_by_authority_at",
        action="securemail.message_opened_by_authority",
        actor=actor,
        request=request,
        now=now,
    )


def attachment_open(
    *, attachment: Attachment, side: str, actor: User | None = None, request=None
) -> Iterator[bytes]:
    """The plaintext of a clean attachment (documents.services.DocumentUnavailable otherwise),
    audited as opened by `side` ("correspondent" or "authority")."""
    if side not in {"correspondent", "authority"}:
        raise ValueError(side)
    stream = document_open_stream(document=attachment.document)
    audit_record(
        action=f"securemail.attachment_opened_by_{side}",
        request=request,
        actor=actor,
        target=attachment,
        details={"document": str(attachment.document_id)},
    )
    return stream


@transaction.atomic
def conversation_assign(
    *, conversation: Conversation, assignee: User | None, actor: User
) -> Conversation:
    conversation.assignee = assignee
    conversation.save(update_fields=["assignee"])
    audit_record(
        action="securemail.conversation_assigned",
        actor=actor,
        target=conversation,
        details={"assignee": assignee.pk if assignee else None},
    )
    return conversation


@transaction.atomic
def conversation_close(*, conversation: Conversation, actor: User) -> Conversation:
    conversation.status = ConversationStatus.CLOSED
    conversation.save(update_fields=["status"])
    audit_record(action="securemail.conversation_closed", actor=actor, target=conversation)
    return conversation


@transaction.atomic
def conversation_reopen(*, conversation: Conversation, actor: User) -> Conversation:
    conversation.status = ConversationStatus.OPEN
    conversation.save(update_fields=["status"])
    audit_record(action="securemail.conversation_reopened", actor=actor, target=conversation)
    return conversation


@transaction.atomic
def conversation_link_case(
    *, conversation: Conversation, case_id: int | None, actor: User
) -> Conversation:
    """Link to a case (None unlinks); the caller has checked the case is in the caseworker's
    scope (casework reads applications, securemail must not)."""
    conversation.case_id = case_id
    conversation.full_clean(exclude=["correspondent_email_sealed"])
    conversation.save(update_fields=["case"])
    audit_record(
        action="securemail.conversation_linked_to_case",
        actor=actor,
        target=conversation,
        details={"case": case_id},
    )
    return conversation


TOPIC_FIELDS = ("code", "name_fi", "name_sv", "name_en", "unit", "ordering", "active")


@transaction.atomic
def topic_create(*, actor: User, request=None, **values) -> Topic:
    """An administrator adds a topic (names in fi, sv and en, the unit it routes to); audited."""
    unknown = set(values) - set(TOPIC_FIELDS)
    if unknown:
        raise TypeError(f"topic_create cannot set {sorted(unknown)}")
    topic = Topic(**values)
    topic.full_clean()
    topic.save()
    audit_record(
        action="securemail.topic_created",
        request=request,
        actor=actor,
        target=topic,
        details={"code": topic.code, "unit": topic.unit_id, "active": topic.active},
    )
    return topic


@transaction.atomic
def topic_update(*, topic: Topic, actor: User, request=None, **changes) -> Topic:
    """Change a topic's names, unit, order or whether it is offered. The code stays: it is how
    the public form names the topic. A deactivated topic is no longer offered; the conversations
    already routed by it keep their unit."""
    allowed = set(TOPIC_FIELDS) - {"code"}
    unknown = set(changes) - allowed
    if unknown:
        raise TypeError(f"topic_update cannot change {sorted(unknown)}")
    topic = Topic.objects.select_for_update().get(pk=topic.pk)
    changed = sorted(name for name, value in changes.items() if getattr(topic, name) != value)
    for name, value in changes.items():
        setattr(topic, name, value)
    topic.full_clean()
    topic.save()
    audit_record(
        action="securemail.topic_changed",
        request=request,
        actor=actor,
        target=topic,
        # Field names only (a short code): the names themselves are in the table.
        details={"code": topic.code, "changed": ",".join(changed)[:64], "active": topic.active},
    )
    return topic

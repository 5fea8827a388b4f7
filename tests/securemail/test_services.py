"""Conversations and messages: sealed at rest, routed by topic, replies notify without content,
read receipts and audit records, assignment, closing and retention."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.securemail.conftest import PDF_BYTES, PNG_BYTES, SENDER, upload

pytestmark = pytest.mark.django_db


def test_a_started_conversation_goes_to_the_topics_unit_with_sealed_text(start_conversation, topic):
    from securemail.models import Conversation, Message

    conversation = start_conversation(body="The secret phrase is plum-42.")
    stored = Conversation.objects.get(pk=conversation.pk)
    assert stored.unit_id == topic.unit_id
    assert stored.correspondent_email == SENDER
    assert SENDER.encode() not in bytes(stored.correspondent_email_sealed)
    message = Message.objects.get(conversation=stored)
    assert message.body == "The secret phrase is plum-42."
    assert b"plum-42" not in bytes(message.body_sealed)
    assert message.subject == "My question"


def test_a_sealed_body_does_not_open_in_another_row(start_conversation):
    from core.crypto import DecryptionError
    from securemail.models import Message

    first = start_conversation(body="first").messages.get()
    second = start_conversation(body="second").messages.get()
    Message.objects.filter(pk=second.pk).update(body_sealed=bytes(first.body_sealed))
    with pytest.raises(DecryptionError):
        Message.objects.get(pk=second.pk).body  # noqa: B018


def test_both_dates_follow_the_settings(start_conversation, settings):
    settings.SECUREMAIL_VISIBLE_DAYS = 7
    settings.SECUREMAIL_RETENTION_DAYS = 40
    before = timezone.now()
    conversation = start_conversation()
    assert before + timedelta(days=7) <= conversation.visible_until
    assert conversation.visible_until <= timezone.now() + timedelta(days=7)
    assert before + timedelta(days=40) <= conversation.delete_after


def test_attachments_are_stored_as_scanned_documents(start_conversation):
    from securemail.models import Attachment

    conversation = start_conversation(uploads=[upload(PDF_BYTES), upload(PNG_BYTES, "a.png")])
    attachments = Attachment.objects.filter(message__conversation=conversation)
    assert attachments.count() == 2
    assert {a.document.content_type for a in attachments} == {"application/pdf", "image/png"}
    assert all(a.document.is_servable for a in attachments)


def test_a_refused_attachment_saves_nothing(start_conversation, tmp_path):
    from securemail.models import Conversation, Message
    from securemail.services import MessageRefused

    with pytest.raises(MessageRefused) as refusal:
        start_conversation(uploads=[upload(PDF_BYTES), upload(b"MZ" + bytes(100), "run.exe")])
    assert refusal.value.code == "type_not_accepted"
    assert not Conversation.objects.exists()
    assert not Message.objects.exists()
    stored = [path for path in (tmp_path / "documents").rglob("*") if path.is_file()]
    assert stored == []


@pytest.mark.parametrize(
    ("subject", "body", "code"),
    [
        ("", "text", "subject_missing"),
        ("s", "   ", "body_missing"),
        ("s", "x" * 20_001, "body_too_long"),
    ],
)
def test_bad_text_is_refused_with_a_reason(start_conversation, subject, body, code):
    from securemail.services import MessageRefused

    with pytest.raises(MessageRefused) as refusal:
        start_conversation(subject=subject, body=body)
    assert refusal.value.code == code


def test_the_authoritys_reply_notifies_without_content_and_marks_the_question_read(
    start_conversation, make_user, smtp_server, django_capture_on_commit_callbacks
):
    from securemail.models import Direction
    from securemail.services import message_send_from_authority

    conversation = start_conversation()
    smtp_server.clear()
    caseworker = make_user(role="caseworker")
    with django_capture_on_commit_callbacks(execute=True):
        message_send_from_authority(
            conversation=conversation,
            author=caseworker,
            body="Your permit answer: the phrase quince-77.",
            uploads=[upload(PDF_BYTES)],
        )
    [mail] = smtp_server.outbox
    assert mail.envelope_to == [SENDER]
    assert "new secure message" in mail.text
    assert "quince-77" not in mail.text and "quince-77" not in mail.html
    question = conversation.messages.get(direction=Direction.FROM_PUBLIC)
    assert question.read_by_authority_at is not None


def test_opening_a_conversation_audits_each_message_and_sets_receipts(
    start_conversation, make_user
):
    from audit.models import AuditEvent
    from securemail.services import (
        conversation_open_for_authority,
        conversation_open_for_correspondent,
        message_send_from_authority,
    )

    conversation = start_conversation()
    caseworker = make_user(role="caseworker")
    opened = conversation_open_for_authority(conversation=conversation, actor=caseworker)
    assert [item.body for item in opened] == ["Hello, I have a question."]
    reply = message_send_from_authority(conversation=conversation, author=caseworker, body="Answer")
    assert reply.read_by_correspondent_at is None
    opened = conversation_open_for_correspondent(conversation=conversation)
    assert [item.body for item in opened] == ["Hello, I have a question.", "Answer"]
    reply.refresh_from_db()
    assert reply.read_by_correspondent_at is not None
    assert AuditEvent.objects.filter(action="securemail.message_opened_by_authority").count() == 1
    assert (
        AuditEvent.objects.filter(action="securemail.message_opened_by_correspondent").count() == 2
    )


def test_an_attachment_opened_is_audited_and_returns_the_plaintext(start_conversation):
    from audit.models import AuditEvent
    from securemail.models import Attachment
    from securemail.services import attachment_open

    conversation = start_conversation(uploads=[upload(PDF_BYTES)])
    attachment = Attachment.objects.get(message__conversation=conversation)
    assert b"".join(attachment_open(attachment=attachment, side="correspondent")) == PDF_BYTES
    assert AuditEvent.objects.filter(
        action="securemail.attachment_opened_by_correspondent", object_id=str(attachment.pk)
    ).exists()


def test_a_closed_conversation_takes_no_answer_until_reopened(start_conversation, make_user):
    from securemail.services import (
        ConversationClosed,
        Correspondent,
        conversation_close,
        conversation_reopen,
        message_send_from_public,
    )

    conversation = start_conversation()
    caseworker = make_user(role="caseworker")
    conversation_close(conversation=conversation, actor=caseworker)
    with pytest.raises(ConversationClosed):
        message_send_from_public(
            conversation=conversation, correspondent=Correspondent(email=SENDER), body="more"
        )
    conversation_reopen(conversation=conversation, actor=caseworker)
    message_send_from_public(
        conversation=conversation, correspondent=Correspondent(email=SENDER), body="more"
    )
    assert conversation.messages.count() == 2


def test_assignment_and_case_link_are_recorded(start_conversation, make_user):
    from audit.models import AuditEvent
    from securemail.services import conversation_assign, conversation_link_case

    conversation = start_conversation()
    caseworker = make_user(role="caseworker")
    conversation_assign(conversation=conversation, assignee=caseworker, actor=caseworker)
    conversation_link_case(conversation=conversation, case_id=None, actor=caseworker)
    conversation.refresh_from_db()
    assert conversation.assignee == caseworker
    assert AuditEvent.objects.filter(action="securemail.conversation_assigned").exists()


def test_every_sealed_column_is_found_by_key_rotation():
    from core.sealed_fields import SealedBinaryField, sealed_fields
    from securemail.models import AccessCode, Conversation, Message

    rotated = {(field.model._meta.label_lower, field.name) for field in sealed_fields()}
    for model in (AccessCode, Conversation, Message):
        for field in model._meta.get_fields():
            if field.name.endswith("_sealed"):
                assert isinstance(field, SealedBinaryField)
                assert (model._meta.label_lower, field.name) in rotated

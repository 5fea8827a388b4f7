"""Selectors scope by the correspondent or by units; anything else is not found."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from tests.securemail.conftest import SENDER

pytestmark = pytest.mark.django_db


def test_a_correspondent_sees_only_their_own_conversations(start_conversation):
    from securemail.access import email_hash
    from securemail.selectors import conversation_for_correspondent, conversations_for_correspondent

    mine = start_conversation(email=SENDER)
    theirs = start_conversation(email="someone@example.org")
    assert list(conversations_for_correspondent(email_hash=email_hash(SENDER))) == [mine]
    with pytest.raises(Http404):
        conversation_for_correspondent(conversation_id=theirs.pk, email_hash=email_hash(SENDER))
    with pytest.raises(Http404):
        conversation_for_correspondent(conversation_id="not-a-uuid", email_hash=email_hash(SENDER))
    with pytest.raises(Http404):
        conversation_for_correspondent(conversation_id=mine.pk, email_hash=None)


def test_a_signed_in_user_sees_the_conversations_they_started(start_conversation, make_user):
    from securemail.selectors import conversations_for_correspondent

    user = make_user()
    mine = start_conversation(email=user.email, user=user)
    start_conversation(email="someone@example.org")
    assert list(conversations_for_correspondent(user=user)) == [mine]


def test_a_conversation_leaves_the_senders_view_after_its_visible_date(start_conversation):
    from securemail.access import email_hash
    from securemail.selectors import conversations_for_correspondent

    conversation = start_conversation()
    later = conversation.visible_until + timedelta(seconds=1)
    assert not conversations_for_correspondent(email_hash=email_hash(SENDER), now=later).exists()


def test_the_back_office_sees_its_units_with_unread_first(
    start_conversation, other_topic, units, make_user
):
    from securemail.selectors import conversations_for_units
    from securemail.services import conversation_open_for_authority

    read = start_conversation()
    conversation_open_for_authority(conversation=read, actor=make_user(role="caseworker"))
    unread = start_conversation()
    elsewhere = start_conversation(topic=other_topic)
    from securemail.models import Conversation

    Conversation.objects.filter(pk=read.pk).update(last_activity_at=timezone.now())
    inbox = list(conversations_for_units(unit_ids=[units[0].pk]))
    assert inbox == [unread, read]
    assert inbox[0].unread_count == 1
    assert elsewhere not in inbox


def test_active_topics_in_order(topic, other_topic):
    from securemail.selectors import topics_active

    other_topic.active = False
    other_topic.save()
    assert list(topics_active()) == [topic]

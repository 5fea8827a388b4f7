"""The demo data gives Securemail its topics, each routed to a demo unit; a second run adds none."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_casework_demo_creates_the_topics_once():
    from casework.demo import load_casework_demo
    from securemail.models import Topic

    load_casework_demo()
    codes = set(Topic.objects.values_list("code", flat=True))
    assert codes == {"residence-permit", "citizenship", "other"}
    assert all(topic.unit_id for topic in Topic.objects.all())
    load_casework_demo()
    assert Topic.objects.count() == 3


def test_the_demo_puts_two_sealed_conversations_in_the_caseworkers_secure_inbox(
    django_capture_on_commit_callbacks, smtp_server
):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from applications.demo import load_demo_data
    from casework.demo import load_casework_demo
    from securemail.demo import DEMO_CONVERSATIONS
    from securemail.models import Conversation, Direction, Message
    from tests.conftest import sign_in_with_second_factor

    with django_capture_on_commit_callbacks(execute=True):
        load_demo_data()
        load_casework_demo()
    load_casework_demo()
    assert Conversation.objects.count() == len(DEMO_CONVERSATIONS) == 2
    assert Message.objects.filter(direction=Direction.FROM_AUTHORITY).count() == 1

    # Sealed like all others: neither subject nor body is in the table as written.
    with connection.cursor() as cursor:
        cursor.execute("SELECT subject_sealed, body_sealed FROM securemail_message")
        stored = b"".join(bytes(value) for row in cursor.fetchall() for value in row)
    for _address, _language, _topic, subject, body, _reply in DEMO_CONVERSATIONS:
        assert subject.encode() not in stored and body[:30].encode() not in stored

    caseworker = User.objects.get(email="caseworker@demo.invalid")
    client = sign_in_with_second_factor(Client(), caseworker)
    inbox = client.get(reverse("casework:securemail_inbox"))
    assert inbox.status_code == 200
    for conversation in Conversation.objects.all():
        url = reverse("casework:securemail_conversation", args=[conversation.pk])
        assert url in inbox.content.decode()
        subject = conversation.messages.first().subject
        assert subject in client.get(url).content.decode()


def test_load_demo_data_says_where_securemail_is_and_where_the_codes_arrive(
    django_capture_on_commit_callbacks, smtp_server
):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_data", port=8123, stdout=out)
    printed = out.getvalue()
    assert "http://localhost:8123/securemail/" in printed
    assert "http://localhost:8123/accounts/dev-mailbox/" in printed
    assert "http://localhost:8123/casework/securemail/" in printed
    assert "http://localhost:8123/securemail/topics/" in printed

"""Securemail's public forms are safe to submit twice (a double click, a resent request, the back
button): one code email, one conversation, one answer; the second click sees the first's result."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.applications.test_double_submission import token_from
from tests.securemail.conftest import PDF_BYTES, SENDER, upload
from tests.securemail.test_public_pages import _code_from, _run_commits, post, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db


def test_asking_for_a_code_twice_with_one_form_sends_one_email(client, smtp_server):
    url = reverse("securemail:start")
    data = {"email": SENDER, "submission_token": token_from(client.get(url))}
    first = post(client, url, data)
    second = post(client, url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("securemail:code")
    assert len(smtp_server.outbox) == 1


def test_typing_the_code_twice_lands_in_the_inbox_both_times(client, smtp_server):
    post(client, reverse("securemail:start"), {"email": SENDER})
    [mail] = smtp_server.outbox
    url = reverse("securemail:code")
    data = {"code": _code_from(mail), "submission_token": token_from(client.get(url))}
    first = post(client, url, data)
    # Without the token the used code would be refused; with it the second click is the first's.
    second = post(client, url, data)
    assert first["Location"] == second["Location"] == reverse("securemail:inbox")
    page = client.get(second["Location"]).content.decode()
    assert "This form has already been sent. Here is the result." in page


def test_sending_a_new_message_twice_makes_one_conversation(client, smtp_server, topic):
    from securemail.models import Conversation, Message

    sign_in(client, smtp_server)
    url = reverse("securemail:new")
    token = token_from(client.get(url))
    responses = [
        post(
            client,
            url,
            {
                "topic": topic.code,
                "subject": "About my permit",
                "body": "Sent once",
                "attachments": [upload(PDF_BYTES)],
                "submission_token": token,
            },
        )
        for _ in range(2)
    ]
    assert [response.status_code for response in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert Conversation.objects.count() == 1
    assert Message.objects.count() == 1
    assert len(smtp_server.outbox) == 1  # one receipt


def test_a_refused_message_forgets_its_token_so_the_corrected_one_goes_through(
    client, smtp_server, topic
):
    from securemail.models import Conversation

    sign_in(client, smtp_server)
    url = reverse("securemail:new")
    token = token_from(client.get(url))
    data = {"topic": topic.code, "subject": "About my permit", "submission_token": token}
    assert post(client, url, {**data, "body": ""}).status_code == 400
    assert post(client, url, {**data, "body": "Now with a body"}).status_code == 302
    assert Conversation.objects.count() == 1


def test_answering_twice_with_one_form_adds_one_message(client, smtp_server, topic):
    from securemail.models import Conversation, Message

    sign_in(client, smtp_server)
    post(
        client,
        reverse("securemail:new"),
        {"topic": topic.code, "subject": "About my permit", "body": "First"},
    )
    conversation = Conversation.objects.get()
    url = reverse("securemail:conversation", args=[conversation.pk])
    data = {"body": "An answer", "submission_token": token_from(client.get(url))}
    first = post(client, url, data)
    second = post(client, url, data)
    assert first["Location"] == second["Location"] == url
    assert Message.objects.filter(conversation=conversation).count() == 2

"""Issue 9's done-when journey with the test client and the real SMTP server on loopback: a person
without an account sends a secure message with two attachments; a caseworker reads it and replies
with an attachment; the person reads the reply after a one-time code, and answers."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.notifications.test_case_notifications import CODE_PATTERN, LINK_MARKERS
from tests.securemail.conftest import PDF_BYTES, PNG_BYTES, upload

pytestmark = pytest.mark.django_db

PERSON = "mai.virtanen@example.org"


@pytest.fixture
def post(django_capture_on_commit_callbacks):
    def _post(client, url, data):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return _post


def one_time_code(client, smtp_server, post) -> None:
    """Ask for a code at the official address and type it, as the person does."""
    smtp_server.clear()
    assert post(client, reverse("securemail:start"), {"email": PERSON}).status_code == 302
    [mail] = smtp_server.outbox
    code = re.search(r"\b(\d{4} \d{4})\b", mail.text).group(1)
    assert post(client, reverse("securemail:code"), {"code": code}).status_code == 302
    smtp_server.clear()


def assert_no_content_or_link(mail, *secrets):
    for part in (str(mail.message["Subject"]), mail.text, mail.html):
        lowered = part.lower()
        for marker in LINK_MARKERS:
            assert marker not in lowered
        for secret in secrets:
            assert secret.lower() not in lowered
    assert CODE_PATTERN.search(mail.text)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_done_when_journey(
    caseworker_client, caseworker, work_topic, smtp_server, post, language
):
    from audit.models import AuditEvent
    from securemail.access import official_address
    from securemail.models import Conversation

    # 1. A person without an account writes, with two attachments (their own browser: the
    # caseworker's client is the `client` fixture).
    client = Client()
    client.cookies["django_language"] = language
    one_time_code(client, smtp_server, post)
    response = post(
        client,
        reverse("securemail:new"),
        {
            "topic": work_topic.code,
            "subject": "Työsopimus",
            "body": "My employer is Oy Esimerkki Ab.",
            "attachments": [upload(PDF_BYTES, "contract.pdf"), upload(PNG_BYTES, "photo.png")],
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert client.get(response["Location"]).status_code == 200
    [receipt] = smtp_server.outbox
    assert_no_content_or_link(receipt, "Esimerkki", "contract", "Työsopimus", "virtanen")

    # 2. The caseworker sees it unread first, reads it and both files, and replies with a file.
    inbox = caseworker_client.get(reverse("casework:securemail_inbox"))
    assert inbox.context["page"].object_list[0].pk == conversation.pk
    assert inbox.context["page"].object_list[0].unread_count == 1
    page = caseworker_client.get(
        reverse("casework:securemail_conversation", args=[conversation.pk])
    )
    assert "My employer is Oy Esimerkki Ab." in page.content.decode()
    first = conversation.messages.get()
    for attachment, content in zip(
        # application/pdf, then image/png
        sorted(first.attachments.select_related("document"), key=lambda a: a.document.content_type),
        (PDF_BYTES, PNG_BYTES),
        strict=True,
    ):
        download = caseworker_client.get(
            reverse("casework:securemail_attachment", args=[conversation.pk, attachment.pk])
        )
        assert b"".join(download.streaming_content) == content
    smtp_server.clear()
    response = post(
        caseworker_client,
        reverse("casework:securemail_conversation", args=[conversation.pk]),
        {"body": "Please also send your pay slip.", "attachments": [upload(PDF_BYTES, "form.pdf")]},
    )
    assert response.status_code == 302
    [notification] = smtp_server.outbox
    assert notification.envelope_to == [PERSON]
    assert official_address() in notification.text
    assert_no_content_or_link(notification, "pay slip", "form", "Esimerkki", "virtanen")

    # 3. The person, in a new browser, types the official address and a one-time code.
    browser = Client()
    browser.cookies["django_language"] = language
    one_time_code(browser, smtp_server, post)
    page = browser.get(reverse("securemail:conversation", args=[conversation.pk]))
    assert "Please also send your pay slip." in page.content.decode()
    reply = conversation.messages.get(direction="from_authority")
    download = browser.get(
        reverse("securemail:attachment", args=[conversation.pk, reply.attachments.get().pk])
    )
    assert b"".join(download.streaming_content) == PDF_BYTES

    # 4. They answer; the caseworker sees the answer unread and the read receipt of the reply.
    response = post(
        browser,
        reverse("securemail:conversation", args=[conversation.pk]),
        {"body": "Here it is.", "attachments": [upload(PDF_BYTES, "payslip.pdf")]},
    )
    assert response.status_code == 302
    inbox = caseworker_client.get(reverse("casework:securemail_inbox"))
    assert inbox.context["page"].object_list[0].unread_count == 1
    page = caseworker_client.get(
        reverse("casework:securemail_conversation", args=[conversation.pk])
    ).content.decode()
    assert "Here it is." in page
    assert "Not read by the sender yet" not in page
    opened = set(
        AuditEvent.objects.filter(action__startswith="securemail.").values_list("action", flat=True)
    )
    assert {
        "securemail.message_opened_by_authority",
        "securemail.attachment_opened_by_authority",
        "securemail.message_opened_by_correspondent",
        "securemail.attachment_opened_by_correspondent",
    } <= opened

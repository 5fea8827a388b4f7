"""What both sides of a secure conversation see alike: a file not scanned clean is named but never
offered or served (pending, infected, failed), and the two dates, when the conversation leaves the
sender's view and when it is deleted, on the sender's pages and on the caseworker's."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats, timezone, translation

from tests.securemail.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db

SENDER = "sender@example.org"


@pytest.fixture
def sender_client(smtp_server, django_capture_on_commit_callbacks):
    """A browser of its own (the caseworker's is `client`) verified for SENDER by a one-time
    code (the code email's on-commit work runs)."""
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("securemail:start"), {"email": SENDER})
    code = re.search(r"\b(\d{4} \d{4})\b", smtp_server.outbox[-1].text).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("securemail:code"), {"code": code}).status_code == 302
    return client


@pytest.fixture
def unscanned_conversation(work_topic):
    """A conversation whose attachment's virus scan has not run: the scan is on-commit work, and
    the test's transaction never commits."""
    from securemail.services import Correspondent, conversation_start

    return conversation_start(
        correspondent=Correspondent(email=SENDER),
        topic=work_topic,
        subject="Question",
        body="See the file",
        uploads=[upload(PDF_BYTES, "scan-me.pdf")],
        language="en",
    )


@pytest.mark.parametrize("scan_status", ["pending", "infected", "failed"])
def test_a_file_not_scanned_clean_is_neither_offered_nor_served_on_either_side(
    sender_client, caseworker_client, unscanned_conversation, scan_status
):
    from documents.models import Document

    attachment = unscanned_conversation.messages.get().attachments.get()
    Document.objects.filter(pk=attachment.document_id).update(scan_status=scan_status)
    sides = [
        (
            sender_client,
            reverse("securemail:conversation", args=[unscanned_conversation.pk]),
            reverse("securemail:attachment", args=[unscanned_conversation.pk, attachment.pk]),
        ),
        (
            caseworker_client,
            reverse("casework:securemail_conversation", args=[unscanned_conversation.pk]),
            reverse(
                "casework:securemail_attachment", args=[unscanned_conversation.pk, attachment.pk]
            ),
        ),
    ]
    for browser, page_url, file_url in sides:
        page = browser.get(page_url).content.decode()
        assert "scan-me.pdf" in page
        assert file_url not in page
        response = browser.get(file_url)
        assert response.status_code == 409
        assert not getattr(response, "streaming", False)
        assert PDF_BYTES not in response.content
    # Once the scan passes, both sides are offered and served the file.
    Document.objects.filter(pk=attachment.document_id).update(scan_status="clean")
    for browser, page_url, file_url in sides:
        assert file_url in browser.get(page_url).content.decode()
        response = browser.get(file_url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF_BYTES


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_both_dates_are_shown_to_the_sender_and_to_the_caseworker(
    sender_client, caseworker_client, start_secure_conversation, settings, language
):
    settings.SECUREMAIL_VISIBLE_DAYS = 11
    settings.SECUREMAIL_RETENTION_DAYS = 47
    conversation = start_secure_conversation(email=SENDER, language=language)
    for browser in (sender_client, caseworker_client):
        browser.cookies["django_language"] = language
    # The pages show the days in the site's time zone, as Django's date filter does: the UTC
    # date differs from it for part of every day (Helsinki's midnight is 21:00 or 22:00 UTC).
    visible_until = timezone.localtime(conversation.visible_until)
    delete_after = timezone.localtime(conversation.delete_after)
    with translation.override(language):
        visible_long = formats.date_format(visible_until)
        deleted_long = formats.date_format(delete_after)
        visible_short = formats.date_format(visible_until, "SHORT_DATE_FORMAT")
        deleted_short = formats.date_format(delete_after, "SHORT_DATE_FORMAT")
    for url in (
        reverse("securemail:inbox"),
        reverse("securemail:conversation", args=[conversation.pk]),
        reverse("securemail:sent", args=[conversation.pk]),
    ):
        page = sender_client.get(url).content.decode()
        assert visible_long in page and deleted_long in page, url
    page = caseworker_client.get(
        reverse("casework:securemail_conversation", args=[conversation.pk])
    ).content.decode()
    assert visible_short in page and deleted_short in page

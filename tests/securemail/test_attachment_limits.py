"""Securemail's own attachment limits: larger than the e-service's, per file and per message,
refused before the body is stored and without leaving a file on disk."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.securemail.conftest import PDF_BYTES, upload
from tests.securemail.test_public_pages import _run_commits, send_new, sign_in  # noqa: F401

pytestmark = pytest.mark.django_db

E_SERVICE_LIMIT = 4096
FILE_LIMIT = 200_000
MESSAGE_LIMIT = 300_000


@pytest.fixture(autouse=True)
def _limits(settings, tmp_path):
    settings.UPLOAD_MAX_BYTES = E_SERVICE_LIMIT
    settings.SECUREMAIL_ATTACHMENT_MAX_BYTES = FILE_LIMIT
    settings.SECUREMAIL_UPLOAD_MAX_BYTES = MESSAGE_LIMIT
    # Files over 10 kB go to this folder while the body arrives; nothing may stay there.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()


def _pdf(size: int, name: str = "scan.pdf"):
    return upload(PDF_BYTES + b"%" * (size - len(PDF_BYTES)), name)


def _files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


def test_a_file_over_the_e_services_limit_but_within_securemails_is_sent(
    client, smtp_server, topic, tmp_path
):
    from securemail.models import Conversation

    sign_in(client, smtp_server)
    response = send_new(client, topic, files=[_pdf(150_000)])
    assert response.status_code == 302
    [attachment] = Conversation.objects.get().messages.get().attachments.all()
    assert attachment.document.size == 150_000
    assert _files_under(tmp_path / "incoming") == []


def test_a_file_over_securemails_file_limit_is_refused_and_nothing_is_left(
    client, smtp_server, topic, tmp_path
):
    from documents.models import Document
    from securemail.models import Conversation

    sign_in(client, smtp_server)
    response = send_new(client, topic, body="Keep this text", files=[_pdf(250_000)])
    page = response.content.decode()
    assert response.status_code == 400
    assert "The file is larger than 0.19 MB" in page
    assert "Keep this text" in page
    assert not Conversation.objects.exists()
    assert not Document.objects.exists()
    assert _files_under(tmp_path / "incoming") == []
    assert _files_under(tmp_path / "documents") == []


def test_files_within_the_file_limit_but_over_the_message_limit_are_refused(
    client, smtp_server, topic, tmp_path
):
    from securemail.models import Conversation

    sign_in(client, smtp_server)
    files = [_pdf(150_000, "one.pdf"), _pdf(150_000, "two.pdf"), _pdf(150_000, "three.pdf")]
    response = send_new(client, topic, files=files)
    assert response.status_code == 400
    assert "too large together: at most 0.29 MB in one message" in response.content.decode()
    assert not Conversation.objects.exists()
    assert _files_under(tmp_path / "incoming") == []
    assert _files_under(tmp_path / "documents") == []


def test_the_page_names_securemails_file_limit(client, smtp_server, topic, settings):
    settings.SECUREMAIL_ATTACHMENT_MAX_BYTES = 400 * 1024 * 1024
    settings.SECUREMAIL_UPLOAD_MAX_BYTES = 400 * 1024 * 1024
    sign_in(client, smtp_server)
    page = client.get(reverse("securemail:new")).content.decode()
    assert "at most 400 MB each" in page


def test_the_service_holds_the_message_total_on_the_bytes_read(topic, tmp_path):
    # Callers other than the pages (the back office, commands) pass no upload handler.
    from securemail.models import Conversation
    from securemail.services import Correspondent, MessageRefused, conversation_start

    with pytest.raises(MessageRefused) as refused:
        conversation_start(
            correspondent=Correspondent(email="sender@example.org"),
            topic=topic,
            subject="Files",
            body="Two files",
            uploads=[_pdf(180_000, "one.pdf"), _pdf(180_000, "two.pdf")],
        )
    assert refused.value.code == "message_too_large"
    assert not Conversation.objects.exists()
    assert _files_under(tmp_path / "documents") == []


def test_the_service_refuses_one_file_over_the_file_limit(topic, tmp_path):
    from securemail.services import Correspondent, MessageRefused, conversation_start

    with pytest.raises(MessageRefused) as refused:
        conversation_start(
            correspondent=Correspondent(email="sender@example.org"),
            topic=topic,
            subject="Files",
            body="One file",
            uploads=[_pdf(FILE_LIMIT + 1)],
        )
    assert refused.value.code == "too_large"
    assert _files_under(tmp_path / "documents") == []


def test_the_file_limit_is_never_above_the_message_limit(settings):
    from securemail.services import attachment_max_bytes

    settings.SECUREMAIL_ATTACHMENT_MAX_BYTES = 10 * MESSAGE_LIMIT
    assert attachment_max_bytes() == MESSAGE_LIMIT
    settings.SECUREMAIL_ATTACHMENT_MAX_BYTES = 1000
    assert attachment_max_bytes() == 1000


def test_the_default_limits_are_turvaviestis_400_mb_and_the_e_service_keeps_20_mb():
    from config.settings import (
        SECUREMAIL_ATTACHMENT_MAX_BYTES,
        SECUREMAIL_UPLOAD_MAX_BYTES,
        UPLOAD_MAX_BYTES,
    )

    assert SECUREMAIL_ATTACHMENT_MAX_BYTES == 400 * 1024 * 1024
    assert SECUREMAIL_UPLOAD_MAX_BYTES == 400 * 1024 * 1024
    assert UPLOAD_MAX_BYTES == 20 * 1024 * 1024

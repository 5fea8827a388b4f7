"""Securemail's attachments are encrypted into their blobs while the body arrives (no temporary
file, one pass): what is stored reads back, and every refusal leaves nothing stored. On disk and on
a real S3 server alike (documents_backend)."""

from __future__ import annotations

import io

import pytest
from django.test.client import encode_multipart
from django.urls import reverse

from tests.documents.conftest import EXE_BYTES
from tests.securemail.conftest import PDF_BYTES, upload
from tests.securemail.test_public_pages import _run_commits, post, send_new, sign_in  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_backend")]

FILE_LIMIT = 300_000
MESSAGE_LIMIT = 500_000


@pytest.fixture(autouse=True)
def _limits(settings, tmp_path):
    settings.SECUREMAIL_ATTACHMENT_MAX_BYTES = FILE_LIMIT
    settings.SECUREMAIL_UPLOAD_MAX_BYTES = MESSAGE_LIMIT
    # The old path would copy any file over 10 kB here first; the streamed one never does.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "incoming")
    (tmp_path / "incoming").mkdir()


def _pdf(size: int, name: str = "scan.pdf", filler: bytes = b"%"):
    return upload(PDF_BYTES + filler * (size - len(PDF_BYTES)), name)


def _files_under(folder) -> list:
    return [path for path in folder.rglob("*") if path.is_file()]


@pytest.fixture
def _nothing_stored(documents_backend, tmp_path):
    def check() -> None:
        from documents.models import Document
        from securemail.models import Conversation

        assert not Conversation.objects.exists()
        assert not Document.objects.exists()
        assert documents_backend.object_names() == []
        assert documents_backend.unfinished_uploads() == []
        assert _files_under(tmp_path / "incoming") == []

    return check


def test_an_attachment_is_sealed_as_it_arrives_and_reads_back_whole(
    client, smtp_server, topic, tmp_path, documents_backend
):
    from documents.services import document_open_stream
    from securemail.models import Conversation

    content = PDF_BYTES + bytes(range(256)) * 1000  # several 64 KiB chunks, not a multiple of one
    sign_in(client, smtp_server)
    response = send_new(client, topic, files=[upload(content, "letter.pdf")])
    assert response.status_code == 302
    [attachment] = Conversation.objects.get().messages.get().attachments.all()
    document = attachment.document
    assert document.size == len(content)
    assert document.content_type == "application/pdf"
    assert document.original_filename == "letter.pdf"
    assert document.scan_status == "clean"
    assert b"".join(document_open_stream(document=document)) == content
    # One blob, ciphertext only; no temporary copy of the plaintext was ever written.
    [blob] = documents_backend.object_names()
    assert blob.endswith(f"/{document.pk.hex}.psdoc")
    assert bytes(range(256)) * 4 not in documents_backend.read(blob)
    assert _files_under(tmp_path / "incoming") == []


def test_a_file_of_another_type_by_content_is_refused_and_nothing_is_written(
    client, smtp_server, topic, _nothing_stored
):
    sign_in(client, smtp_server)
    # Named .pdf, sent as a PDF, larger than a chunk: a Windows program all the same.
    program = upload(EXE_BYTES + bytes(200_000), "invoice.pdf")
    response = send_new(client, topic, body="Keep this text", files=[program])
    page = response.content.decode()
    assert response.status_code == 400
    assert "This type of file is not accepted" in page
    assert "Keep this text" in page
    _nothing_stored()


def test_a_refused_second_file_takes_the_first_files_blob_with_it(
    client, smtp_server, topic, _nothing_stored
):
    sign_in(client, smtp_server)
    program = upload(EXE_BYTES + bytes(100_000), "second.pdf")
    response = send_new(client, topic, files=[_pdf(150_000, "first.pdf"), program])
    assert response.status_code == 400
    assert "This type of file is not accepted" in response.content.decode()
    _nothing_stored()


def test_a_file_over_the_file_limit_is_stopped_and_nothing_is_left(
    client, smtp_server, topic, _nothing_stored
):
    sign_in(client, smtp_server)
    response = send_new(client, topic, files=[_pdf(150_000, "first.pdf"), _pdf(400_000)])
    assert response.status_code == 400
    assert "The file is larger than" in response.content.decode()
    _nothing_stored()


def test_files_over_the_message_limit_are_stopped_and_nothing_is_left(
    client, smtp_server, topic, _nothing_stored
):
    sign_in(client, smtp_server)
    files = [_pdf(250_000, "one.pdf"), _pdf(250_000, "two.pdf"), _pdf(250_000, "three.pdf")]
    response = send_new(client, topic, files=files)
    assert response.status_code == 400
    assert "too large together" in response.content.decode()
    _nothing_stored()


def test_a_form_that_fails_leaves_no_blob_of_its_valid_file(
    client, smtp_server, topic, _nothing_stored
):
    sign_in(client, smtp_server)
    response = post(
        client,
        reverse("securemail:new"),
        {"topic": topic.code, "subject": "", "body": "No subject", "attachments": [_pdf(100_000)]},
    )
    assert response.status_code == 400
    _nothing_stored()


class _ConnectionLostHalfway(io.BytesIO):
    """A request body whose connection drops halfway (a real part: the read fails as a socket's)."""

    def __init__(self, body: bytes, documents_backend):
        super().__init__(body)
        self.documents_backend = documents_backend
        self.blobs_when_dropped: list = []

    def read(self, size=-1):
        half = len(self.getvalue()) // 2
        if self.tell() >= half:
            # Written so far: a file on disk, or on S3 a multipart upload not yet completed.
            self.blobs_when_dropped = (
                self.documents_backend.object_names() + self.documents_backend.unfinished_uploads()
            )
            raise ConnectionResetError("the client went away")
        left = half - self.tell()
        return super().read(left if size is None or size < 0 else min(size, left))


def test_a_body_cut_off_in_the_middle_of_a_file_leaves_nothing(
    smtp_server, topic, documents_backend, _nothing_stored
):
    from django.test import Client

    client = Client(raise_request_exception=False)
    sign_in(client, smtp_server)
    boundary = "CuTbOuNdArY"
    file = io.BytesIO(PDF_BYTES + b"%" * 200_000)
    file.name = "cut.pdf"
    fields = {"topic": topic.code, "subject": "Cut", "body": "Cut", "attachments": file}
    body = encode_multipart(boundary, fields)
    response = client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=reverse("securemail:new"),
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": (body_reader := _ConnectionLostHalfway(body, documents_backend))},
    )
    assert response.status_code != 302
    # Half the file had arrived and been written before the connection dropped.
    assert len(body_reader.blobs_when_dropped) == 1
    _nothing_stored()


def test_an_upload_recorded_in_a_transaction_that_rolls_back_is_deleted_at_the_end(
    documents_backend,
):
    # The request's end keeps a blob only when its document row exists.
    from documents.incoming import EncryptedUpload, encrypted_uploads_settle

    uploaded = EncryptedUpload(
        name="a.pdf",
        content_type="application/pdf",
        charset=None,
        content_type_extra={},
        max_bytes=FILE_LIMIT,
    )
    uploaded.receive(PDF_BYTES + b"%" * 100_000)
    uploaded.finish()
    assert len(documents_backend.object_names()) == 1
    uploaded.claim()  # as document_store does, but no row is ever committed
    encrypted_uploads_settle([uploaded])
    assert documents_backend.object_names() == []
    with pytest.raises(ValueError):
        uploaded.claim()


def test_the_trust_centers_uploads_still_arrive_as_readable_files(rf):
    # Views not marked stores_documents read their files themselves: the old handlers serve them.
    from django.core.files.uploadhandler import StopFutureHandlers

    from documents.upload_handlers import EncryptingUploadHandler

    request = rf.post("/trust/report/")
    handler = EncryptingUploadHandler(request)
    handler.handle_raw_input(None, {}, 0, "b")
    handler.new_file("message", "mail.eml", "message/rfc822", 10)
    assert handler.receive_data_chunk(b"data", 0) == b"data"
    assert handler.file_complete(4) is None
    # Securemail's page, marked stores_documents, takes its files from the handlers after it.
    securemail = EncryptingUploadHandler(rf.post(reverse("securemail:new")))
    securemail.handle_raw_input(None, {}, 0, "b")
    with pytest.raises(StopFutureHandlers):
        securemail.new_file("attachments", "a.pdf", "application/pdf", 10)
    securemail.file.close()


def test_a_body_that_ends_inside_a_file_sends_no_message_without_it(
    client, smtp_server, topic, _nothing_stored
):
    # The client's end closed early and cleanly (no error on the socket): the body simply ends
    # before its closing boundary, as a server's reader reports a client gone. Django drops the
    # cut file; the message must not go without it.
    sign_in(client, smtp_server)
    boundary = "EnDsEaRlY"
    file = io.BytesIO(PDF_BYTES + b"%" * 200_000)
    file.name = "cut.pdf"
    fields = {"topic": topic.code, "subject": "Cut", "body": "Cut", "attachments": file}
    body = encode_multipart(boundary, fields)
    cut = body[: len(body) // 2]
    response = client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=reverse("securemail:new"),
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": io.BytesIO(cut)},
    )
    # The form again, with the error at the attachments (a refused form answers 400 here).
    assert response.status_code == 400
    assert "The upload stopped before the end of the file" in response.content.decode()
    _nothing_stored()

"""An oversize upload is refused before its body is stored, with a translated error, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.handlers.wsgi import WSGIRequest
from django.test import RequestFactory, override_settings
from django.test.client import encode_multipart

from documents.forms import DocumentUploadForm
from documents.validation import too_large_message
from tests.documents.conftest import PDF_BYTES

pytestmark = pytest.mark.urls("tests.documents.upload_urls")

SMALL_LIMIT = 1024


def _post(client, size: int):
    file = io.BytesIO(PDF_BYTES + b"%" * (size - len(PDF_BYTES)))
    file.name = "big.pdf"
    # The ordinary field comes first, as a browser sends the form's fields in order.
    return client.post("/upload/", {"note": "kept", "file": file})


@override_settings(UPLOAD_MAX_BYTES=SMALL_LIMIT, DATA_UPLOAD_MAX_MEMORY_SIZE=4096)
def test_a_body_whose_length_is_over_the_limit_is_stopped_before_any_file_byte_is_stored(client):
    response = _post(client, 200_000)
    assert response.status_code == 400
    body = response.json()
    assert body["too_large"] is True
    assert body["file_bytes_received"] == 0
    assert body["files"] == []
    assert body["errors"] == [too_large_message()]
    # The fields before the file still arrive: the CSRF token of a real form is one of them.
    assert body["note"] == "kept"


@override_settings(UPLOAD_MAX_BYTES=SMALL_LIMIT)
def test_a_file_that_grows_past_the_limit_is_stopped_by_the_running_total(client):
    # Several of the handler's 64 KiB chunks, so that stopping early is visible.
    response = _post(client, 300_000)
    body = response.json()
    assert response.status_code == 400
    assert body["too_large"] is True
    assert SMALL_LIMIT < body["file_bytes_received"] <= 64 * 1024
    assert body["files"] == []
    assert body["errors"] == [too_large_message()]


@override_settings(UPLOAD_MAX_BYTES=SMALL_LIMIT)
def test_a_client_that_understates_its_length_is_still_stopped_by_the_running_total():
    boundary = "BoUnDaRy"
    file = io.BytesIO(b"%PDF-1.7\n" + b"%" * 300_000)
    file.name = "big.pdf"
    body = encode_multipart(boundary, {"file": file})
    request = WSGIRequest(
        {
            **RequestFactory()._base_environ(),
            "REQUEST_METHOD": "POST",
            "CONTENT_TYPE": f"multipart/form-data; boundary={boundary}",
            # Exactly the body's length, so the parser reads all of it, but under limit + headroom.
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": io.BytesIO(body),
        }
    )
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=len(body)):
        assert request.FILES.get("file") is None
    assert request.upload_too_large is True
    assert request.upload_handlers[0].received <= 64 * 1024


@override_settings(UPLOAD_MAX_BYTES=SMALL_LIMIT)
def test_a_file_within_the_limit_passes(client):
    response = _post(client, 1000)
    assert response.status_code == 200
    assert response.json()["files"] == ["file"]


def test_the_default_limit_reads_20_mb():
    assert "20 MB" in too_large_message()


def test_the_form_turns_the_marked_request_and_a_missing_file_into_field_errors(rf):
    request = rf.post("/upload/")
    missing = DocumentUploadForm(request.POST, request.FILES, request=request)
    assert missing.errors["file"] == ["Choose a file to upload."]
    request.upload_too_large = True
    too_large = DocumentUploadForm(request.POST, request.FILES, request=request)
    assert too_large.errors["file"] == [too_large_message()]

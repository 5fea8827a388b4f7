"""Uploads encrypted into storage while the request body arrives (documents.incoming), through real
requests, on disk and on a real S3 server: what is stored is ciphertext only and reads back, a
refusal or a cut leaves nothing (no object, no unfinished multipart upload), and a large file goes
to S3 in parts with memory that stays flat."""

from __future__ import annotations

import io
import os
import tracemalloc

import pytest
from django.test import Client
from django.test.client import encode_multipart

from documents.blobs import _WRITEV_BATCH, decrypted_chunks, documents_storage, write_pieces
from documents.models import Document
from documents.services import document_open_stream
from tests.conftest import TEST_BUCKET, sign_in_with_second_factor
from tests.documents.conftest import EXE_BYTES, PDF_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.documents.upload_urls")]

URL = "/stored-upload/"
MB = 1024 * 1024
FILE_LIMIT = 64 * MB
# A phrase no ciphertext contains by chance: found in a stored object, it would be plaintext.
PHRASE = b"Matti Meikalainen, passport FI1234567, born 1.1.1990. "


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.TEST_UPLOAD_FILE_BYTES = FILE_LIMIT
    settings.TEST_UPLOAD_TOTAL_BYTES = FILE_LIMIT


@pytest.fixture
def signed_in(client, applicant):
    return sign_in_with_second_factor(client, applicant)


def _pdf(size: int) -> bytes:
    filler = PHRASE * (size // len(PHRASE) + 1)
    return PDF_BYTES + filler[: size - len(PDF_BYTES)]


def _post(client, content: bytes, name: str = "scan.pdf"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(URL, {"file": file})


def _contains(documents_backend, name: str, needle: bytes) -> bool:
    """Whether the stored object holds `needle` (read whole, from outside the storage API)."""
    data = documents_backend.read(name)
    return needle in data


def _opened(document) -> bytes:
    from core.crypto import unwrap_data_key

    data_key = unwrap_data_key(
        document.key_id, bytes(document.wrapped_data_key), associated_data=document.associated_data
    )
    return b"".join(
        decrypted_chunks(
            document.storage_name, data_key=data_key, associated_data=document.associated_data
        )
    )


def test_an_upload_is_sealed_as_it_arrives_and_only_ciphertext_is_stored(
    signed_in, documents_backend
):
    content = _pdf(300_000)  # several 64 KiB chunks, not a multiple of one
    response = _post(signed_in, content)
    assert response.status_code == 200, response.json()
    document = Document.objects.get(pk=response.json()["document"])
    assert document.size == len(content)
    assert documents_backend.object_names() == [document.storage_name]
    for name in documents_backend.object_names():
        assert not _contains(documents_backend, name, PHRASE)
    assert _opened(document) == content
    assert documents_backend.unfinished_uploads() == []


def test_a_clean_streamed_upload_downloads_whole(signed_in, documents_backend):
    content = _pdf(200_000)
    document = Document.objects.get(pk=_post(signed_in, content).json()["document"])
    Document.objects.filter(pk=document.pk).update(scan_status="clean")
    document.refresh_from_db()
    assert b"".join(document_open_stream(document=document)) == content


def test_a_file_of_another_type_writes_nothing(signed_in, documents_backend):
    response = _post(signed_in, EXE_BYTES + bytes(300_000), name="invoice.pdf")
    assert response.status_code == 400
    assert "This type of file is not accepted" in response.json()["errors"][0]
    assert not Document.objects.exists()
    assert documents_backend.object_names() == []
    assert documents_backend.unfinished_uploads() == []


def test_a_file_over_the_limit_is_stopped_and_what_was_written_is_deleted(
    signed_in, documents_backend, settings
):
    settings.TEST_UPLOAD_FILE_BYTES = settings.TEST_UPLOAD_TOTAL_BYTES = 2 * MB
    response = _post(signed_in, _pdf(5 * MB))
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert documents_backend.object_names() == []
    assert documents_backend.unfinished_uploads() == []


class _ConnectionLostHalfway(io.BytesIO):
    """A request body whose connection drops halfway (the read fails as a socket's would)."""

    def __init__(self, body: bytes, documents_backend):
        super().__init__(body)
        self.documents_backend = documents_backend
        self.stored_when_dropped: list = []

    def read(self, size=-1):
        half = len(self.getvalue()) // 2
        if self.tell() >= half:
            self.stored_when_dropped = self.documents_backend.object_names()
            self.unfinished_when_dropped = self.documents_backend.unfinished_uploads()
            raise ConnectionResetError("the client went away")
        left = half - self.tell()
        return super().read(left if size is None or size < 0 else min(size, left))


def test_a_body_cut_off_in_the_middle_of_a_file_leaves_nothing(applicant, documents_backend):
    client = sign_in_with_second_factor(Client(raise_request_exception=False), applicant)
    boundary = "CuTbOuNdArY"
    file = io.BytesIO(_pdf(20 * MB))
    file.name = "cut.pdf"
    body = encode_multipart(boundary, {"file": file})
    reader = _ConnectionLostHalfway(body, documents_backend)
    response = client.request(
        REQUEST_METHOD="POST",
        PATH_INFO=URL,
        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
        CONTENT_LENGTH=str(len(body)),
        **{"wsgi.input": reader},
    )
    assert response.status_code != 200
    # Half the file had been written when the connection dropped: on S3, parts of an upload.
    if documents_backend.name == "s3":
        assert len(reader.unfinished_when_dropped) == 1
    else:
        assert len(reader.stored_when_dropped) == 1
    assert not Document.objects.exists()
    assert documents_backend.object_names() == []
    assert documents_backend.unfinished_uploads() == []


def _write_body(path, boundary: str, size: int) -> int:
    """A multipart body with one file of `size` bytes, written to disk a piece at a time."""
    head = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="large.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    piece = PHRASE * (MB // len(PHRASE))
    with open(path, "wb") as handle:
        handle.write(head + PDF_BYTES)
        remaining = size - len(PDF_BYTES)
        while remaining > 0:
            handle.write(piece[:remaining])
            remaining -= min(remaining, len(piece))
        handle.write(tail)
    return path.stat().st_size


def test_a_large_upload_streams_into_storage_in_parts_with_flat_memory(
    signed_in, documents_backend, tmp_path
):
    size = 40 * MB
    boundary = "LaRgEbOuNdArY"
    body_path = tmp_path / "body"
    length = _write_body(body_path, boundary, size)
    # boto3 loads S3's service model (some 10 MB of objects) once per process and thread, on the
    # first call: that is not the upload's memory.
    documents_storage().exists("warm-up")
    with open(body_path, "rb") as body:
        tracemalloc.start()
        try:
            response = signed_in.request(
                REQUEST_METHOD="POST",
                PATH_INFO=URL,
                CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
                CONTENT_LENGTH=str(length),
                **{"wsgi.input": body},
            )
            _current, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert response.status_code == 200, response.content
    document = Document.objects.get(pk=response.json()["document"])
    assert document.size == size
    # About one 8 MiB part in memory (its buffer and the copy sent), whatever the file's size.
    assert peak < 24 * MB, f"peak {peak / MB:.1f} MB for a {size / MB:.0f} MB upload"
    [_name] = documents_backend.object_names()
    # Not in this object, nor in any other of the bucket (every test's so far).
    assert documents_backend.every_object_holds(PHRASE) == []
    assert documents_backend.every_object_holds(PDF_BYTES[:8]) == []
    if documents_backend.name == "s3":
        key = f"{documents_backend.location}/{_name}"
        head = documents_backend.client().head_object(Bucket=TEST_BUCKET, Key=key, PartNumber=1)
        # 40 MB of ciphertext in 8 MiB parts.
        assert head["PartsCount"] == 5
        assert documents_backend.unfinished_uploads() == []
    opened = _opened(document)
    assert len(opened) == size
    assert opened.startswith(PDF_BYTES + PHRASE)


def test_write_pieces_writes_every_piece_in_order_past_one_writev_batch(tmp_path):
    pieces = [os.urandom(1 + index % 300) for index in range(_WRITEV_BATCH * 2 + 7)]
    pieces[3] = memoryview(pieces[3])
    path = tmp_path / "blob"
    with open(path, "wb", buffering=0) as handle:
        write_pieces(handle, pieces)
        write_pieces(handle, [b"end"])
    assert path.read_bytes() == b"".join(bytes(piece) for piece in pieces) + b"end"

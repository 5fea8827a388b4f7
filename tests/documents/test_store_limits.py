"""document_store's per-call limit: a caller may allow larger files than the e-service does, the
default stays UPLOAD_MAX_BYTES, and a file larger than it claims is stopped at the limit; on disk
and on S3 alike (documents_backend)."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import UploadedFile

from documents.encryption import CHUNK_SIZE, PlaintextTooLarge, StreamEncryptor
from documents.models import Document
from documents.services import DocumentRejected, document_open_stream, document_store
from documents.validation import SNIFF_BYTES
from tests.documents.conftest import PDF_BYTES, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_backend")]


@pytest.fixture
def _stored_files(documents_backend):
    return documents_backend.object_names


def _pdf(size: int) -> bytes:
    return PDF_BYTES + b"%" * (size - len(PDF_BYTES))


def test_the_default_limit_is_the_e_services(applicant, settings, _stored_files):
    settings.UPLOAD_MAX_BYTES = 100_000
    with pytest.raises(DocumentRejected) as refused:
        document_store(owner=applicant, uploaded_file=upload(_pdf(100_001)), purpose="test")
    assert refused.value.code == "too_large"
    assert "0.095 MB" in refused.value.messages[0]
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_a_caller_may_allow_a_file_larger_than_the_e_services_limit(applicant, settings):
    settings.UPLOAD_MAX_BYTES = 100_000
    content = _pdf(300_000)
    document = document_store(
        owner=applicant, uploaded_file=upload(content), purpose="test", max_bytes=300_000
    )
    assert document.size == 300_000
    Document.objects.filter(pk=document.pk).update(scan_status="clean")
    document.refresh_from_db()
    assert b"".join(document_open_stream(document=document)) == content


def test_a_callers_limit_refuses_with_its_own_figure(applicant, settings, _stored_files):
    settings.UPLOAD_MAX_BYTES = 100 * 1024 * 1024
    with pytest.raises(DocumentRejected) as refused:
        document_store(
            owner=applicant,
            uploaded_file=upload(_pdf(3 * 1024 * 1024)),
            purpose="test",
            max_bytes=2 * 1024 * 1024,
        )
    assert "larger than 2 MB" in refused.value.messages[0]
    assert _stored_files() == []


class _CountingReader(io.BytesIO):
    """A file that counts how much of it was read (to show the store stopped at the limit)."""

    bytes_read = 0

    def read(self, size=-1):
        data = super().read(size)
        self.bytes_read += len(data)
        return data


def test_a_file_larger_than_it_claims_is_stopped_at_the_limit_and_leaves_nothing(
    applicant, _stored_files
):
    limit = 4 * CHUNK_SIZE
    source = _CountingReader(_pdf(100 * CHUNK_SIZE))
    # The claimed size passes the first check; the bytes themselves do not.
    lying = UploadedFile(source, name="lie.pdf", size=1000)
    with pytest.raises(DocumentRejected) as refused:
        document_store(owner=applicant, uploaded_file=lying, purpose="test", max_bytes=limit)
    assert refused.value.code == "too_large"
    # The sniff, the limit, the chunk that crossed it and one read ahead: not the 6.5 MB offered.
    assert source.bytes_read <= SNIFF_BYTES + limit + 2 * CHUNK_SIZE
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_the_encryptor_stops_before_encrypting_past_its_limit():
    encryptor = StreamEncryptor(bytes(32), associated_data=b"x", max_plaintext_bytes=CHUNK_SIZE + 1)
    pieces = []
    with pytest.raises(PlaintextTooLarge):
        for piece in encryptor.encrypt(io.BytesIO(bytes(3 * CHUNK_SIZE))):
            pieces.append(piece)
    # The header and the first chunk only; the chunk that crossed the limit was not sealed.
    assert len(pieces) == 2


def test_a_file_exactly_at_the_limit_is_stored(applicant):
    document = document_store(
        owner=applicant,
        uploaded_file=upload(_pdf(2 * CHUNK_SIZE)),
        purpose="test",
        max_bytes=2 * CHUNK_SIZE,
    )
    assert document.size == 2 * CHUNK_SIZE


def test_a_large_file_is_stored_in_parts_and_reads_back(applicant, documents_backend):
    from tests.conftest import TEST_BUCKET

    size = 20 * 1024 * 1024
    content = _pdf(size)
    document = document_store(
        owner=applicant, uploaded_file=upload(content), purpose="test", max_bytes=size
    )
    if documents_backend.name == "s3":
        key = f"{documents_backend.location}/{document.storage_name}"
        head = documents_backend.client().head_object(Bucket=TEST_BUCKET, Key=key, PartNumber=1)
        assert head["PartsCount"] == 3  # 20 MB of ciphertext in 8 MiB parts
    Document.objects.filter(pk=document.pk).update(scan_status="clean")
    document.refresh_from_db()
    assert b"".join(document_open_stream(document=document)) == content

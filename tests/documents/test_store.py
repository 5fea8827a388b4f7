"""Storing a document: checked, encrypted into storage, recorded, then scanned; never half-saved.

Every test runs twice: with the documents on disk and on a real S3 server (documents_backend).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from documents.blobs import documents_storage
from documents.encryption import HEADER_BYTES, TAG_BYTES
from documents.models import Document, ScanStatus
from documents.services import (
    DocumentRejected,
    DocumentUnavailable,
    document_delete,
    document_open_stream,
    document_store,
)
from tests.documents.conftest import EXE_BYTES, PDF_BYTES, PNG_BYTES, upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_backend")]


@pytest.fixture
def _stored_files(documents_backend):
    return documents_backend.object_names


def test_a_stored_document_records_what_was_found_and_reads_back(applicant, store_document):
    document = store_document(applicant, PNG_BYTES, name="../../etc/photo of me.pdf")
    assert document.content_type == "image/png"
    assert document.size == len(PNG_BYTES)
    assert document.original_filename == "photo of me.pdf"
    assert document.scan_status == ScanStatus.CLEAN
    assert document.scanner_name == "none (development)"
    assert b"".join(document_open_stream(document=document)) == PNG_BYTES


def test_the_stored_blob_is_ciphertext_of_the_expected_size(
    applicant, store_document, _stored_files
):
    content = PDF_BYTES + b"%" * 200_000
    document = store_document(applicant, content)
    with documents_storage().open(document.storage_name, "rb") as handle:
        blob = handle.read()
    assert blob.startswith(b"PSDOC")
    assert b"%PDF" not in blob
    assert len(blob) == HEADER_BYTES + len(content) + 4 * TAG_BYTES
    assert _stored_files() == [document.storage_name]


def test_the_filename_is_sealed_in_the_database(applicant, store_document):
    store_document(applicant, PDF_BYTES, name="Matti Meikäläinen passport.pdf")
    assert "Meikäläinen".encode() not in bytes(Document.objects.get().original_filename_sealed)


def test_storing_is_audited_with_ids_only(applicant, store_document):
    document = store_document(applicant, PDF_BYTES)
    event = AuditEvent.objects.get(action="document.stored")
    assert (event.actor_id, event.object_id) == (applicant.pk, str(document.pk))
    assert event.details == {"purpose": "attachment"}


def test_a_refused_file_leaves_no_row_and_no_blob(applicant, _stored_files):
    with pytest.raises(DocumentRejected) as caught:
        document_store(owner=applicant, uploaded_file=upload(EXE_BYTES, "x.pdf"), purpose="x")
    assert isinstance(caught.value, ValidationError)
    assert "PDF, JPEG or PNG" in caught.value.messages[0]
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_a_failure_after_the_blob_is_written_removes_it_and_saves_no_row(applicant, _stored_files):
    # A purpose code longer than the column fails full_clean() after encryption has finished.
    with pytest.raises(ValidationError):
        document_store(owner=applicant, uploaded_file=upload(PDF_BYTES), purpose="p" * 51)
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_a_document_is_pending_until_the_transaction_commits_and_is_not_served(applicant):
    document = document_store(owner=applicant, uploaded_file=upload(PDF_BYTES), purpose="x")
    assert document.scan_status == ScanStatus.PENDING
    with pytest.raises(DocumentUnavailable):
        document_open_stream(document=document)


def test_a_blob_moved_under_another_row_does_not_open(applicant, store_document):
    from core.crypto import DecryptionError

    first = store_document(applicant, PDF_BYTES)
    second = store_document(applicant, PNG_BYTES)
    second.storage_name = first.storage_name
    with pytest.raises(DecryptionError):
        b"".join(document_open_stream(document=second))


def test_a_damaged_blob_does_not_open(applicant, store_document, documents_backend):
    from core.crypto import DecryptionError

    document = store_document(applicant, PDF_BYTES)
    blob = bytearray(documents_backend.read(document.storage_name))
    blob[HEADER_BYTES + 3] ^= 0xFF
    documents_backend.replace(document.storage_name, bytes(blob))
    with pytest.raises(DecryptionError):
        b"".join(document_open_stream(document=document))


def test_deleting_a_document_removes_the_row_and_then_the_blob(
    applicant, store_document, django_capture_on_commit_callbacks, _stored_files
):
    document = store_document(applicant, PDF_BYTES)
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document)
    assert not Document.objects.exists()
    assert _stored_files() == []


@pytest.mark.parametrize("documents_backend", ["filesystem"], indirect=True)
def test_a_backend_that_reads_the_upload_in_pieces_stores_the_same_ciphertext(
    applicant, store_document, settings
):
    from django.core.files.storage import storages

    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {"BACKEND": "tests.documents.reading_storage.ReadingStorage"},
    }
    storages._storages.pop("documents", None)
    content = PDF_BYTES + bytes(range(256)) * 1000
    document = store_document(applicant, content)
    assert documents_storage().size(document.storage_name) == (
        HEADER_BYTES + len(content) + 4 * TAG_BYTES
    )
    assert b"".join(document_open_stream(document=document)) == content


def test_a_blob_left_by_a_rolled_back_caller_is_purged_once_old_enough(
    applicant, store_document, _stored_files
):
    import time
    from datetime import timedelta

    from django.core.management import call_command
    from django.db import transaction

    from documents.services import document_purge_orphan_blobs

    kept = store_document(applicant, PDF_BYTES)

    class CallerFailed(Exception):
        pass

    with pytest.raises(CallerFailed), transaction.atomic():
        orphan = document_store(owner=applicant, uploaded_file=upload(PNG_BYTES), purpose="x")
        raise CallerFailed
    assert not Document.objects.filter(pk=orphan.pk).exists()
    assert sorted(_stored_files()) == sorted([kept.storage_name, orphan.storage_name])

    # Too young: its transaction could still be open.
    assert document_purge_orphan_blobs(older_than=timedelta(hours=1)) == 0
    # An object's time cannot be set back on S3: wait until both are older than one second (S3
    # keeps whole seconds, maybe rounded), then purge what is older than that.
    time.sleep(1.6)
    call_command("purge_orphan_blobs", "--hours", str(1 / 3600))
    assert _stored_files() == [kept.storage_name]

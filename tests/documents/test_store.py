"""Storing a document: checked, encrypted into storage, recorded, then scanned; never half-saved."""

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

pytestmark = pytest.mark.django_db


def _stored_files() -> list[str]:
    storage = documents_storage()
    if not storage.exists(""):
        return []
    folders, files = storage.listdir("")
    return files + [f"{folder}/{name}" for folder in folders for name in storage.listdir(folder)[1]]


def test_a_stored_document_records_what_was_found_and_reads_back(applicant, store_document):
    document = store_document(applicant, PNG_BYTES, name="../../etc/photo of me.pdf")
    assert document.content_type == "image/png"
    assert document.size == len(PNG_BYTES)
    assert document.original_filename == "photo of me.pdf"
    assert document.scan_status == ScanStatus.CLEAN
    assert document.scanner_name == "none (development)"
    assert b"".join(document_open_stream(document=document)) == PNG_BYTES


def test_the_blob_on_disk_is_ciphertext_of_the_expected_size(applicant, store_document):
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


def test_a_refused_file_leaves_no_row_and_no_blob(applicant):
    with pytest.raises(DocumentRejected) as caught:
        document_store(owner=applicant, uploaded_file=upload(EXE_BYTES, "x.pdf"), purpose="x")
    assert isinstance(caught.value, ValidationError)
    assert "PDF, JPEG or PNG" in caught.value.messages[0]
    assert not Document.objects.exists()
    assert _stored_files() == []


def test_a_failure_after_the_blob_is_written_removes_it_and_saves_no_row(applicant):
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


def test_a_damaged_blob_does_not_open(applicant, store_document):
    from core.crypto import DecryptionError

    document = store_document(applicant, PDF_BYTES)
    path = documents_storage().path(document.storage_name)
    with open(path, "r+b") as handle:
        handle.seek(HEADER_BYTES + 3)
        byte = handle.read(1)
        handle.seek(HEADER_BYTES + 3)
        handle.write(bytes([byte[0] ^ 0xFF]))
    with pytest.raises(DecryptionError):
        b"".join(document_open_stream(document=document))


def test_deleting_a_document_removes_the_row_and_then_the_blob(
    applicant, store_document, django_capture_on_commit_callbacks
):
    document = store_document(applicant, PDF_BYTES)
    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document)
    assert not Document.objects.exists()
    assert _stored_files() == []


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


def test_a_blob_left_by_a_rolled_back_caller_is_purged_once_old_enough(applicant, store_document):
    import os
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
    old = time.time() - 2 * 3600
    for name in (kept.storage_name, orphan.storage_name):
        os.utime(documents_storage().path(name), (old, old))
    call_command("purge_orphan_blobs", "--hours", "1")
    assert _stored_files() == [kept.storage_name]

"""Every write to documents: store (check, encrypt, save), scan, quarantine, delete, re-wrap."""

from __future__ import annotations

import logging
import unicodedata
import uuid
from collections.abc import Iterator
from datetime import timedelta

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from audit.services import audit_record
from core.checkpoints import checkpoint
from core.crypto import DecryptionError, keyring, unwrap_data_key, wrap_data_key
from core.sealed_fields import rewrap_all_sealed_fields, seal_field_text
from core.stalled_work import stalled_work_sweep
from documents.blobs import (
    EncryptingFile,
    blob_name,
    decrypted_chunks,
    delete_blob,
    documents_storage,
    stored_blob_names,
)
from documents.encryption import FORMAT_VERSION, PlaintextTooLarge, StreamEncryptor
from documents.models import Document, ScanStatus
from documents.scanners import ScanFailed, get_scanner
from documents.selectors import servable
from documents.validation import empty_message, too_large_message, validate_upload

logger = logging.getLogger(__name__)

MAX_FILENAME_LENGTH = 200


class DocumentRejected(ValidationError):
    """The upload is refused; `messages[0]` is a translated sentence to show the user."""

    def __init__(self, message, code: str | None = None):
        super().__init__(message, code=code)


class DocumentUnavailable(Exception):
    """The document cannot be served: not scanned clean, or quarantined."""


def clean_filename(name: str | None) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        character for character in name if unicodedata.category(character)[0] != "C"
    ).strip()
    return name[-MAX_FILENAME_LENGTH:] or "file"


def _data_key(document: Document) -> bytes:
    return unwrap_data_key(
        document.key_id, bytes(document.wrapped_data_key), associated_data=document.associated_data
    )


def document_store(
    *, owner, uploaded_file, purpose: str, max_bytes: int | None = None, actor=None
) -> Document:
    """Check, encrypt into storage and record an uploaded file; the virus scan follows on commit.

    `max_bytes` is the caller's own limit for this file (Securemail's attachments are larger than
    the e-service's); without it UPLOAD_MAX_BYTES holds. The limit is enforced on the bytes read,
    so a file larger than it claims is stopped at the limit, not written whole and then refused.

    `actor`: who stored it when that is not the owner (a caseworker storing the applicant's
    decision); the audit record names them, not the owner.

    Raises DocumentRejected for a file that is refused. Nothing is left half-saved: when any step
    fails, the blob is deleted and no row remains.
    """
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    try:
        content_type = validate_upload(uploaded_file, max_bytes=max_bytes)
    except ValidationError as error:
        raise DocumentRejected(error.messages[0], code=error.code) from error

    document = Document(
        id=uuid.uuid4(),
        owner=owner,
        purpose=purpose,
        content_type=content_type,
        format_version=FORMAT_VERSION,
        scan_status=ScanStatus.PENDING,
    )
    seal_field_text(document, "original_filename_sealed", clean_filename(uploaded_file.name))
    data_key = AESGCM.generate_key(bit_length=256)
    document.key_id, document.wrapped_data_key = wrap_data_key(
        data_key, associated_data=document.associated_data
    )
    encryptor = StreamEncryptor(
        data_key, associated_data=document.associated_data, max_plaintext_bytes=max_bytes
    )
    content = EncryptingFile(
        uploaded_file, encryptor=encryptor, plaintext_size=uploaded_file.size, name="upload"
    )
    intended_name = blob_name(document.id)
    try:
        try:
            document.storage_name = documents_storage().save(intended_name, content)
        except PlaintextTooLarge as error:
            raise DocumentRejected(too_large_message(max_bytes), code="too_large") from error
        # The claimed size came from the client; the bytes actually read are what count.
        document.size = encryptor.plaintext_size
        document.sha256 = encryptor.sha256
        if document.size == 0:
            raise DocumentRejected(empty_message(), code="empty")
        # A process killed from here until the commit leaves a blob no row points at; the periodic
        # document_purge_orphan_blobs removes it. The user sees the upload fail and sends it again.
        checkpoint("documents.store")
        with transaction.atomic():
            document.full_clean()
            document.save(force_insert=True)
            audit_record(
                action="document.stored",
                actor=actor or owner,
                target=document,
                details={"purpose": purpose},
            )
            document_id = str(document.id)
            transaction.on_commit(lambda: _enqueue_scan(document_id))
    except BaseException:
        delete_blob(document.storage_name or intended_name)
        raise
    return document


def _enqueue_scan(document_id: str, *, attempt: int = 1, delay_seconds: int = 0) -> None:
    from documents.tasks import scan_document

    task = scan_document
    if delay_seconds and task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timezone.timedelta(seconds=delay_seconds))
    task.enqueue(document_id=document_id, attempt=attempt)


def document_enqueue_scan_retry(*, document_id: str, attempt: int, delay_seconds: int) -> None:
    _enqueue_scan(document_id, attempt=attempt, delay_seconds=delay_seconds)


def document_open_stream(*, document: Document) -> Iterator[bytes]:
    """Plaintext chunks of a clean document; raises DocumentUnavailable otherwise.

    The checks and the key unwrap happen now, so a caller can answer with an error page before it
    starts a response; decryption happens as the iterator is consumed.
    """
    if not servable(document):
        raise DocumentUnavailable(f"document {document.pk} is {document.scan_status}")
    return decrypted_chunks(
        document.storage_name,
        data_key=_data_key(document),
        associated_data=document.associated_data,
    )


def _record_scan_outcome(document: Document, **changes) -> bool:
    """Write a scan outcome only while the document is still pending (a retried task loses)."""
    changes.setdefault("scanned_at", timezone.now())
    return bool(
        Document.objects.filter(pk=document.pk, scan_status=ScanStatus.PENDING).update(**changes)
    )


def document_scan(*, document_id) -> Document:
    """Scan a pending document; a document already scanned is returned as it is.

    Raises documents.scanners.ScannerUnavailable when the scanner cannot be reached, leaving the
    document pending for a retry.
    """
    document = Document.objects.get(pk=document_id)
    if document.scan_status != ScanStatus.PENDING:
        return document
    scanner = get_scanner()
    Document.objects.filter(pk=document.pk).update(
        scan_attempts=F("scan_attempts") + 1, scan_started_at=timezone.now()
    )
    # A worker killed from here on leaves the document pending: document_scans_requeue_stalled
    # starts the scan again (a scan changes nothing until its outcome is written, once).
    checkpoint("documents.scan")
    try:
        result = scanner.scan(
            decrypted_chunks(
                document.storage_name,
                data_key=_data_key(document),
                associated_data=document.associated_data,
            )
        )
    except (ScanFailed, DecryptionError, FileNotFoundError) as error:
        logger.warning("virus scan of document %s failed: %s", document.pk, type(error).__name__)
        _record_scan_outcome(document, scan_status=ScanStatus.FAILED, scanner_name=scanner.name)
        document.refresh_from_db()
        return document
    if result.infected:
        document_quarantine(
            document=document, scanner_name=scanner.name, signature_name=result.signature_name
        )
    else:
        _record_scan_outcome(document, scan_status=ScanStatus.CLEAN, scanner_name=scanner.name)
    document.refresh_from_db()
    return document


@transaction.atomic
def document_quarantine(*, document: Document, scanner_name: str, signature_name: str) -> None:
    """Mark a document infected and delete its blob; the row stays as the record of the find."""
    now = timezone.now()
    name = document.storage_name
    if not _record_scan_outcome(
        document,
        scan_status=ScanStatus.INFECTED,
        scanner_name=scanner_name,
        signature_name=signature_name[:200],
        quarantined_at=now,
        storage_name="",
        scanned_at=now,
    ):
        return
    logger.warning("document %s quarantined: %s", document.pk, signature_name)
    audit_record(
        action="document.quarantined",
        target=document,
        details={"signature": signature_name[:64]},
    )
    transaction.on_commit(lambda: delete_blob(name))


def document_scans_requeue_stalled(*, now=None, max_attempts: int, batch_size: int = 500) -> int:
    """Start again the scans of pending documents whose worker died (or whose task was lost between
    the commit and the enqueue); a document whose attempts are used up is marked failed.

    Returns how many scans were re-queued. A duplicate scan does no harm: only the first outcome
    is written (_record_scan_outcome).
    """
    return stalled_work_sweep(
        name="virus scan of document",
        pending=Document.objects.filter(scan_status=ScanStatus.PENDING),
        claimed_at="scan_started_at",
        attempts="scan_attempts",
        timeout=timedelta(seconds=settings.DOCUMENTS_SCAN_STALL_SECONDS),
        max_attempts=max_attempts,
        requeue=lambda document_id, attempt: _enqueue_scan(str(document_id), attempt=attempt),
        fail=lambda rows, _reason: rows.update(
            scan_status=ScanStatus.FAILED, scanned_at=timezone.now()
        ),
        now=now,
        batch_size=batch_size,
    ).requeued


def document_mark_scan_failed(*, document_id) -> bool:
    """Give up on scanning (the scanner stayed unreachable); the document is never served."""
    return bool(
        Document.objects.filter(pk=document_id, scan_status=ScanStatus.PENDING).update(
            scan_status=ScanStatus.FAILED, scanned_at=timezone.now()
        )
    )


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete the row now and the blob once the deletion is committed."""
    name = document.storage_name
    document.delete()
    transaction.on_commit(lambda: delete_blob(name))


def document_rewrap_all(*, batch_size: int = 500) -> int:
    """Re-wrap data keys under the active KEK (contents untouched), then every sealed field of every
    model (core.sealed_fields finds them).

    Returns how many keys changed. A document under an unknown key id raises DecryptionError naming
    the document, after the ones before it have been moved.
    """
    active_key_id = keyring().active_key_id
    pending = Document.objects.exclude(key_id=active_key_id).order_by("pk")
    pending = pending.only("id", "key_id", "wrapped_data_key")
    changed = 0
    last_pk = None
    while True:
        batch = list((pending if last_pk is None else pending.filter(pk__gt=last_pk))[:batch_size])
        if not batch:
            break
        last_pk = batch[-1].pk
        for document in batch:
            try:
                data_key = _data_key(document)
            except DecryptionError as error:
                raise DecryptionError(f"document {document.pk}: {error}") from error
            key_id, wrapped = wrap_data_key(data_key, associated_data=document.associated_data)
            # Conditional on the old key id, so a concurrent run does not wrap twice.
            changed += Document.objects.filter(pk=document.pk, key_id=document.key_id).update(
                key_id=key_id, wrapped_data_key=wrapped
            )
    return changed + rewrap_all_sealed_fields(batch_size=batch_size)


def document_purge_orphan_blobs(*, older_than: timedelta = timedelta(hours=6)) -> int:
    """Delete blobs that no row points at, left when a caller's transaction rolled back after
    document_store wrote the blob. Such a blob cannot be opened (its wrapped key was in the row);
    this only reclaims the space. The age margin spares uploads whose transaction is still open."""
    storage = documents_storage()
    cutoff = timezone.now() - older_than
    known = set(Document.objects.exclude(storage_name="").values_list("storage_name", flat=True))
    deleted = 0
    for name in stored_blob_names():
        if name in known or storage.get_modified_time(name) > cutoff:
            continue
        delete_blob(name)
        deleted += 1
    return deleted

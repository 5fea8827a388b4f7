"""An upload encrypted into its blob while the request body arrives: one pass, no temporary file.

documents.upload_handlers.EncryptingUploadHandler gives each file of a view marked
`stores_documents` an EncryptedUpload. Its bytes are sealed in the chunks documents.encryption
writes, under a fresh data key wrapped for the document id chosen now (the blob is bound to that
row), and written straight to the documents storage. The type is checked by content on the first
bytes, before any ciphertext reaches the disk; a refused type writes nothing at all.

An upload is only a blob until documents.services.document_store records its row. Whatever the
request does not record (a refusal, a failed form, a rolled-back transaction, an upload stopped
for its size) is deleted when the request ends (documents.middleware); a process killed before
that leaves a blob no row points at, which document_purge_orphan_blobs removes later.
"""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.files.uploadedfile import UploadedFile

from core.crypto import wrap_data_key
from documents.blobs import blob_name, delete_blob, open_blob_for_writing, write_pieces
from documents.encryption import PlaintextTooLarge, StreamEncryptor
from documents.models import Document
from documents.validation import SNIFF_BYTES, detect_content_type

REFUSED_TYPE = "type_not_accepted"
REFUSED_SIZE = "too_large"
REFUSED_EMPTY = "empty"


class EncryptedUpload(UploadedFile):
    """One uploaded file, already encrypted in storage; `document_store` records it or refuses it.

    Not readable: its plaintext exists only as ciphertext in the blob, and nothing before the
    virus scan should read it anyway.
    """

    def __init__(self, *, name, content_type, charset, content_type_extra, max_bytes: int):
        super().__init__(
            file=None,
            name=name,
            content_type=content_type,
            size=0,
            charset=charset,
            content_type_extra=content_type_extra,
        )
        self.document_id = uuid.uuid4()
        self.associated_data = Document(id=self.document_id).associated_data
        data_key = AESGCM.generate_key(bit_length=256)
        self.key_id, self.wrapped_data_key = wrap_data_key(
            data_key, associated_data=self.associated_data
        )
        self.encryptor = StreamEncryptor(
            data_key, associated_data=self.associated_data, max_plaintext_bytes=max_bytes
        )
        self.storage_name = blob_name(self.document_id)
        self.detected_content_type: str | None = None
        self.refusal: str | None = None
        self.finished = False
        self.claimed = False
        self.discarded = False
        self._head = bytearray()
        self._writer = None
        # Every byte received, stored or not: a refused file still has the size it was sent with.
        self._received = 0

    # Receiving -----------------------------------------------------------------------------

    def _sniff(self) -> bool:
        """Decide the type on the first bytes; False (and refused) when it is not accepted."""
        head = bytes(self._head[:SNIFF_BYTES])
        self._head = None
        self.detected_content_type = detect_content_type(head) if head else None
        if self.detected_content_type is None:
            self._refuse(REFUSED_TYPE if head else REFUSED_EMPTY)
            return False
        return True

    def _write(self, pieces: list) -> None:
        if not pieces:
            return
        if self._writer is None:
            self._writer = open_blob_for_writing(self.storage_name)
            pieces = [self.encryptor.header, *pieces]
        write_pieces(self._writer, pieces)

    def receive(self, data: bytes) -> None:
        self._received += len(data)
        if self.refusal is not None or self.discarded:
            return  # the rest of a refused file is read and dropped, never stored
        if self._head is not None:
            self._head += data[: SNIFF_BYTES - len(self._head)]
            # Ciphertext is written only past a full chunk (64 KiB), long after the sniff's 8 KiB.
            if len(self._head) >= SNIFF_BYTES and not self._sniff():
                return
        try:
            sealed = self.encryptor.update(data)
        except PlaintextTooLarge:
            self._refuse(REFUSED_SIZE)
            return
        self._write(sealed)

    def finish(self) -> None:
        """The body of this file is complete: seal the last chunk and close the blob."""
        accepted = self.refusal is None and not self.discarded
        if accepted and (self._head is None or self._sniff()):
            self._write([self.encryptor.finish()])
            self._writer.close()
            self._writer = None
        self.size = self._received
        self.finished = True

    def _refuse(self, code: str) -> None:
        self.refusal = code
        self.discard()

    # Settling ------------------------------------------------------------------------------

    def claim(self) -> None:
        """document_store is recording this upload's row (once)."""
        if self.claimed or self.discarded or not self.finished or self.refusal is not None:
            raise ValueError("this upload cannot be stored")
        self.claimed = True

    def discard(self) -> None:
        """Delete whatever was written; the upload can no longer be stored."""
        self.discarded = True
        if self._writer is not None:
            try:
                self._writer.close()
            finally:
                self._writer = None
                delete_blob(self.storage_name)
        elif self.finished and self.refusal is None:
            delete_blob(self.storage_name)

    def close(self) -> None:
        # Django closes the files of a stopped upload: a file cut off in the middle goes now.
        if not self.finished and not self.discarded:
            self.discard()

    # Not a readable file -------------------------------------------------------------------

    def open(self, mode=None):
        raise OSError("an encrypted upload is not readable; store it with document_store")

    def read(self, *args, **kwargs):
        raise OSError("an encrypted upload is not readable; store it with document_store")

    def chunks(self, chunk_size=None):
        raise OSError("an encrypted upload is not readable; store it with document_store")

    def multiple_chunks(self, chunk_size=None):
        return True

    def __bool__(self):
        return bool(self.name)


def encrypted_uploads_settle(uploads) -> None:
    """At the end of a request: keep the blobs whose document row exists, delete the others."""
    uploads = [upload for upload in uploads if not upload.discarded]
    if not uploads:
        return
    claimed = [upload.document_id for upload in uploads if upload.claimed]
    recorded = (
        set(Document.objects.filter(pk__in=claimed).values_list("pk", flat=True))
        if claimed
        else set()
    )
    for upload in uploads:
        if upload.document_id not in recorded:
            upload.discard()

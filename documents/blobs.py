"""Encrypted blobs in storages["documents"] through the Django storage API (disk or S3 alike)."""

from __future__ import annotations

import io
import logging
import os
import sys
import uuid
from collections.abc import Iterator
from typing import BinaryIO

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages
from storages.utils import clean_name, safe_join

from documents.encryption import StreamEncryptor, decrypt_stream, encrypted_size

logger = logging.getLogger(__name__)


def documents_storage() -> Storage:
    return storages["documents"]


def blob_name(document_id: uuid.UUID) -> str:
    # A two-character fan-out keeps folders small on a file system.
    return f"{document_id.hex[:2]}/{document_id.hex}.psdoc"


class EncryptingFile(File):
    """A read-once File whose content is the ciphertext of `source`, produced while it is read.

    Storage backends either iterate `chunks()` (FileSystemStorage) or call `read()` (S3 uploads);
    both encrypt one 64 KiB chunk at a time, so memory stays flat whatever the file's size.
    """

    def __init__(self, source: BinaryIO, *, encryptor: StreamEncryptor, plaintext_size: int, name):
        super().__init__(None, name=name)
        self.encryptor = encryptor
        self._source = source
        self._expected_size = encrypted_size(plaintext_size, encryptor.chunk_size)
        self._pieces: Iterator[bytes] | None = None
        self._buffer = bytearray()

    @property
    def size(self) -> int:
        return self._expected_size

    def _ciphertext(self) -> Iterator[bytes]:
        if self._pieces is None:
            self._source.seek(0)
            self._pieces = self.encryptor.encrypt(self._source)
        return self._pieces

    def chunks(self, chunk_size=None) -> Iterator[bytes]:
        if self._buffer:
            yield bytes(self._buffer)
            self._buffer.clear()
        yield from self._ciphertext()

    def multiple_chunks(self, chunk_size=None) -> bool:
        return True

    def __iter__(self):
        return self.chunks()

    def read(self, size: int = -1) -> bytes:
        pieces = self._ciphertext()
        if size is None or size < 0:
            data = bytes(self._buffer) + b"".join(pieces)
            self._buffer.clear()
            return data
        while len(self._buffer) < size:
            piece = next(pieces, None)
            if piece is None:
                break
            self._buffer += piece
        data = bytes(self._buffer[:size])
        del self._buffer[:size]
        return data

    def seekable(self) -> bool:
        return False

    def seek(self, offset: int, whence: int = 0) -> int:
        # Backends rewind before reading; only "rewind before the first read" can be honoured.
        if offset == 0 and whence == 0 and self._pieces is None:
            return 0
        raise OSError("the encrypted stream can be read only once, from the start")

    def tell(self) -> int:
        raise OSError("the encrypted stream has no position")

    def open(self, mode=None):
        return self

    def close(self) -> None:
        self._pieces = None
        self._buffer.clear()

    @property
    def closed(self) -> bool:
        return False


def open_blob_for_writing(name: str) -> BinaryIO:
    """A new blob opened for writing as bytes arrive (an upload encrypted while it is received).

    Storage.save() pulls its content, so it cannot take bytes pushed by an upload handler. On a
    local folder the file is created as FileSystemStorage._save creates it (never over another);
    other backends take it through their own writable open(). On S3 that is django-storages'
    S3File: a multipart upload that sends each part as its buffer fills (AWS_S3_FILE_BUFFER_SIZE,
    8 MiB), so memory stays at about one part whatever the file's size, and completes on close.
    A discarded upload is closed (completed) and then deleted, the same two steps as on disk.
    On disk the file is unbuffered: write_pieces() hands each batch of sealed chunks to the
    kernel in one call.
    """
    storage = documents_storage()
    if not isinstance(storage, FileSystemStorage):
        return storage.open(name, "wb")
    path = storage.path(name)
    directory = os.path.dirname(path)
    if storage.directory_permissions_mode is not None:
        old_umask = os.umask(0o777 & ~storage.directory_permissions_mode)
        try:
            os.makedirs(directory, storage.directory_permissions_mode, exist_ok=True)
        finally:
            os.umask(old_umask)
    else:
        os.makedirs(directory, exist_ok=True)
    descriptor = os.open(
        path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666
    )
    if storage.file_permissions_mode is not None:
        os.chmod(path, storage.file_permissions_mode)
    return os.fdopen(descriptor, "wb", buffering=0)


# Sealed chunks per writev() call: 4 (about 256 KiB). One call per 64 KiB chunk cost ~0.015 s of
# CPU more per 100 MB than one per 1 MiB on a quiet machine, but calls of 1 MiB made the kernel's
# page-cache writes slower upload after upload on a busy one (the upload's CPU time went 0.10 ->
# 0.18 -> 0.29 s over three uploads in one run; 64 KiB and 256 KiB calls stayed flat).
_WRITEV_BATCH = 4


def write_pieces(handle: BinaryIO, pieces: list) -> None:
    """Write the pieces in order: to a local file, a few per writev() call (_WRITEV_BATCH);
    elsewhere (S3), one write() per piece."""
    if not isinstance(handle, io.FileIO):
        for piece in pieces:
            handle.write(piece)
        return
    descriptor = handle.fileno()
    pending = list(pieces)
    while pending:
        written = os.writev(descriptor, pending[:_WRITEV_BATCH])
        # A regular file takes everything unless the disk is full or a signal came; the rest of
        # a short write is written again (a full disk then raises, as write() would).
        while pending and written >= len(pending[0]):
            written -= len(pending.pop(0))
        if written:
            pending[0] = memoryview(pending[0])[written:]


def _s3_storage_class():
    """django-storages' S3Storage when some storage in this process uses it, else None.

    A storage that is an S3Storage has imported its module; looking it up here rather than
    importing it keeps boto3 (a third of a second of imports) out of processes that store on disk.
    """
    module = sys.modules.get("storages.backends.s3")
    return module.S3Storage if module is not None else None


def open_blob_for_reading(name: str) -> BinaryIO:
    """The blob as a stream that reads from the store as it is consumed.

    S3Storage.open() downloads the whole object before the first read (into memory, or into a
    temporary file past max_memory_size); the object's GET body streams instead, so a download
    starts at once and holds one chunk at a time.
    """
    storage = documents_storage()
    s3_storage = _s3_storage_class()
    if s3_storage is None or not isinstance(storage, s3_storage):
        return storage.open(name, "rb")
    key = safe_join(storage.location, clean_name(name))
    try:
        return storage.bucket.Object(key).get()["Body"]
    except ClientError as error:
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 404:
            raise FileNotFoundError(f"no blob {name}") from error
        raise


def decrypted_chunks(name: str, *, data_key: bytes, associated_data: bytes) -> Iterator[bytes]:
    """Open the blob and yield its plaintext; the stream closes when the iteration ends or stops."""
    handle = open_blob_for_reading(name)
    try:
        yield from decrypt_stream(handle, data_key=data_key, associated_data=associated_data)
    finally:
        handle.close()


def stored_blob_names() -> Iterator[str]:
    """Every blob in the documents storage, by the two-level layout of blob_name().

    Listed folder by folder through the storage API, the same on disk and on S3 (where a folder is
    a key prefix, listed with a delimiter; the bucket's root always exists).
    """
    storage = documents_storage()
    try:
        folders, _files = storage.listdir("")
    except FileNotFoundError:
        return  # nothing was ever stored in this folder
    for folder in folders:
        for file_name in storage.listdir(folder)[1]:
            if file_name.endswith(".psdoc"):
                yield f"{folder}/{file_name}"


def delete_blob(name: str) -> None:
    """Delete quietly: a missing blob is already what we want; other failures are logged (the
    orphan purge removes a blob left behind)."""
    if not name:
        return
    try:
        documents_storage().delete(name)
    except (OSError, BotoCoreError, ClientError):
        logger.exception("could not delete the encrypted blob %s", name)

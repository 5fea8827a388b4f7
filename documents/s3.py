"""The documents storage on S3 (django-storages' S3Storage over boto3): its options in one place,
for the settings, the tests and the benchmark alike.

The blobs are ciphertext (documents.encryption) and are only ever read back through Django, which
decrypts them while streaming the response: no object is public and no S3 address is handed out.
"""

from __future__ import annotations

S3_BACKEND = "storages.backends.s3.S3Storage"
MIB = 1024 * 1024
# Parts of a multipart upload. S3 needs at least 5 MiB per part but the last, and allows 10,000
# parts: 8 MiB parts carry files up to 80 GB, far over any upload limit here.
PART_BYTES = 8 * MIB
# Parts in flight at once when document_store uploads a file it reads (boto3's transfer manager).
# Each holds a part in memory, so this bounds a store's memory: about (this + 1) × PART_BYTES.
UPLOAD_CONCURRENCY = 3


def documents_transfer_config():
    """boto3's transfer settings for document_store's uploads (a boto3 TransferConfig)."""
    # Imported when S3 is chosen: boto3 costs a third of a second at start-up, for nothing where
    # documents stay on disk (the settings import this module).
    from boto3.s3.transfer import TransferConfig

    config = TransferConfig(
        multipart_threshold=PART_BYTES,
        multipart_chunksize=PART_BYTES,
        max_concurrency=UPLOAD_CONCURRENCY,
        use_threads=True,
    )
    # A stream that cannot seek (the ciphertext is produced as it is read) is buffered part by
    # part; s3transfer keeps up to 10 such parts by default, more than the uploads in flight use.
    config.max_in_memory_upload_chunks = UPLOAD_CONCURRENCY
    return config


def documents_s3_options(
    *,
    bucket: str | None,
    endpoint_url: str | None = None,
    region: str = "us-east-1",
    location: str = "",
) -> dict:
    """OPTIONS of STORAGES["documents"] on S3. Credentials are not among them: boto3 (and
    django-storages) read AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the environment, or
    take an instance role, so no secret sits in the settings."""
    return {
        "bucket_name": bucket,
        "endpoint_url": endpoint_url or None,
        "region_name": region,
        # A key prefix inside the bucket (the tests give each test its own).
        "location": location,
        # Private objects: no ACL is sent, so the bucket's own (private) policy applies.
        "default_acl": None,
        # Blob names are fresh UUIDs; never replace an object that exists.
        "file_overwrite": False,
        # Reads through storage.open() spool to a temporary file past this size instead of memory
        # (documents.blobs streams its reads and does not use it); it also holds the write buffer
        # of one part (AWS_S3_FILE_BUFFER_SIZE) plus the write that crosses it.
        "max_memory_size": 2 * PART_BYTES,
        "transfer_config": documents_transfer_config(),
        # S3-compatible servers on a host name of their own (SeaweedFS, MinIO) want path-style
        # addresses; AWS itself picks its own style when no endpoint is given.
        "addressing_style": "path" if endpoint_url else None,
        "signature_version": "s3v4",
    }

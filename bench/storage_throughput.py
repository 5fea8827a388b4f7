"""Storage throughput: document_store (check, encrypt, write) against raw AES-256-GCM on one disk,
or, with --s3, against boto3's own upload and download on a real S3 server (SeaweedFS on loopback).

Generates a file of random bytes (200 MB by default) in a temporary folder, then, on the same bytes:
- stores it through documents.services.document_store into the documents storage (a folder there,
  or with --s3 a bucket of a SeaweedFS started for the run by deploy/seaweedfs.py);
- stores it as an upload encrypted while it arrives (documents.incoming, 1 MiB pieces, as
  Securemail's pages do; on S3 a multipart upload written part by part);
- raw: encrypts it with cryptography's AESGCM in 64 KiB chunks and writes the ciphertext beside it
  (disk), or uploads the same bytes with boto3's upload_file and reads them back (S3).
Prints the throughputs in MB/s and the ratio store / raw (goal ≥ 0.6), decryption throughput
(document_open_stream) against the raw read, and the peak memory of a store above the process's
baseline (tracemalloc and ru_maxrss; goal < 100 MB).

    .venv/bin/python bench/storage_throughput.py [--megabytes 200] [--rounds 3] [--s3]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHUNK = 64 * 1024
MB = 1_000_000


def _setup_django(work: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.test_settings"
    os.environ["PERMITSAFE_VAR_DIR"] = str(work / "var")
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'bench.sqlite3'}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _generate(path: Path, size: int) -> None:
    # A PDF header so the content check accepts it; the rest random, written in chunks.
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        remaining = size - 9
        while remaining > 0:
            piece = min(remaining, 4 * 1024 * 1024)
            handle.write(os.urandom(piece))
            remaining -= piece


def _raw_encrypt(source: Path, target: Path) -> None:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    prefix = os.urandom(7)
    counter = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            nonce = prefix + counter.to_bytes(4, "big") + b"\x00"
            writer.write(aead.encrypt(nonce, chunk, b"documents.Document:bench"))
            counter += 1


def _raw_s3_upload(source: Path, server, bucket: str) -> None:
    from documents.s3 import documents_transfer_config

    server.client().upload_file(str(source), bucket, "raw.bin", Config=documents_transfer_config())


def _raw_s3_read(server, bucket: str) -> None:
    body = server.client().get_object(Bucket=bucket, Key="raw.bin")["Body"]
    while body.read(CHUNK):
        pass
    body.close()


def _streamed_store(source: Path, owner):
    """As EncryptingUploadHandler feeds an upload: 1 MiB pieces, sealed and written as they come."""
    from documents.incoming import EncryptedUpload
    from documents.services import document_store
    from documents.upload_handlers import STREAMED_READ_BYTES

    upload = EncryptedUpload(
        name="bench.pdf",
        content_type="application/pdf",
        charset=None,
        content_type_extra={},
        max_bytes=source.stat().st_size + 1,
    )
    with open(source, "rb") as handle:
        while piece := handle.read(STREAMED_READ_BYTES):
            upload.receive(piece)
    upload.finish()
    return document_store(owner=owner, uploaded_file=upload, purpose="bench")


def _store(source: Path, owner):
    from django.core.files.uploadedfile import UploadedFile

    from documents.services import document_store

    with open(source, "rb") as handle:
        uploaded = UploadedFile(handle, name="bench.pdf", size=source.stat().st_size)
        return document_store(owner=owner, uploaded_file=uploaded, purpose="bench")


def _documents_storage(work: Path, server) -> dict:
    if server is None:
        return {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(work / "documents")},
        }
    from deploy.seaweedfs import ACCESS_KEY_ID, SECRET_ACCESS_KEY
    from documents.s3 import S3_BACKEND, documents_s3_options

    options = documents_s3_options(bucket=BUCKET, endpoint_url=server.endpoint_url)
    options.update(access_key=ACCESS_KEY_ID, secret_key=SECRET_ACCESS_KEY)
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}


BUCKET = "bench-documents"


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--s3", action="store_true", help="store on a SeaweedFS started for the run, not on disk"
    )
    arguments = parser.parse_args(argv if argv is not None else [])
    size = arguments.megabytes * MB

    with tempfile.TemporaryDirectory(prefix="permitsafe-bench-") as folder, ExitStack() as stack:
        work = Path(folder)
        _setup_django(work)
        from django.core.files.storage import storages
        from django.test import override_settings

        from accounts.models import User
        from documents.models import Document, ScanStatus
        from documents.services import document_delete, document_open_stream

        server = None
        if arguments.s3:
            from deploy.seaweedfs import SeaweedFS

            server = stack.enter_context(SeaweedFS(work / "seaweedfs"))
            server.create_bucket(BUCKET)
        source = work / "plaintext.bin"
        _generate(source, size)
        raw_target = work / "documents" / "raw.bin"
        raw_target.parent.mkdir(parents=True, exist_ok=True)

        with override_settings(
            UPLOAD_MAX_BYTES=size + 1,
            STORAGES={"documents": _documents_storage(work, server)},
            # The scan is another job's cost: queue it without running it.
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        ):
            storages._storages.pop("documents", None)
            owner = User.objects.create_user(email="bench@example.org", password=None)
            # boto3 loads its S3 model on the first call of a process: not a store's cost.
            storages["documents"].exists("warm-up")
            # ru_maxrss is the process's peak so far: take it before any store runs.
            baseline_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            raw_times, raw_read_times, store_times, streamed_times, open_times = [], [], [], [], []
            for _round in range(arguments.rounds):
                started = time.perf_counter()
                if server is None:
                    _raw_encrypt(source, raw_target)
                else:
                    _raw_s3_upload(source, server, BUCKET)
                raw_times.append(time.perf_counter() - started)
                if server is None:
                    raw_target.unlink()
                else:
                    started = time.perf_counter()
                    _raw_s3_read(server, BUCKET)
                    raw_read_times.append(time.perf_counter() - started)

                started = time.perf_counter()
                document = _store(source, owner)
                store_times.append(time.perf_counter() - started)

                Document.objects.filter(pk=document.pk).update(scan_status=ScanStatus.CLEAN)
                document.refresh_from_db()
                started = time.perf_counter()
                for _chunk in document_open_stream(document=document):
                    pass
                open_times.append(time.perf_counter() - started)
                document_delete(document=document)

                started = time.perf_counter()
                document = _streamed_store(source, owner)
                streamed_times.append(time.perf_counter() - started)
                document_delete(document=document)
            rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline_rss_kb

            # Traced memory in separate stores, so tracing does not slow the timed ones.
            peaks = {}
            for label, store in (("store", _store), ("streamed", _streamed_store)):
                tracemalloc.start()
                document = store(source, owner)
                peaks[label] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                document_delete(document=document)
            storages._storages.pop("documents", None)

    # Medians, and the best round: on a shared 2-core machine other work only ever slows a round.
    def rate(times):
        return size / MB / statistics.median(times)

    raw, stored, streamed, opened = (
        rate(raw_times),
        rate(store_times),
        rate(streamed_times),
        rate(open_times),
    )
    raw_best = size / MB / min(raw_times)
    stored_best = size / MB / min(store_times)
    where = "S3 (SeaweedFS on loopback)" if arguments.s3 else "disk"
    results = {
        "storage": "s3" if arguments.s3 else "disk",
        "megabytes": arguments.megabytes,
        "raw_mb_s": round(raw, 1),
        "document_store_mb_s": round(stored, 1),
        "ratio": round(stored / raw, 2),
        "raw_best_mb_s": round(raw_best, 1),
        "document_store_best_mb_s": round(stored_best, 1),
        "ratio_best": round(stored_best / raw_best, 2),
        "streamed_store_mb_s": round(streamed, 1),
        "document_open_stream_mb_s": round(opened, 1),
        "store_peak_traced_mb": round(peaks["store"] / MB, 2),
        "streamed_peak_traced_mb": round(peaks["streamed"] / MB, 2),
        "store_peak_rss_growth_mb": round(rss_growth_kb * 1024 / MB, 2),
    }
    raw_label = (
        "raw boto3 upload_file (same part size), to S3"
        if arguments.s3
        else "raw AES-256-GCM, 64 KiB chunks, to disk"
    )
    print(
        f"storage throughput on {where}, {arguments.megabytes} MB, "
        f"median of {arguments.rounds} rounds"
    )
    print(f"  {raw_label}: {raw:8.1f} MB/s")
    print(f"  document_store (check, encrypt, write): {stored:8.1f} MB/s")
    print(f"  ratio store / raw: {stored / raw:.2f} (goal >= 0.6)")
    print(
        f"  best rounds: raw {raw_best:.1f} MB/s, store {stored_best:.1f} MB/s, "
        f"ratio {stored_best / raw_best:.2f}"
    )
    print(f"  streamed upload (encrypted as it arrives, 1 MiB pieces): {streamed:8.1f} MB/s")
    print(f"  document_open_stream (decrypt, read): {opened:8.1f} MB/s")
    if raw_read_times:
        raw_read = rate(raw_read_times)
        results["raw_read_mb_s"] = round(raw_read, 1)
        print(f"  raw boto3 get_object, read in 64 KiB: {raw_read:8.1f} MB/s")
        print(f"  ratio open / raw read: {opened / raw_read:.2f}")
    print(
        f"  peak memory above the baseline: store {peaks['store'] / MB:.2f} MB traced, streamed "
        f"upload {peaks['streamed'] / MB:.2f} MB traced, "
        f"{rss_growth_kb * 1024 / MB:.2f} MB resident growth (goal < 100 MB)"
    )
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

"""Storage throughput: document_store (check, encrypt, write) against raw AES-256-GCM on one disk.

Generates a file of random bytes (200 MB by default) in a temporary folder, then, on the same bytes:
- stores it through documents.services.document_store into a FileSystemStorage folder there;
- encrypts it with cryptography's AESGCM in 64 KiB chunks and writes the ciphertext beside it.
Prints both throughputs in MB/s and their ratio (goal ≥ 0.6), decryption throughput, and the peak
memory of a store above the process's baseline (tracemalloc and ru_maxrss; goal < 100 MB).

    .venv/bin/python bench/storage_throughput.py [--megabytes 200] [--rounds 3]
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


def _store(source: Path, owner):
    from django.core.files.uploadedfile import UploadedFile

    from documents.services import document_store

    with open(source, "rb") as handle:
        uploaded = UploadedFile(handle, name="bench.pdf", size=source.stat().st_size)
        return document_store(owner=owner, uploaded_file=uploaded, purpose="bench")


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args(argv if argv is not None else [])
    size = arguments.megabytes * MB

    with tempfile.TemporaryDirectory(prefix="permitsafe-bench-") as folder:
        work = Path(folder)
        _setup_django(work)
        from django.core.files.storage import storages
        from django.test import override_settings

        from accounts.models import User
        from documents.models import Document, ScanStatus
        from documents.services import document_delete, document_open_stream

        source = work / "plaintext.bin"
        _generate(source, size)
        raw_target = work / "documents" / "raw.bin"
        raw_target.parent.mkdir(parents=True, exist_ok=True)

        with override_settings(
            UPLOAD_MAX_BYTES=size + 1,
            STORAGES={
                "documents": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(work / "documents")},
                },
            },
            # The scan is another job's cost: queue it without running it.
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        ):
            storages._storages.pop("documents", None)
            owner = User.objects.create_user(email="bench@example.org", password=None)
            # ru_maxrss is the process's peak so far: take it before any store runs.
            baseline_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            raw_times, store_times, open_times = [], [], []
            for _round in range(arguments.rounds):
                started = time.perf_counter()
                _raw_encrypt(source, raw_target)
                raw_times.append(time.perf_counter() - started)
                raw_target.unlink()

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
            rss_growth_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - baseline_rss_kb

            # Traced memory in a separate store, so tracing does not slow the timed ones.
            tracemalloc.start()
            document = _store(source, owner)
            _current, traced_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            document_delete(document=document)
            storages._storages.pop("documents", None)

    # Medians, and the best round: on a shared 2-core machine other work only ever slows a round.
    raw = size / MB / statistics.median(raw_times)
    stored = size / MB / statistics.median(store_times)
    opened = size / MB / statistics.median(open_times)
    raw_best = size / MB / min(raw_times)
    stored_best = size / MB / min(store_times)
    results = {
        "megabytes": arguments.megabytes,
        "raw_aes_gcm_mb_s": round(raw, 1),
        "document_store_mb_s": round(stored, 1),
        "ratio": round(stored / raw, 2),
        "raw_aes_gcm_best_mb_s": round(raw_best, 1),
        "document_store_best_mb_s": round(stored_best, 1),
        "ratio_best": round(stored_best / raw_best, 2),
        "document_open_stream_mb_s": round(opened, 1),
        "store_peak_traced_mb": round(traced_peak / MB, 2),
        "store_peak_rss_growth_mb": round(rss_growth_kb * 1024 / MB, 2),
    }
    print(f"storage throughput on {arguments.megabytes} MB, median of {arguments.rounds} rounds")
    print(f"  raw AES-256-GCM, 64 KiB chunks, to disk: {raw:8.1f} MB/s")
    print(f"  document_store (check, encrypt, write):  {stored:8.1f} MB/s")
    print(f"  ratio store / raw: {stored / raw:.2f} (goal >= 0.6)")
    print(
        f"  best rounds: raw {raw_best:.1f} MB/s, store {stored_best:.1f} MB/s, "
        f"ratio {stored_best / raw_best:.2f}"
    )
    print(f"  document_open_stream (decrypt, read):    {opened:8.1f} MB/s")
    print(
        f"  peak memory of a store above the baseline: {traced_peak / MB:.2f} MB traced, "
        f"{rss_growth_kb * 1024 / MB:.2f} MB resident growth (goal < 100 MB)"
    )
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

"""Securemail: upload, store and download a large attachment through the Securemail pages.

The request goes through Django's whole WSGI stack (middleware, CSRF, the upload limit, the form,
conversation_start, document_store) with the multipart body streamed from a file on disk, as a
web server hands it over; the download streams the attachment view's response. Both are compared
with raw AES-256-GCM over the same bytes written to the same disk in the same run (goal: ratio at
least 0.6), and the peak memory of each above the baseline is traced (goal: flat, < 100 MB).
The virus scan is another job's cost: it is queued, not run, and the file is marked clean before
the download.

    .venv/bin/python bench/securemail_attachment.py [--megabytes 100] [--rounds 3]
"""

from __future__ import annotations

import argparse
import io
import secrets
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))

from storage_throughput import MB, _generate, _raw_encrypt, _setup_django  # noqa: E402


def _multipart_body(path: Path, source: Path, *, fields: dict[str, str], boundary: str) -> None:
    """The browser's form, written to disk: fields, then the file, in 4 MiB pieces."""
    with open(path, "wb") as body:
        for name, value in fields.items():
            body.write(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        body.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
            f'filename="large.pdf"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
        )
        with open(source, "rb") as reader:
            while piece := reader.read(4 * 1024 * 1024):
                body.write(piece)
        body.write(f"\r\n--{boundary}--\r\n".encode())


def _environ(method: str, path: str, cookies: str, **extra) -> dict:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "HTTP_HOST": "localhost",
        "HTTP_COOKIE": cookies,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
        **extra,
    }


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args(argv if argv is not None else [])
    size = arguments.megabytes * MB

    with tempfile.TemporaryDirectory(prefix="permitsafe-bench-") as folder:
        work = Path(folder)
        _setup_django(work)
        from django.conf import settings
        from django.core.files.storage import storages
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import Client, override_settings
        from django.utils import timezone

        from accounts.models import User
        from casework.models import Unit
        from documents.models import Document, ScanStatus
        from securemail.models import Attachment, Conversation, Topic
        from tests.conftest import sign_in_with_second_factor

        source = work / "plaintext.bin"
        _generate(source, size)
        raw_target = work / "documents" / "raw.bin"
        raw_target.parent.mkdir(parents=True, exist_ok=True)
        limit = size + 1024 * 1024

        with override_settings(
            UPLOAD_MAX_BYTES=limit,
            SECUREMAIL_UPLOAD_MAX_BYTES=limit,
            STORAGES={
                **settings.STORAGES,
                "documents": {
                    "BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(work / "documents")},
                },
            },
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ):
            storages._storages.pop("documents", None)
            unit = Unit.objects.create(code="bench", name="Bench unit")
            Topic.objects.create(
                code="bench", name_fi="Testi", name_sv="Test", name_en="Bench", unit=unit
            )
            sender = User.objects.create_user(
                email="bench@example.org",
                password=None,
                role="applicant",
                email_verified_at=timezone.now(),
            )
            client = sign_in_with_second_factor(Client(), sender)
            csrf = secrets.token_hex(16)  # 32 characters: Django's unmasked secret
            cookies = (
                f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}"
            )
            boundary = "benchboundary" + secrets.token_hex(8)
            body_path = work / "body.bin"
            _multipart_body(
                body_path,
                source,
                fields={
                    "csrfmiddlewaretoken": csrf,
                    "topic": "bench",
                    "subject": "Benchmark",
                    "body": "A large attachment.",
                },
                boundary=boundary,
            )
            handler = WSGIHandler()

            def start_response(status, headers, exc_info=None):
                start_response.status = status
                start_response.headers = dict(headers)

            def upload() -> Attachment:
                with open(body_path, "rb") as stream:
                    environ = _environ(
                        "POST",
                        "/securemail/messages/new/",
                        cookies,
                        CONTENT_TYPE=f"multipart/form-data; boundary={boundary}",
                        CONTENT_LENGTH=str(body_path.stat().st_size),
                        **{"wsgi.input": stream},
                    )
                    response = handler(environ, start_response)
                    b"".join(response)
                    response.close()
                location = start_response.headers.get("Location", "")
                assert start_response.status.startswith("302"), start_response.status
                assert location.endswith("/sent/"), location
                return Attachment.objects.select_related("message__conversation").latest(
                    "document__created_at"
                )

            def download(attachment: Attachment) -> int:
                conversation_id = attachment.message.conversation_id
                path = f"/securemail/messages/{conversation_id}/files/{attachment.pk}/"
                response = handler(_environ("GET", path, cookies), start_response)
                assert start_response.status.startswith("200"), start_response.status
                received = sum(len(chunk) for chunk in response)
                response.close()
                return received

            raw_times, upload_times, download_times = [], [], []
            for _round in range(arguments.rounds):
                started = time.perf_counter()
                _raw_encrypt(source, raw_target)
                raw_times.append(time.perf_counter() - started)
                raw_target.unlink()

                started = time.perf_counter()
                attachment = upload()
                upload_times.append(time.perf_counter() - started)
                Document.objects.filter(pk=attachment.document_id).update(
                    scan_status=ScanStatus.CLEAN
                )
                started = time.perf_counter()
                assert download(attachment) == size
                download_times.append(time.perf_counter() - started)
                Conversation.objects.all().delete()

            tracemalloc.start()
            attachment = upload()
            _current, upload_peak = tracemalloc.get_traced_memory()
            Document.objects.filter(pk=attachment.document_id).update(scan_status=ScanStatus.CLEAN)
            tracemalloc.reset_peak()
            download(attachment)
            _current, download_peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            storages._storages.pop("documents", None)

    raw = size / MB / statistics.median(raw_times)
    uploaded = size / MB / statistics.median(upload_times)
    downloaded = size / MB / statistics.median(download_times)
    results = {
        "megabytes": arguments.megabytes,
        "raw_aes_gcm_mb_s": round(raw, 1),
        "securemail_upload_mb_s": round(uploaded, 1),
        "upload_ratio": round(uploaded / raw, 2),
        "securemail_download_mb_s": round(downloaded, 1),
        "upload_peak_traced_mb": round(upload_peak / MB, 2),
        "download_peak_traced_mb": round(download_peak / MB, 2),
    }
    print(f"Securemail attachment of {arguments.megabytes} MB, median of {arguments.rounds} rounds")
    print(f"  raw AES-256-GCM, 64 KiB chunks, to disk:   {raw:8.1f} MB/s")
    print(f"  upload through the Securemail page:       {uploaded:8.1f} MB/s")
    print(f"  ratio upload / raw: {uploaded / raw:.2f} (goal >= 0.6)")
    print(f"  download through the attachment view:     {downloaded:8.1f} MB/s")
    print(
        f"  peak traced memory: upload {upload_peak / MB:.2f} MB, "
        f"download {download_peak / MB:.2f} MB (goal < 100 MB)"
    )
    return results


if __name__ == "__main__":
    main(sys.argv[1:])

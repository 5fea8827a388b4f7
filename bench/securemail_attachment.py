"""Securemail attachment: upload, store and download a large file through the public pages.

Signs in at the official address with the one-time code from the email, sends a message with one
attachment of random bytes (100 MB by default) streamed from disk, lets a worker scan it, then
downloads it: first through Django's WSGI handler in this process, then through a real server
(gunicorn, one sync worker), both on config.test_settings with a temporary SQLite database and
folder. Tasks are queued as in production (the database backend); this script runs the worker
between the requests (the code's email, the scan), and times the scan apart. The upload's time
covers the multipart parse, the content check on the first bytes, the chunked AES-256-GCM written
to the blob while the body arrives (documents.incoming), the row and the page; its clock stops
after os.sync(). The download's: the decryption streamed out. On the same bytes, written to the
same disk, in the same run, in a fresh process of its own: cryptography's AESGCM in 64 KiB chunks,
one write() each, then os.sync() - the floor of what storing encrypted can cost.

Prints throughputs and ratios by wall time and by CPU time (schedstat of the process doing the
work: this process's main thread, or the gunicorn worker; the machine is shared, wall time is
mostly noise), per-round CPU ratios, minor page faults, and the working process's peak resident
memory above its baseline (VmHWM after a reset of /proc/PID/clear_refs; goal: flat, < 100 MB).
Figures and their history: bench/README.md.

    .venv/bin/python bench/securemail_attachment.py [--megabytes 100] [--rounds 3]
        [--only in-process|gunicorn] [--root OTHER_CHECKOUT] [--json]
"""

from __future__ import annotations

import argparse
import email
import http.client
import io
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent  # the code measured; --root measures another tree
CHUNK = 64 * 1024
SEND_PIECE = 1024 * 1024
MB = 1_000_000
SENDER = "bench@example.org"


def _environment(work: Path) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "PERMITSAFE_VAR_DIR": str(work / "var"),
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(work / "mail"),
        # The request body's temporary file on the same disk as the blobs and the raw baseline.
        "FILE_UPLOAD_TEMP_DIR": str(work / "incoming"),
        "DOCUMENTS_ROOT": str(work / "documents"),
        # Tasks queued as in production: the upload request stores and queues the scan; a worker
        # (run by this script between the requests, timed on its own) scans.
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }


def _run_worker() -> None:
    """Run every queued task (the sign-in code's email, the attachment's scan), then return."""
    from django.core.management import call_command

    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _prepare_database(work: Path, root: Path) -> None:
    os.environ.update(_environment(work))
    sys.path.insert(0, str(root))
    import django

    django.setup()
    # What a server's start-up does before the first request (config.wsgi), in this process too.
    from django.core.management import call_command

    import config.wsgi  # noqa: F401

    call_command("migrate", verbosity=0)
    from casework.models import Unit
    from securemail.models import Topic

    unit = Unit.objects.create(code="bench", name="Bench")
    Topic.objects.create(code="bench", name_fi="Testi", name_sv="Test", name_en="Bench", unit=unit)


def _generate(path: Path, size: int) -> None:
    # A PDF header so the content check accepts it; the rest random, written in pieces.
    with open(path, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        remaining = size - 9
        while remaining > 0:
            piece = min(remaining, 4 * 1024 * 1024)
            handle.write(os.urandom(piece))
            remaining -= piece


def _raw_encrypt(source: Path, target: Path) -> None:
    """The floor: AES-256-GCM in 64 KiB chunks written to the disk, one write() per chunk."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    aead = AESGCM(AESGCM.generate_key(bit_length=256))
    prefix = os.urandom(7)
    counter = 0
    with open(source, "rb") as reader, open(target, "wb") as writer:
        while chunk := reader.read(CHUNK):
            nonce = prefix + counter.to_bytes(4, "big") + b"\x00"
            writer.write(aead.encrypt(nonce, chunk, b"documents.Document:bench"))
            counter += 1


def _raw_in_own_process(source: Path, target: Path) -> tuple:
    """(wall s, CPU s, 0): _raw_encrypt in a fresh Python process, so that the floor is the same
    whatever this process imported, tuned or allocated before (the code measured tunes malloc in
    the process that imports config.wsgi). The wall time runs on until the file is on the disk."""
    measure = (
        "import os, sys, time; sys.path.insert(0, sys.argv[1]); "
        "from pathlib import Path; from securemail_attachment import _raw_encrypt; "
        "wall, cpu = time.perf_counter(), time.thread_time(); "
        "_raw_encrypt(Path(sys.argv[2]), Path(sys.argv[3])); "
        "cpu = time.thread_time() - cpu; os.sync(); print(time.perf_counter() - wall, cpu)"
    )
    done = subprocess.run(  # noqa: S603 (this interpreter, our own code, fixed arguments)
        [sys.executable, "-c", measure, str(Path(__file__).parent), str(source), str(target)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu = (float(value) for value in done.stdout.split())
    return wall, cpu, 0


def _free_port() -> int:
    # Not bench._support.free_port: importing this tree's packages would shadow the --root tree's.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Browser:
    """Just enough of a browser: cookies, the CSRF token, forms, streamed bodies."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def _connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=600)

    def _headers(self) -> dict:
        headers = {"Host": "localhost", "Accept-Language": "en"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return headers

    def _keep_cookies(self, response) -> None:
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]

    def get(self, path: str) -> tuple[int, bytes, dict]:
        connection = self._connection()
        connection.request("GET", path, headers=self._headers())
        response = connection.getresponse()
        body = response.read()
        self._keep_cookies(response)
        connection.close()
        return response.status, body, dict(response.getheaders())

    def stream(self, path: str) -> tuple[int, int, int]:
        """GET a body without keeping it: (status, bytes, CRC-32)."""
        connection = self._connection()
        connection.request("GET", path, headers=self._headers())
        response = connection.getresponse()
        total, crc = 0, 0
        while piece := response.read(SEND_PIECE):
            total += len(piece)
            crc = zlib.crc32(piece, crc)
        connection.close()
        return response.status, total, crc

    def post(self, path: str, fields: dict, file_path: Path | None = None) -> tuple[int, dict]:
        fields = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}
        connection = self._connection()
        headers = {**self._headers(), "Referer": f"http://localhost{path}"}
        if file_path is None:
            body = urlencode(fields).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", path, body=body, headers=headers)
        else:
            head, tail, content_type, length = _multipart(fields, file_path)
            headers["Content-Type"] = content_type
            headers["Content-Length"] = str(length)
            connection.putrequest("POST", path, skip_host=True, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            connection.send(head)
            with open(file_path, "rb") as handle:
                while piece := handle.read(SEND_PIECE):
                    connection.send(piece)
            connection.send(tail)
        response = connection.getresponse()
        response.read()
        self._keep_cookies(response)
        connection.close()
        return response.status, dict(response.getheaders())


def _multipart(fields: dict, file_path: Path) -> tuple[bytes, bytes, str, int]:
    """The form's fields and the file part's header, the closing line, the type and the length."""
    boundary = "----benchboundary" + os.urandom(8).hex()
    head = b"".join(
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    )
    head += (
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; '
        f'filename="{file_path.name}"\r\nContent-Type: application/pdf\r\n\r\n'
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()
    length = len(head) + file_path.stat().st_size + len(tail)
    return head, tail, f"multipart/form-data; boundary={boundary}", length


class _MultipartReader:
    """A request body read from the file on disk as the handler asks for it, never held whole."""

    def __init__(self, head: bytes, file_path: Path, tail: bytes):
        self._parts = [io.BytesIO(head), open(file_path, "rb"), io.BytesIO(tail)]  # noqa: SIM115

    def read(self, size: int = -1) -> bytes:
        pieces = []
        while self._parts and (size < 0 or size > 0):
            piece = self._parts[0].read(size)
            if not piece:
                self._parts.pop(0).close()
                continue
            pieces.append(piece)
            size = size - len(piece) if size > 0 else size
        return b"".join(pieces)

    def readline(self, size: int = -1) -> bytes:
        raise NotImplementedError


class InProcessBrowser:
    """The same pages through Django's own WSGI handler in this process: no HTTP server, so the
    figures show the platform's own cost; the body still streams from disk."""

    def __init__(self):
        from django.test import Client

        self.client = Client()

    def get(self, path: str) -> tuple[int, bytes, dict]:
        response = self.client.get(path, headers={"Accept-Language": "en"})
        return response.status_code, response.content, dict(response.headers)

    def stream(self, path: str) -> tuple[int, int, int]:
        response = self.client.get(path)
        total, crc = 0, 0
        for piece in response.streaming_content:
            total += len(piece)
            crc = zlib.crc32(piece, crc)
        response.close()
        return response.status_code, total, crc

    def post(self, path: str, fields: dict, file_path: Path | None = None) -> tuple[int, dict]:
        if file_path is None:
            response = self.client.post(path, fields)
        else:
            head, tail, content_type, length = _multipart(fields, file_path)
            response = self.client.request(
                REQUEST_METHOD="POST",
                PATH_INFO=path,
                CONTENT_TYPE=content_type,
                CONTENT_LENGTH=str(length),
                **{"wsgi.input": _MultipartReader(head, file_path, tail)},
            )
        return response.status_code, dict(response.headers)


def _code_from_mail(folder: Path) -> str:
    newest = max(folder.iterdir(), key=lambda path: path.stat().st_mtime)
    message = email.message_from_bytes(newest.read_bytes())
    text = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    found = re.search(r"\b(\d{4} \d{4})\b", text.get_payload(decode=True).decode())
    return found.group(1).replace(" ", "")


def _sign_in(browser: Browser, mail_folder: Path) -> None:
    browser.get("/securemail/")
    status, _ = browser.post("/securemail/", {"email": SENDER})
    assert status == 302, f"asking for a code answered {status}"
    _run_worker()  # sends the code's email
    status, _ = browser.post("/securemail/code/", {"code": _code_from_mail(mail_folder)})
    assert status == 302, f"the code answered {status}"


class Clock:
    """Wall time, and CPU time and minor page faults of the process doing the work: a busy shared
    machine makes wall time noise, the CPU time of the work itself much less so. In this process,
    the main thread's alone (the one doing the work; a library's idle threads woke at times)."""

    def __init__(self, pid: int, *, main_thread_only: bool = False):
        self.pid = pid
        self.thread = threading.get_native_id() if main_thread_only else None

    def _sample(self) -> tuple[float, float, int]:
        # CPU time in nanoseconds from schedstat (the ticks of /proc/PID/stat are 10 ms), summed
        # over the process's threads; minor page faults from stat (field 10).
        tasks = Path(f"/proc/{self.pid}/task")
        chosen = [tasks / str(self.thread)] if self.thread else list(tasks.iterdir())
        cpu_ns = sum(int((task / "schedstat").read_text().split()[0]) for task in chosen)
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return time.perf_counter(), cpu_ns / 1e9, int(fields[7])

    def start(self) -> None:
        self._started = self._sample()

    def stop(self, *, sync: bool = False) -> tuple[float, float, int]:
        """(wall s, CPU s, minor page faults) since start(). With `sync`, the wall time runs on
        until the written data is on the disk (os.sync); the CPU time stops before: the sync's
        work is the kernel's, charged to whichever process calls it."""
        now = self._sample()
        if sync:
            os.sync()
            now = (time.perf_counter(), *now[1:])
        return tuple(after - before for after, before in zip(now, self._started, strict=True))


def _send_and_fetch(browser, clock: Clock, source: Path) -> dict:
    """One message with `source` attached, its scan by a worker, then its download: the times."""
    browser.get("/securemail/messages/new/")
    clock.start()
    status, headers = browser.post(
        "/securemail/messages/new/",
        {"topic": "bench", "subject": "Bench", "body": "A large attachment."},
        file_path=source,
    )
    upload = clock.stop(sync=True)  # stored means on the disk, as for the raw encryption
    assert status == 302, f"sending answered {status}"
    conversation = headers["Location"].rstrip("/").removesuffix("/sent")
    _status, page, _headers = browser.get(conversation + "/")
    assert not re.search(rb'href="([^"]+/files/[^"]+)"', page), "offered before its scan"
    own_clock = Clock(os.getpid(), main_thread_only=True)
    own_clock.start()
    _run_worker()
    scan = own_clock.stop()
    _status, page, _headers = browser.get(conversation + "/")
    link = re.search(rb'href="([^"]+/files/[^"]+)"', page)
    assert link, "the attachment is not offered for download (not scanned clean?)"
    clock.start()
    status, size, crc = browser.stream(link.group(1).decode())
    download = clock.stop()
    assert status == 200, f"the download answered {status}"
    return {"upload": upload, "scan": scan, "download": download, "bytes": size, "crc": crc}


def _worker_pid(master_pid: int) -> int:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    for _attempt in range(100):
        found = children.read_text().split()
        if found:
            return int(found[0])
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def _memory_kb(pid: int) -> dict[str, int]:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            values[name] = int(rest.split()[0])
    return values


def _reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where the kernel refuses."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _wait_for(port: int, server: subprocess.Popen) -> None:
    for _attempt in range(300):
        if server.poll() is not None:
            raise RuntimeError("the server stopped while starting")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("the server did not start")


def _crc_of(path: Path) -> int:
    crc = 0
    with open(path, "rb") as handle:
        while piece := handle.read(SEND_PIECE):
            crc = zlib.crc32(piece, crc)
    return crc


def _measure(browser, pid: int, work: Path, source: Path, rounds: int) -> dict:
    """Rounds of raw encryption, upload, scan and download; the times and `pid`'s memory figures.

    Ratios by wall time and by CPU time: raw's is this process's, the upload's and download's
    that of `pid` (this process, or the gunicorn worker), the scan's this process's (the worker).
    """
    size = source.stat().st_size
    expected_crc = _crc_of(source)
    warm_up = work / "warm-up.pdf"
    raw_target = work / "documents" / "raw.bin"
    clock = Clock(pid, main_thread_only=pid == os.getpid())
    _sign_in(browser, work / "mail")
    # One small round first, so imports, caches and pools are in the baseline.
    _send_and_fetch(browser, clock, warm_up)
    baseline_kb = _memory_kb(pid)["VmRSS"]
    peak_was_reset = _reset_peak(pid)
    raw, upload, scan, download = [], [], [], []
    for _round in range(rounds):
        raw.append(_raw_in_own_process(source, raw_target))
        raw_target.unlink()
        os.sync()
        result = _send_and_fetch(browser, clock, source)
        assert result["bytes"] == size, f"downloaded {result['bytes']} bytes of {size}"
        assert result["crc"] == expected_crc, "the download differs from the upload"
        upload.append(result["upload"])
        scan.append(result["scan"])
        download.append(result["download"])
    peak_kb = _memory_kb(pid)["VmHWM"]

    def median(samples, index):
        return statistics.median(sample[index] for sample in samples)

    def ratios(samples, index):
        # Per round (raw and ours measured next to each other), then the median.
        return statistics.median(
            mine[index] and theirs[index] / mine[index]
            for mine, theirs in zip(samples, raw, strict=True)
        )

    return {
        "raw_aes_gcm_mb_s": round(size / MB / median(raw, 0), 1),
        "upload_mb_s": round(size / MB / median(upload, 0), 1),
        "download_mb_s": round(size / MB / median(download, 0), 1),
        "upload_ratio": round(ratios(upload, 0), 2),
        "download_ratio": round(ratios(download, 0), 2),
        "raw_cpu_s": round(median(raw, 1), 3),
        "upload_cpu_s": round(median(upload, 1), 3),
        "download_cpu_s": round(median(download, 1), 3),
        "upload_cpu_ratio": round(ratios(upload, 1), 2),
        "download_cpu_ratio": round(ratios(download, 1), 2),
        "upload_cpu_ratios": [
            round(raw_[1] / up[1], 2) for up, raw_ in zip(upload, raw, strict=True)
        ],
        "upload_page_faults": int(median(upload, 2)),
        "scan_s": round(median(scan, 0), 3),
        "scan_cpu_s": round(median(scan, 1), 3),
        "peak_growth_mb": round((peak_kb - baseline_kb) * 1024 / MB, 1),
        "peak_was_reset": peak_was_reset,
        "temporary_files_left": len(list((work / "incoming").iterdir())),
    }


def _print(title: str, figures: dict) -> None:
    print(f"  {title}")
    print(
        f"    raw AES-256-GCM, 64 KiB chunks, to disk:  {figures['raw_aes_gcm_mb_s']:8.1f} MB/s, "
        f"CPU {figures['raw_cpu_s']:.3f} s"
    )
    print(
        f"    upload (parse, check, encrypt, write):    {figures['upload_mb_s']:8.1f} MB/s, "
        f"CPU {figures['upload_cpu_s']:.3f} s, {figures['upload_page_faults']} page faults"
    )
    print(
        f"    scan by the worker (read back, decrypt):  {figures['scan_s']:8.3f} s, "
        f"CPU {figures['scan_cpu_s']:.3f} s (not in the upload's figures)"
    )
    print(
        f"    download (decrypt, stream):               {figures['download_mb_s']:8.1f} MB/s, "
        f"CPU {figures['download_cpu_s']:.3f} s"
    )
    print(
        f"    ratio upload / raw: wall {figures['upload_ratio']:.2f}, "
        f"CPU {figures['upload_cpu_ratio']:.2f} {figures['upload_cpu_ratios']}; "
        f"download / raw: wall {figures['download_ratio']:.2f}, "
        f"CPU {figures['download_cpu_ratio']:.2f} (goal >= 0.6)"
    )
    how = "since a reset of the peak" if figures["peak_was_reset"] else "peak since start"
    print(
        f"    peak resident memory above the baseline: {figures['peak_growth_mb']:.1f} MB "
        f"({how}; goal < 100 MB); temporary upload files left: {figures['temporary_files_left']}"
    )


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--root", type=Path, default=ROOT, help="the code tree to measure (default: this one)"
    )
    parser.add_argument(
        "--only", choices=["in-process", "gunicorn"], help="measure one way only (default: both)"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    arguments = parser.parse_args(argv if argv is not None else [])
    root = arguments.root.resolve()

    with tempfile.TemporaryDirectory(prefix="permitsafe-bench-") as folder:
        work = Path(folder)
        for name in ("incoming", "documents", "mail"):
            (work / name).mkdir()
        _prepare_database(work, root)
        source = work / "attachment.pdf"
        _generate(source, arguments.megabytes * MB)
        _generate(work / "warm-up.pdf", MB)

        figures = {"megabytes": arguments.megabytes, "root": str(root)}
        if arguments.only in (None, "in-process"):
            figures["in_process"] = _measure(
                InProcessBrowser(), os.getpid(), work, source, arguments.rounds
            )
        if arguments.only in (None, "gunicorn"):
            figures["gunicorn"] = _measure_gunicorn(work, root, source, arguments.rounds)

    if arguments.json:
        print(json.dumps(figures))
        return figures
    print(
        f"securemail attachment of {arguments.megabytes} MB through the public pages, "
        f"median of {arguments.rounds} rounds, load {os.getloadavg()[0]:.1f} ({root})"
    )
    if "in_process" in figures:
        _print("Django's WSGI handler in this process (no HTTP server):", figures["in_process"])
    if "gunicorn" in figures:
        _print(
            "gunicorn, one sync worker, over loopback (the worker's CPU, memory):",
            figures["gunicorn"],
        )
    return figures


def _measure_gunicorn(work: Path, root: Path, source: Path, rounds: int) -> dict:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
        + ["--timeout", "600", "--log-level", "warning", "config.wsgi"],
        cwd=root,
        env=_environment(work),
    )
    try:
        _wait_for(port, server)
        worker = _worker_pid(server.pid)
        return _measure(Browser(port), worker, work, source, rounds)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1:])

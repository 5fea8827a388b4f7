"""Issue 9, "done when", against a real server: `make run` itself in a directory that mirrors a
fresh clone (an empty var/, so SQLite, as the README's first command has it), and `make run`'s
steps on a fresh PostgreSQL database (migrate, load_demo_data, `manage.py serve`: the web server
and the task worker); each in processes of their own on a free port, driven over HTTP; every email
through a real SMTP server on loopback.

A person without an account sends a secure message with two attachments; the demo caseworker reads
it and replies with an attachment; the person types the official address from the notification,
asks for a one-time code, reads the reply and answers. In Finnish, Swedish and English, against
each server. The emails carry no link and none of the message's content.

`PUBLIC_BASE_URL` is not set: `serve` passes the address it serves on to the web server and the
worker, and the official address in the emails must be that server's own Securemail page.
"""

from __future__ import annotations

import contextlib
import html
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings

from tests.conftest import SMTPServer
from tests.documents.conftest import PDF_BYTES, PNG_BYTES
from tests.e2e.crash_processes import crash_database, free_port, wait_for
from tests.e2e.flow import totp_code
from tests.notifications.test_case_notifications import LINK_MARKERS
from tests.test_readme_commands import Checkout

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TOKEN = re.compile(r'name="submission_token" value="([^"]+)"')
CODE = re.compile(r"\b(\d{4} \d{4})\b")
UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"


class Server:
    def __init__(self, directory: Path, environment: dict[str, str], port: int):
        self.directory = directory
        self.environment = environment
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.serve: subprocess.Popen | None = None

    def manage(self, *arguments: str, timeout: float = 180) -> str:
        done = subprocess.run(  # noqa: S603 (our own manage.py, fixed arguments)
            [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), *arguments],
            cwd=settings.BASE_DIR,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        return done.stdout

    def start(self) -> None:
        log = (self.directory / "serve.log").open("wb")
        # A session of its own: serve's children (runserver, db_worker) are stopped with it.
        self.serve = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "serve", "--port", str(self.port)],
            cwd=settings.BASE_DIR,
            env=self.environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()

        def answers():
            assert self.serve.poll() is None, self.log_tail()
            try:
                return requests.get(f"{self.base_url}/securemail/", timeout=(1, 20)).status_code
            except requests.RequestException:
                return None

        wait_for(answers, timeout=60, what="the web server")

    def stop(self) -> None:
        if self.serve is not None and self.serve.poll() is None:
            os.killpg(self.serve.pid, signal.SIGINT)
            try:
                self.serve.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.serve.pid, signal.SIGKILL)
                self.serve.wait(timeout=10)

    def log_tail(self) -> str:
        return (self.directory / "serve.log").read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module")
def mail_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


class MakeRun:
    """`make run` as the README has it, in a mirror of the checkout with an empty var/ (a fresh
    clone's state); only the package install is marked done (the suite runs in that venv)."""

    def __init__(self, directory: Path, environment: dict[str, str], port: int):
        self.checkout = Checkout(directory)
        self.environment = environment
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.log = directory / "make-run.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (make, fixed arguments)
                ["make", "-o", ".venv/.installed", "run"],  # noqa: S607
                cwd=self.checkout.work,
                env=self.checkout.env(**self.environment, PORT=str(self.port)),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def answers():
            assert self.process.poll() is None, self.log_tail()
            try:
                return requests.get(f"{self.base_url}/securemail/", timeout=(1, 20)).status_code
            except requests.RequestException:
                return None

        wait_for(answers, timeout=300, what="make run")
        # load_demo_data has ended by now: what it printed is in the log.
        return self.log.read_text(errors="replace")

    def stop(self) -> None:
        """Ctrl+C to make and everything it started (one process group), then a kill."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGINT)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=20)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@pytest.fixture(scope="module", params=["make run", "PostgreSQL"])
def running(request, tmp_path_factory, mail_server):
    """A fresh installation serving: `make run` itself, or its steps on PostgreSQL."""
    if request.param == "make run":
        server = MakeRun(
            tmp_path_factory.mktemp("securemail-make-run"),
            {
                "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(mail_server.port),
                "LOG_LEVEL": "WARNING",
            },
            free_port(),
        )
        try:
            yield server, server.start()
        finally:
            server.stop()
        return
    directory = tmp_path_factory.mktemp("securemail-server")
    database = crash_database(directory)
    port = free_port()
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PERMITSAFE_", "DATABASE_", "PYTEST_", "PUBLIC_BASE_"))
    }
    environment.update(
        PERMITSAFE_MODE="development",
        PERMITSAFE_VAR_DIR=str(directory / "var"),
        DATABASE_URL=database.url,
        DOCUMENTS_ROOT=str(directory / "documents"),
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(mail_server.port),
        SMS_BACKEND="console",
        CLAMD_SOCKET="",  # the development scanner, as `make run` has it
        LOG_LEVEL="WARNING",
    )
    server = Server(directory, environment, port)
    server.manage("compile_translations")
    server.manage("migrate", "--no-input")
    printed = server.manage("load_demo_data", "--port", str(port))
    server.start()
    try:
        yield server, printed
    finally:
        server.stop()
        database.drop()


def _mails_to(mail_server, address: str, *, count: int, timeout: float = 60):
    def arrived():
        found = [mail for mail in mail_server.outbox if address in mail.envelope_to]
        return found if len(found) >= count else None

    return wait_for(arrived, timeout=timeout, what=f"{count} email(s) to {address}")


def _assert_no_link_no_content(mail, *secrets: str) -> None:
    for part in (mail.text.lower(), mail.html.lower()):
        for marker in LINK_MARKERS:
            assert marker not in part, marker
    raw = mail.raw.decode("utf-8", "replace")
    for secret in secrets:
        assert secret not in raw and secret not in mail.text and secret not in mail.html


class Browser:
    def __init__(self, base_url: str, language: str):
        self.base_url = base_url
        self.http = requests.Session()
        self.http.cookies.set(settings.LANGUAGE_COOKIE_NAME, language)
        self.http.headers["Accept-Language"] = language

    def get(self, url: str) -> requests.Response:
        response = self.http.get(url if url.startswith("http") else self.base_url + url, timeout=60)
        assert response.status_code == 200, (url, response.status_code, response.text[-2000:])
        return response

    def submit(self, path: str, data: dict, files=None) -> requests.Response:
        """Fill in the form shown at `path` (its CSRF and one-time form token) and send it."""
        page = self.get(path).text
        token = TOKEN.search(page)
        response = self.http.post(
            self.base_url + path,
            data={
                "csrfmiddlewaretoken": CSRF.search(page).group(1),
                **({"submission_token": token.group(1)} if token else {}),
                **data,
            },
            files=files,
            allow_redirects=False,
            timeout=120,
        )
        assert response.status_code == 302, (path, response.status_code, response.text[-3000:])
        return response


def _code_from(mail) -> str:
    return CODE.search(mail.text).group(1)


def _official_address(mail) -> str:
    match = re.search(r"((?:localhost|127\.0\.0\.1):\d+/securemail/)", mail.text)
    assert match, mail.text
    return match.group(1)


def _demo_account(printed: str, role: str) -> tuple[str, str, str]:
    block = printed.split(f"  {role}: ", 1)[1]
    email = block.split("\n", 1)[0].strip()
    password = re.search(r"password:\s+(.+)", block).group(1).strip()
    key = re.search(r"TOTP key:\s+(.+)", block).group(1).strip()
    return email, password, key


def _wait_until_servable(browser: Browser, path: str, names: list[str]) -> str:
    """Files are shown as links only once the virus scan (the worker) passed them."""

    def linked():
        page = browser.get(path).text
        return page if all(f">{name}</a>" in page for name in names) else None

    return wait_for(linked, timeout=60, what=f"scanned files {names} on {path}")


# The last authenticator time step used on each server (its demo caseworker signs in once per
# language).
_LAST_TOTP_STEP: dict[str, int] = {}


def _fresh_totp_code(key: str, base_url: str) -> str:
    """The app's code for the current time step, after waiting for a step later than the last one
    used on this server (and not in a step's last seconds): django-otp refuses a step already
    used and accepts one step either side of the drift it learnt from the previous code (fixed
    "steps ahead" per sign-in failed on a slow machine, where a code checked a step late left a
    drift of -1)."""
    now = int(time.time() // 30)
    # Nor one about to end, so that the server checks it within its own step.
    earliest = now + 1 if time.time() % 30 > 25 else now
    step = max(earliest, _LAST_TOTP_STEP.get(base_url, -1) + 1)
    if step > now:
        time.sleep(step * 30 - time.time() + 0.05)
    _LAST_TOTP_STEP[base_url] = step
    return totp_code(key, steps_ahead=step - int(time.time() // 30))


def _sign_in(browser: Browser, email: str, password: str, key: str) -> None:
    browser.submit("/accounts/login/", {"username": email, "password": password})
    browser.submit("/accounts/two-factor/", {"token": _fresh_totp_code(key, browser.base_url)})


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_the_done_when_journey_on_a_running_server(running, mail_server, language):
    server, printed = running
    base = server.base_url
    # One SMTP server takes both installations' mail: an address of its own per server.
    sender = f"maija.{language}.{server.port}@example.org"
    body = f"Secret phrase {language}: my passport number is XP{language.upper()}4411."
    answer_text = f"Thank you ({language}), here is my answer: ZQ{language.upper()}77."
    reply_text = f"Reply {language}: the decision letter is attached, RK{language.upper()}55."

    # make run says where Securemail is.
    assert f"localhost:{server.port}/securemail/" in printed

    # 1. The person without an account: address, code by email, the message with two files.
    person = Browser(base, language)
    person.submit("/securemail/", {"email": sender})
    [code_mail] = _mails_to(mail_server, sender, count=1)
    _assert_no_link_no_content(code_mail)
    assert code_mail.message["Content-Language"] in (language, None)
    person.submit("/securemail/code/", {"code": _code_from(code_mail)})
    new_page = person.get("/securemail/messages/new/").text
    assert f'lang="{language}"' in new_page
    sent = person.submit(
        "/securemail/messages/new/",
        {"topic": "residence-permit", "subject": f"Passport {language}", "body": body},
        files=[
            ("attachments", ("passport.pdf", PDF_BYTES, "application/pdf")),
            ("attachments", ("photo.png", PNG_BYTES, "image/png")),
        ],
    )
    conversation_id = re.search(UUID, sent.headers["Location"]).group(0)
    person.get(sent.headers["Location"])  # the receipt page
    receipt = _mails_to(mail_server, sender, count=2)[-1]
    _assert_no_link_no_content(receipt, body, f"XP{language.upper()}4411")

    # 2. The demo caseworker reads it (files after the scan) and replies with a file.
    caseworker = Browser(base, language)
    email, password, key = _demo_account(printed, "caseworker")
    _sign_in(caseworker, email, password, key)
    inbox = caseworker.get("/casework/securemail/").text
    back_office_path = f"/casework/securemail/{conversation_id}/"
    assert back_office_path in inbox
    page = _wait_until_servable(caseworker, back_office_path, ["passport.pdf", "photo.png"])
    assert html.escape(body) in page
    [pdf_path] = re.findall(rf'href="({back_office_path}files/{UUID}/)">passport\.pdf', page)
    assert caseworker.get(pdf_path).content == PDF_BYTES
    caseworker.submit(
        back_office_path,
        {"body": reply_text},
        files=[("attachments", ("decision.pdf", PDF_BYTES, "application/pdf"))],
    )

    # 3. The notification: no content, no link, the official address to type.
    notification = _mails_to(mail_server, sender, count=3)[-1]
    _assert_no_link_no_content(notification, reply_text, f"RK{language.upper()}55", body)
    address = _official_address(notification)

    # 4. The person, in a new browser, types the address, asks for a code and reads the reply.
    host = address.split("/", 1)[0]
    assert host.endswith(f":{server.port}")  # this server, as typed, not the profile's address
    later = Browser(f"http://{host}", language)
    start = later.get(f"http://{address}")
    assert start.url.rstrip("/").endswith("/securemail")
    later.submit("/securemail/", {"email": sender})
    code_mail = _mails_to(mail_server, sender, count=4)[-1]
    later.submit("/securemail/code/", {"code": _code_from(code_mail)})
    assert f"/securemail/messages/{conversation_id}/" in later.get("/securemail/messages/").text
    public_path = f"/securemail/messages/{conversation_id}/"
    page = _wait_until_servable(later, public_path, ["decision.pdf"])
    assert html.escape(reply_text) in page
    [reply_file] = re.findall(rf'href="({public_path}files/{UUID}/)">decision\.pdf', page)
    assert later.get(reply_file).content == PDF_BYTES

    # 5. The person answers; the caseworker sees the answer.
    later.submit(public_path, {"body": answer_text})
    assert html.escape(answer_text) in caseworker.get(back_office_path).text
    # Nothing of the conversation reached any email.
    for mail in mail_server.outbox:
        for secret in (
            f"XP{language.upper()}4411",
            f"RK{language.upper()}55",
            f"ZQ{language.upper()}77",
        ):
            assert secret not in mail.raw.decode("utf-8", "replace")

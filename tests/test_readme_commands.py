"""Every command in the README's ```sh blocks works as written on a checkout after `make run`; so
does every `manage.py` command the text names outside them (inline or in an indented block).

The commands run in subprocesses with a bare environment (no PERMITSAFE_MODE, no SECRET_KEY: what a
fresh shell has), from a working directory that mirrors the checkout, against a temporary var/
(PERMITSAFE_VAR_DIR) that `make run` itself has just filled: migrated SQLite, demo data. The inputs
a command names (message.eml, an mbox, a Maildir, addresses.txt...) are written by the test.
"""

from __future__ import annotations

import contextlib
import json
import mailbox
import os
import re
import shlex
import signal
import socket
import sqlite3
import subprocess
import time
import urllib.error
import urllib.request
from email.message import EmailMessage
from pathlib import Path

import pytest

from deploy.provisioning import free_ports

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
COMMAND_TIMEOUT = 60
SERVER_TIMEOUT = 60


def readme_commands() -> list[str]:
    """The command lines of every ```sh block, without their trailing comments."""
    text = README.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL):
        for line in block.splitlines():
            # A comment starts at a `#` after whitespace; none of the commands holds one otherwise.
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                commands.append(command)
    return commands


COMMANDS = readme_commands()


def readme_inline_manage_commands() -> list[str]:
    """The `manage.py` commands named outside the ```sh blocks: in `code` spans and indented
    blocks, from `manage.py` on, with a mode named in front of `python` kept in front."""
    text = re.sub(r"^```sh\n.*?^```", "", README.read_text(encoding="utf-8"), flags=re.M | re.S)
    spans = re.findall(r"`([^`\n]*manage\.py[^`\n]*)`", text)
    spans += re.findall(r"^(?: {4}|\t)(.*manage\.py.*)$", text, flags=re.M)
    commands = []
    for span in spans:
        mode = re.search(r"\bPERMITSAFE_MODE=\w+ ", span)
        command = (mode.group(0) if mode else "") + span[span.index("manage.py") :].strip()
        # "`python manage.py ...`" stands for every command, not one.
        if not command.endswith("...") and command not in commands:
            commands.append(command)
    return commands


INLINE_COMMANDS = readme_inline_manage_commands()


def _free_port() -> int:
    return free_ports(1)[0]


def _email(subject: str, body: str, sender: str = "Migri <noreply@migri-fi.com>") -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = "someone@example.org"
    message["Subject"] = subject
    message.set_content(body)
    return message.as_bytes()


SCAM = _email(
    "Your residence permit",
    "Your residence permit will be cancelled. Confirm your details at https://migri-fi.com/login",
)
PLAIN = _email("Lunch", "See you at noon.", sender="friend@example.org")


def _write_inputs(work: Path, home: Path) -> None:
    (work / "message.eml").write_bytes(SCAM)
    (work / "a.eml").write_bytes(PLAIN)
    reports = work / "reports"
    reports.mkdir()
    (reports / "1.eml").write_bytes(SCAM)
    (reports / "2.eml").write_bytes(PLAIN)
    archive = mailbox.mbox(work / "archive.mbox")
    archive.add(SCAM)
    archive.add(PLAIN)
    archive.close()
    maildir = mailbox.Maildir(home / "Maildir", create=True)
    maildir.add(SCAM)
    maildir.close()
    (work / "sms.txt").write_text(
        "Migri: your permit decision is ready. Send your bank details to +358401111111.\n",
        encoding="utf-8",
    )
    (work / "addresses.txt").write_text(
        "https://migri.fi/en/home\nhttp://migri-fi.com/login\nhttps://example.org/\n",
        encoding="utf-8",
    )


class Checkout:
    """A working directory that looks like the checkout (its entries linked, var/ apart)."""

    def __init__(self, root: Path):
        self.work = root / "checkout"
        self.home = root / "home"
        self.var = root / "var"
        for directory in (self.work, self.home, self.var):
            directory.mkdir()
        for entry in REPO.iterdir():
            if entry.name not in {"var", ".git"}:
                (self.work / entry.name).symlink_to(entry)
        _write_inputs(self.work, self.home)

    def env(self, **extra: str) -> dict[str, str]:
        # What a fresh shell has: PATH, HOME, a locale. The settings file sits in the real checkout, so
        # var/ is moved by PERMITSAFE_VAR_DIR rather than by the link layout.
        return {
            "PATH": os.environ["PATH"],
            "HOME": str(self.home),
            "LANG": "C.UTF-8",
            "PERMITSAFE_VAR_DIR": str(self.var),
            **extra,
        }

    def start(self, command: str, **extra: str) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603 (the README's own command lines)
            ["bash", "-c", command],
            cwd=self.work,
            env=self.env(**extra),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> str:
    """Stop a server and everything it started (its own process group), as Ctrl+C would."""
    for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            break
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            continue
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the web server and worker, if any outlived it
    return process.stdout.read().decode("utf-8", "replace") if process.stdout else ""


def _wait_until(ready, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + SERVER_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{what} exited with {process.returncode}:\n{_stop(process)}")
        if ready():
            return
        time.sleep(0.3)
    pytest.fail(f"{what} did not come up within {SERVER_TIMEOUT} s:\n{_stop(process)}")


def _http_answers(port: int):
    def ready() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:  # noqa: S310
                return response.status < 500
        except urllib.error.HTTPError as error:
            return error.code < 500
        except OSError:
            return False

    return ready


def _smtp_greets(port: int):
    def ready() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as connection:
                return connection.recv(64).startswith(b"220")
        except OSError:
            return False

    return ready


def _run_make_run(checkout: Checkout, command: str) -> str:
    port, reports_port, plain_email_port = free_ports(3)
    # The test cannot install packages: `-o` marks the install step as done (the environment running
    # the suite is the installed one); everything else is `make run` as the README shows it.
    make_command = command.replace("make run", "make -o .venv/.installed run", 1)
    process = checkout.start(
        make_command,
        PORT=str(port),
        REPORTS_SMTP_PORT=str(reports_port),
        PLAIN_EMAIL_SMTP_PORT=str(plain_email_port),
    )
    _wait_until(_http_answers(port), process, command)
    # "Starts everything": the receivers of forwarded scam messages and of plain email too.
    _wait_until(_smtp_greets(reports_port), process, f"{command}: the report receiver")
    _wait_until(_smtp_greets(plain_email_port), process, f"{command}: the plain-email receiver")
    # While it runs: the address it tells people (security.txt, emails) is the one it serves on.
    url = f"http://127.0.0.1:{port}/.well-known/security.txt"
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
        checkout.security_txt = response.read().decode()
    checkout.port = port
    return _stop(process)


@pytest.fixture(scope="module")
def after_make_run(tmp_path_factory):
    """A checkout in the state `make run` leaves (and the output `make run` printed)."""
    checkout = Checkout(tmp_path_factory.mktemp("readme"))
    output = _run_make_run(checkout, "make run")
    assert (checkout.var / "permitsafe.sqlite3").exists(), output
    return checkout, output


def test_the_readme_shows_commands():
    assert "make run" in COMMANDS
    assert any("check_message" in command for command in COMMANDS)
    assert any("check_url" in command for command in COMMANDS)


def test_make_run_comes_up_without_library_noise(after_make_run):
    _checkout, output = after_make_run
    # The fixture saw the site answer; what `serve` printed last may still sit in its stdout buffer
    # when it is stopped, so the demo data's address line (its process has ended) is checked.
    assert "The platform: http://localhost:" in output, output
    noisy = [line for line in output.splitlines() if re.search(r"fontTools|weasyprint", line)]
    assert not noisy, "\n".join(noisy[:20])


def test_make_run_tells_the_address_it_serves_on(after_make_run):
    checkout, _output = after_make_run
    canonical = f"Canonical: http://localhost:{checkout.port}/.well-known/security.txt"
    assert canonical in checkout.security_txt


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_works_as_written(command, after_make_run):
    checkout, _output = after_make_run
    words = shlex.split(command)
    if words[:2] == ["make", "test"]:
        pytest.skip("`make test` runs this suite; it is not run from inside it")
    if words[:2] == ["make", "run"]:
        return  # started, checked to come up and stopped by the `after_make_run` fixture
    if words[:2] == ["make", "cluster"]:
        # It runs until stopped, with PostgreSQL and SeaweedFS: tests/deploy/test_cluster.py starts
        # it for real. Here: the command as written reaches the cluster script with its options.
        dry_run = command.replace("make cluster", "make -n -o .venv/.installed cluster", 1)
        result = subprocess.run(  # noqa: S603 (the README's own command line)
            ["bash", "-c", dry_run], cwd=checkout.work, env=checkout.env(), capture_output=True
        )
        assert result.returncode == 0, result.stderr.decode()
        assert b"-m deploy.cluster --web" in result.stdout, result.stdout.decode()
        return
    if "receive_reports" in words or "receive_plain_email" in words:
        port = _free_port()
        # Another run of the suite may hold the documented port; the command is otherwise as written.
        process = checkout.start(re.sub(r"--port \d+", f"--port {port}", command))
        _wait_until(_smtp_greets(port), process, command)
        _stop(process)
        return
    result = subprocess.run(  # noqa: S603 (the README's own command lines)
        ["bash", "-c", command],
        cwd=checkout.work,
        env=checkout.env(),
        input=SCAM,  # for a `-` (standard input) among the inputs
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == 0, f"{command}\nexit status {result.returncode}:\n{output}"
    assert result.stdout.strip(), f"{command} printed nothing:\n{output}"
    if "--json" in words:
        for line in result.stdout.decode("utf-8").splitlines():
            assert isinstance(json.loads(line), dict), f"{command}: not a JSON object: {line}"


def test_the_readme_names_commands_outside_its_sh_blocks():
    assert {
        "manage.py dkim_dns_record",
        "PERMITSAFE_MODE=production manage.py check --deploy",
        "manage.py db_worker",
        "manage.py enqueue_periodic_tasks",
        "manage.py list_failed_notifications",
        "manage.py rewrap_data_keys",
        "manage.py securemail_rehash_correspondents",
        "manage.py trust_rehash_personal_digests",
    } <= set(INLINE_COMMANDS)


def _ready_tasks(checkout: Checkout) -> int:
    with contextlib.closing(sqlite3.connect(checkout.var / "permitsafe.sqlite3")) as database:
        (count,) = database.execute(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
        ).fetchone()
    return count


def _run_in_checkout(checkout: Checkout, command: str, env: dict[str, str]):
    return subprocess.run(  # noqa: S603 (the README's own command lines)
        ["bash", "-c", command],
        cwd=checkout.work,
        env=env,
        capture_output=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )


@pytest.mark.parametrize("command", INLINE_COMMANDS)
def test_readme_inline_command_works(command, after_make_run, tmp_path):
    """As a development checkout types it (README: "run the same `python manage.py ...` commands"),
    or in production mode with the environment the web server has where the README names it."""
    checkout, _output = after_make_run
    words = shlex.split(command)
    if words[0] == "PERMITSAFE_MODE=production":
        # The production environment of the deploy-settings test: every setting the README lists.
        from tests.core.test_deploy_settings import _production_env

        env = {**_production_env(tmp_path), "PATH": os.environ["PATH"], "HOME": str(checkout.home)}
        env.pop("DJANGO_SETTINGS_MODULE")
        line = ".venv/bin/python " + shlex.join(words[1:])
    else:
        env = checkout.env(PERMITSAFE_MODE="development")
        line = ".venv/bin/python " + command
    if words[1:2] == ["db_worker"]:
        # A worker runs until stopped: it must run the tasks waiting for it, then it is stopped.
        queued = _run_in_checkout(
            checkout, ".venv/bin/python manage.py enqueue_periodic_tasks", env
        )
        assert queued.returncode == 0, queued.stdout + queued.stderr
        assert _ready_tasks(checkout) > 0
        process = checkout.start(line, PERMITSAFE_MODE="development")
        _wait_until(lambda: _ready_tasks(checkout) == 0, process, command)
        _stop(process)
        return
    if words[1:2] == ["serve"]:
        # The web server and worker run until stopped: on a free port it must answer, then stop.
        port = _free_port()
        process = checkout.start(f"{line} --port {port}", PERMITSAFE_MODE="development")
        _wait_until(_http_answers(port), process, command)
        _stop(process)
        return
    result = _run_in_checkout(checkout, line, env)
    output = (result.stdout + result.stderr).decode("utf-8", "replace")
    assert result.returncode == 0, f"{command}\nexit status {result.returncode}:\n{output}"
    if "check" in words and "--deploy" in words:
        # "reports nothing when the settings above are given"
        assert "System check identified no issues" in output, output
    if "dkim_dns_record" in words:
        assert "v=DKIM1" in output, output

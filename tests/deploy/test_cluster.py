"""`make cluster` (deploy.cluster): the whole topology started for real on free ports against a
throwaway PostgreSQL database, answering and then stopped with every process gone; and its pieces."""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import signal
import smtplib
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest

from deploy.launched import NotLaunched, launched
from deploy.processes import session_members, without_django_settings
from deploy.provisioning import drop_database, ensure_database, free_port, throwaway_secrets

ROOT = Path(__file__).resolve().parents[2]
POSTGRES = "postgres://postgres@127.0.0.1:5432"
START_TIMEOUT = 120


def _environment() -> dict[str, str]:
    # The suite's own settings (test mode, its var folder) must not leak into the cluster.
    return without_django_settings(os.environ)


@pytest.fixture
def throwaway_database():
    name = f"cluster_test_{uuid.uuid4().hex[:12]}"
    yield name
    drop_database(f"{POSTGRES}/{name}")


def _get(url: str, **headers: str):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _output(path: Path) -> str:
    return path.read_text(errors="replace") if path.exists() else ""


def _wait_for(condition, process, output: Path, what: str, timeout: float = START_TIMEOUT):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"the cluster exited with {process.returncode}:\n{_output(output)}")
        time.sleep(0.3)
    pytest.fail(f"{what} within {timeout} s:\n{_output(output)}")


def _tasks(database_url: str) -> dict[str, int]:
    with psycopg.connect(database_url) as connection:
        rows = connection.execute(
            "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
        ).fetchall()
    return dict(rows)


def test_make_cluster_runs_the_cluster_script_with_its_options():
    dry_run = subprocess.run(
        ["make", "-n", "-o", ".venv/.installed", "cluster", "WEB=3", "THREADS=2", "WORKERS=4"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "-m deploy.cluster --web 3 --threads 2 --workers 4" in dry_run.stdout
    assert "--storage s3" in dry_run.stdout
    usage = subprocess.run(
        [sys.executable, "-m", "deploy.cluster", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    for option in (
        *(
            "--web",
            "--threads",
            "--workers",
            "--port",
            "--var-dir",
            "--no-demo",
            "--storage",
            "--payments",
        ),
    ):
        assert option in usage.stdout


def test_the_cluster_starts_serves_in_production_settings_and_stops_every_process(
    tmp_path, throwaway_database
):
    port = free_port()
    var = tmp_path / "cluster"
    output = tmp_path / "output.txt"
    database_url = f"{POSTGRES}/{throwaway_database}"
    command = [
        sys.executable,
        "-m",
        "deploy.cluster",
        *("--web", "1", "--threads", "2", "--workers", "1"),
        *("--storage", "filesystem", "--no-demo"),
        *("--port", str(port), "--var-dir", str(var), "--database-url", database_url),
    ]
    with open(output, "wb") as sink:
        cluster = subprocess.Popen(  # noqa: S603 (our own script)
            command, cwd=ROOT, env=_environment(), stdout=sink, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(
            lambda: "The cluster is ready" in _output(output),
            cluster,
            output,
            "the cluster was not ready",
        )
        status, _headers, body = _get(f"{base}/healthz")
        assert status == 200, body
        assert json.loads(body)["checks"] == {
            "database": "ok",
            "storage": "ok",
            "task_queue": "ok",
        }
        assert _get(f"{base}/livez")[0] == 200
        # --threads: gunicorn's thread worker, each connection closed after its response.
        web_log = (var / "logs" / "web.log").read_text(encoding="utf-8")
        assert "Using worker: gthread" in web_log
        # An HTTP/1.1 client that asks for nothing (so keep-alive) is told the connection closes.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            connection.request("GET", "/livez")
            response = connection.getresponse()
            response.read()
            assert response.getheader("Connection", "").lower() == "close"
        finally:
            connection.close()
        # Production settings: plain http is sent to https; through the "proxy" (this machine,
        # saying https) the page is served with its __Host- cookie.
        status, headers, _body = _get(f"{base}/")
        assert (status, headers["Location"]) == (301, f"https://127.0.0.1:{port}/")
        status, headers, _body = _get(f"{base}/accounts/login/", **{"X-Forwarded-Proto": "https"})
        assert status == 200
        assert "__Host-csrftoken=" in headers["Set-Cookie"]
        # The periodic enqueuer ran at start, and the worker ran what it enqueued.
        _wait_for(
            lambda: (
                (counts := _tasks(database_url)).get("SUCCESSFUL", 0) > 0
                and not counts.get("READY")
            ),
            cluster,
            output,
            "the worker did not run the periodic tasks",
        )
        # What other programs read: the environment (private) and where everything is.
        cluster_info = launched(var)
        processes = cluster_info.pids
        assert {"clamd", "web", "worker-1", "reports", "plain-mail"} <= set(processes)
        # The inbound mail receivers answer SMTP on the ports the cluster names.
        for receiver in ("reports_smtp", "plain_email_smtp"):
            with smtplib.SMTP(
                "127.0.0.1", cluster_info.info["ports"][receiver], timeout=30
            ) as smtp:
                assert smtp.noop()[0] == 250, receiver
        assert cluster_info.base_url == base and cluster_info.database_url == database_url
        assert (var / "cluster.env").stat().st_mode & 0o777 == 0o600
        environment = cluster_info.environment
        assert environment["PERMITSAFE_MODE"] == "production"
        assert environment["PAYMENTS_PROVIDER"] == "paytrail"
        assert "PATH" not in environment  # the cluster's own settings, not the shell's
        # The platform's Paytrail provider runs against the stand-in: a manage.py command with
        # cluster.env alone passes the deploy check of the payment provider.
        check = subprocess.run(
            [sys.executable, "manage.py", "check", "--deploy", "--tag", "security"],
            cwd=ROOT,
            env={**_environment(), **environment},
            capture_output=True,
            text=True,
        )
        assert "payments.E00" not in check.stdout + check.stderr
        standin = cluster_info.info["paytrail_standin"]
        assert environment["PAYTRAIL_BASE_URL"] == standin["base_url"]
        assert standin["page_base_url"].startswith("https://127.0.0.1:")
    finally:
        cluster.send_signal(signal.SIGTERM)
        try:
            returncode = cluster.wait(timeout=60)
        except subprocess.TimeoutExpired:
            cluster.kill()
            raise
    assert returncode == 0, _output(output)
    assert "The cluster has stopped." in _output(output)
    assert not (var / "cluster.env").exists()
    with pytest.raises(NotLaunched):
        launched(var)
    # Every process, and whatever each started (gunicorn's workers), has exited.
    for name, pid in processes.items():
        assert session_members(pid) == [], name
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_mail_sink_keeps_every_message_whole(tmp_path):
    import smtplib
    from email.message import EmailMessage

    from deploy.mail_sink import MailSink

    sink = MailSink(tmp_path / "mail").start()
    try:
        with smtplib.SMTP("127.0.0.1", sink.port, timeout=10) as client:
            for number in range(2):
                message = EmailMessage()
                message["From"] = "noreply@migri.fi"
                message["To"] = f"person{number}@example.org"
                message["Subject"] = f"Notice {number}"
                message.set_content(f"Body {number}")
                client.send_message(message)
    finally:
        sink.stop()
    assert sink.received == 2
    envelopes = [
        json.loads(line)
        for line in (tmp_path / "mail" / "envelopes.jsonl").read_text().splitlines()
    ]
    assert sorted(envelope["to"][0] for envelope in envelopes) == [
        "person0@example.org",
        "person1@example.org",
    ]
    for envelope in envelopes:
        raw = (tmp_path / "mail" / envelope["file"]).read_bytes()
        assert envelope["to"][0].encode() in raw and b"Subject: Notice" in raw
    assert sorted(path.suffix for path in (tmp_path / "mail").iterdir()) == [
        ".eml",
        ".eml",
        ".jsonl",
    ]


@pytest.mark.django_db
def test_text_messages_go_through_the_file_gateway_named_by_its_path(
    settings, tmp_path, monkeypatch, django_capture_on_commit_callbacks
):
    from notifications.models import OutboundSMS, OutboundSMSStatus
    from notifications.sms import sms_send

    monkeypatch.setenv("CLUSTER_SMS_DIR", str(tmp_path / "sms"))
    settings.SMS_BACKEND = "deploy.sms_gateway.FileSMSGateway"
    with django_capture_on_commit_callbacks(execute=True):
        sms_send(to="+358401234567", text="Your code is 123456", kind="test.code")
    (written,) = (tmp_path / "sms").iterdir()
    record = json.loads(written.read_text())
    assert (record["to"], record["text"]) == ("+358401234567", "Your code is 123456")
    assert record["reference"]
    assert OutboundSMS.objects.get().status == OutboundSMSStatus.SENT


def test_throwaway_secrets_are_made_once_and_kept(tmp_path):
    first = throwaway_secrets(tmp_path / "secrets")
    second = throwaway_secrets(tmp_path / "secrets")
    assert first == second
    assert len(first["SECRET_KEY"]) > 50
    assert first["KEY_ENCRYPTION_KEYS"].startswith("c1:")
    for path in (tmp_path / "secrets").iterdir():
        assert path.stat().st_mode & 0o777 == 0o600
    assert Path(first["DKIM_PRIVATE_KEY_FILE"]).read_bytes().startswith(b"-----BEGIN PRIVATE KEY")


def test_the_database_is_created_only_when_missing(throwaway_database):
    url = f"{POSTGRES}/{throwaway_database}"
    assert ensure_database(url) is True
    assert ensure_database(url) is False
    with contextlib.closing(psycopg.connect(url)) as connection:
        assert connection.execute("SELECT current_database()").fetchone() == (throwaway_database,)


def test_reset_drops_the_database_and_makes_it_anew(throwaway_database):
    url = f"{POSTGRES}/{throwaway_database}"
    ensure_database(url)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("CREATE TABLE left_from_an_earlier_run (id int)")
    assert ensure_database(url, reset=True) is True
    with psycopg.connect(url) as connection:
        tables = connection.execute(
            "SELECT count(*) FROM pg_tables WHERE tablename = 'left_from_an_earlier_run'"
        ).fetchone()
    assert tables == (0,)


def test_a_process_that_exits_stops_the_cluster_with_its_log(tmp_path):
    from deploy.cluster import Cluster, ClusterFailed, parse_arguments

    cluster = Cluster(parse_arguments(["--var-dir", str(tmp_path), "--storage", "filesystem"]))
    still_running = cluster._start("steady", [sys.executable, "-c", "import time; time.sleep(30)"])
    failing = cluster._start(
        "failing", [sys.executable, "-c", "import sys; print('out of luck'); sys.exit(3)"]
    )
    try:
        failing.process.wait(timeout=30)
        with pytest.raises(ClusterFailed) as failure:
            cluster.check_children()
        assert "failing exited with 3" in str(failure.value)
        assert "out of luck" in str(failure.value)
    finally:
        cluster.stop()
    assert not still_running.running()


def test_payments_through_paytrail_need_its_credentials_from_the_environment(tmp_path, monkeypatch):
    from deploy.cluster import Cluster, ClusterFailed, parse_arguments

    monkeypatch.delenv("PAYTRAIL_MERCHANT_ID", raising=False)
    monkeypatch.setenv("PAYTRAIL_SECRET_KEY", "a merchant's test secret")
    cluster = Cluster(parse_arguments(["--var-dir", str(tmp_path), "--payments", "paytrail"]))
    with pytest.raises(ClusterFailed, match="PAYTRAIL_MERCHANT_ID"):
        cluster.payments_environment()
    monkeypatch.setenv("PAYTRAIL_MERCHANT_ID", "695861")
    assert cluster.payments_environment() == {"PAYMENTS_PROVIDER": "paytrail"}
    assert cluster.paytrail is None  # no stand-in started


def test_ports_chosen_for_the_cluster_avoid_the_ones_already_promised(tmp_path):
    """gunicorn binds the web port some time after the command line names it: until then the
    kernel may hand the same port to the next free_port(), and a receiver bound it first (a
    peak-day run lost its cluster so). Ports the cluster chooses skip those promised."""
    from deploy import cluster as cluster_module
    from deploy.cluster import Cluster, parse_arguments
    from deploy.provisioning import free_port

    assert cluster_module.free_port is free_port
    cluster = Cluster(parse_arguments(["--var-dir", str(tmp_path), "--port", "8123"]))
    chosen = {cluster.new_port() for _ in range(20)}
    assert 8123 not in chosen and len(chosen) == 20
    assert cluster.promised_ports == chosen | {8123}


def test_free_port_skips_the_ports_it_is_told_to(monkeypatch):
    import socket as socket_module

    from deploy import provisioning

    ports = iter([5001, 5002, 5003])

    class Probe:
        def close(self):
            pass

        def bind(self, address):
            self.port = next(ports)

        def getsockname(self):
            return ("127.0.0.1", self.port)

    # A stand-in socket (named as such): the kernel's choice of port cannot be steered.
    monkeypatch.setattr(socket_module, "socket", Probe)
    assert provisioning.free_port(besides={5001, 5002}) == 5003

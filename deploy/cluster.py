"""The production topology on one machine (`make cluster`): PostgreSQL (the machine's service),
SeaweedFS as the S3 document store, clamd, an SMTP server that keeps what it receives, gunicorn
with several web processes, several `db_worker` processes and the periodic-task enqueuer, all in
production settings. It prints the address, the demo accounts and each process, supervises them
(one exiting stops the whole cluster with its log), and stops everything on Ctrl+C or SIGTERM.

    .venv/bin/python -m deploy.cluster --web 2 --workers 2 --port 8080

TLS: production redirects plain http and sets __Host- cookies, which need https. The cluster
listens on loopback over plain http as the application server behind a TLS-terminating proxy does:
TRUSTED_PROXIES is loopback, so a client on this machine plays the proxy and sends
`X-Forwarded-Proto: https` (and `X-Forwarded-For: <client address>`, which rate limits, lock-outs
and the audit log then believe). No production security setting is changed.

Secrets (SECRET_KEY, the key-encryption key, the DKIM key) are generated on first start into
`<var-dir>/secrets/` and reused, so that a restart can still read what an earlier run sealed.

Payments (`--payments`): `standin` (the default) runs the platform's Paytrail provider against the
Paytrail stand-in (deploy.paytrail_standin) on loopback: signed requests, the payment page, signed
redirects and callbacks, the real code path under load. `paytrail` takes PAYTRAIL_MERCHANT_ID,
PAYTRAIL_SECRET_KEY (and PAYTRAIL_BASE_URL...) from the environment, for a merchant account's
test credentials; Paytrail's callbacks then need PAYMENTS_RETURN_BASE_URL reachable from Paytrail.

Once it answers, the cluster writes `<var-dir>/cluster.env` (0600: the environment a manage.py
command needs to work on it) and `<var-dir>/cluster.json` (addresses, ports, pids); read them with
deploy.launched.launched(var_dir). Both are removed when it stops.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import secrets
import shutil
import signal
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: `python deploy/cluster.py`
    sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from deploy import clamd, launched  # noqa: E402
from deploy.mail_sink import MailSink  # noqa: E402
from deploy.processes import Child, run_once, without_django_settings  # noqa: E402
from deploy.provisioning import (  # noqa: E402
    ensure_database,
    free_port,
    kept_secret,
    throwaway_secrets,
)

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/permitsafe_cluster"
BUCKET = "permitsafe-documents"
READY_TIMEOUT_SECONDS = 90
STOP_TIMEOUT_SECONDS = 30
# Marks a folder this script made, so that --reset never deletes anything else.
MARKER = ".permitsafe-cluster"
# --access-log: one line a request, "GET /path/ 200 12" (method, path, status, milliseconds).
ACCESS_LOG = "access.log"
ACCESS_LOG_FORMAT = "%(m)s %(U)s %(s)s %(M)s"


def parse_arguments(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="deploy.cluster",
        description="Start the production topology on this machine; Ctrl+C stops it.",
    )
    parser.add_argument("--web", type=int, default=2, help="gunicorn worker processes (2)")
    parser.add_argument(
        "--threads",
        type=int,
        default=4,
        help="threads per web process (4): gunicorn's thread worker, where a short request need "
        "not wait behind a slow one (a sign-in's Argon2, a decision's PDF) in the same process; "
        "1: its sync worker",
    )
    parser.add_argument("--workers", type=int, default=2, help="db_worker processes (2)")
    parser.add_argument("--port", type=int, default=8080, help="the web port on 127.0.0.1 (8080)")
    parser.add_argument(
        "--var-dir", type=Path, default=ROOT / "var" / "cluster", help="var/cluster"
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get("CLUSTER_DATABASE_URL", DEFAULT_DATABASE_URL),
        help=f"PostgreSQL; the database is created if missing ({DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--storage", choices=("s3", "filesystem"), default="s3")
    parser.add_argument(
        "--payments",
        choices=("standin", "paytrail"),
        default="standin",
        help="standin: Paytrail's protocol on loopback (default); paytrail: PAYTRAIL_* settings "
        "from the environment",
    )
    parser.add_argument("--no-demo", action="store_true", help="no demo accounts and data")
    parser.add_argument(
        "--periodic-seconds",
        type=float,
        default=60,
        help="run enqueue_periodic_tasks this often, as cron would (60)",
    )
    parser.add_argument(
        "--reset", action="store_true", help="drop the database and the var folder first"
    )
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="gunicorn writes logs/access.log: method, path, status and milliseconds spent in "
        "the server per request (no client address, no query string), for load runs",
    )
    arguments = parser.parse_args(argv)
    if arguments.web < 1 or arguments.workers < 1 or arguments.threads < 1:
        parser.error("--web, --workers and --threads need at least 1")
    if not urlsplit(arguments.database_url).path.strip("/"):
        parser.error("--database-url must name a database")
    return arguments


# The cluster -----------------------------------------------------------------------------------


class ClusterFailed(RuntimeError):
    pass


class Interrupted(Exception):
    """Ctrl+C or SIGTERM while starting: stop what has started, quietly."""


class Cluster:
    def __init__(self, arguments: argparse.Namespace):
        self.arguments = arguments
        self.var = arguments.var_dir.resolve()
        self.logs = self.var / "logs"
        self.children: list[Child] = []
        self.mail: MailSink | None = None
        self.seaweedfs = None
        self.paytrail = None
        # The inbound SMTP receivers' ports, chosen when they start (start_services).
        self.smtp_ports: dict[str, int] = {}
        # Ports promised to processes that may not have bound them yet (gunicorn's comes from
        # the command line): the kernel would hand them out again to the next free_port().
        self.promised_ports: set[int] = {arguments.port}
        self.stopping = threading.Event()
        self.periodic_thread: threading.Thread | None = None

    # Set-up ------------------------------------------------------------------------------------

    def prepare_var(self) -> None:
        if self.arguments.reset and (self.var / MARKER).exists():
            shutil.rmtree(self.var)
        self.var.mkdir(parents=True, exist_ok=True)
        (self.var / MARKER).touch()

    def storage_environment(self) -> dict[str, str]:
        if self.arguments.storage == "filesystem":
            return {
                "DOCUMENTS_STORAGE_BACKEND": "django.core.files.storage.FileSystemStorage",
                "DOCUMENTS_ROOT": str(self.var / "documents"),
            }
        # Imported here: the S3 server's module is needed only for this choice of storage.
        from deploy.seaweedfs import SeaweedFS

        self.seaweedfs = SeaweedFS(self.var / "seaweedfs", avoid_ports=self.promised_ports).start()
        self.seaweedfs.create_bucket(BUCKET)
        return dict(self.seaweedfs.environment(BUCKET))

    def payments_environment(self) -> dict[str, str]:
        if self.arguments.payments == "paytrail":
            missing = [
                name
                for name in ("PAYTRAIL_MERCHANT_ID", "PAYTRAIL_SECRET_KEY")
                if not os.environ.get(name)
            ]
            if missing:
                raise ClusterFailed(f"--payments paytrail needs {' and '.join(missing)}")
            return {"PAYMENTS_PROVIDER": "paytrail"}
        # Imported here: the stand-in's module is needed only for this choice.
        from deploy.paytrail_standin import MERCHANT_ID, PaytrailStandIn

        port = self.new_port()
        self.paytrail = PaytrailStandIn(
            merchant_id=MERCHANT_ID,
            secret=kept_secret(self.var / "secrets" / "paytrail_standin"),
            port=port,
            # Published as https behind the loopback "proxy" (production refuses a plain-http
            # payment page); its callbacks reach the web server as the proxy forwards them.
            page_base_url=f"https://127.0.0.1:{port}",
            deliver_to=f"http://127.0.0.1:{self.arguments.port}",
        ).start()
        return {
            "PAYMENTS_PROVIDER": "paytrail",
            "PAYTRAIL_BASE_URL": self.paytrail.base_url,
            "PAYTRAIL_MERCHANT_ID": self.paytrail.merchant_id,
            "PAYTRAIL_SECRET_KEY": self.paytrail.secret,
            "PAYTRAIL_ALGORITHM": self.paytrail.algorithm,
            "PAYMENTS_FORM_ACTION_ORIGINS": self.paytrail.page_base_url,
        }

    def environment(
        self, storage: dict[str, str], clamd_port: int, payments: dict[str, str]
    ) -> tuple[dict[str, str], dict[str, str]]:
        """(the processes' whole environment, the part of it that is the cluster's own: what a
        manage.py command needs to work on the cluster, written to cluster.env)."""
        port = self.arguments.port
        inherited = without_django_settings(os.environ)
        own = {
            # What a deployment can tune and the caller may set: kept if given.
            # PUBLIC_BASE_URL is only named in notifications (core.W003 reports it as local).
            "PUBLIC_BASE_URL": inherited.get("PUBLIC_BASE_URL", f"https://localhost:{port}"),
            # Nothing beyond loopback is reachable from these machines: the check engine's DNS
            # look-ups would each wait for their timeout.
            "TRUST_DNS_ENABLED": inherited.get("TRUST_DNS_ENABLED", "0"),
            "LOG_LEVEL": inherited.get("LOG_LEVEL", "INFO"),
        }
        if self.arguments.payments == "paytrail":
            own.update({k: v for k, v in inherited.items() if k.startswith("PAYTRAIL_")})
        own.update(
            PERMITSAFE_MODE="production",
            DJANGO_SETTINGS_MODULE="config.settings",
            PERMITSAFE_VAR_DIR=str(self.var / "app"),
            DATABASE_URL=self.arguments.database_url,
            ALLOWED_HOSTS="127.0.0.1,localhost,[::1]",
            # The client on this machine is the TLS proxy (see the module's docstring).
            TRUSTED_PROXIES="127.0.0.1/32,::1/128",
            # Production's own choices, whatever the calling shell says.
            EMAIL_BACKEND="notifications.dkim.DKIMSigningSMTPBackend",
            TASKS_BACKEND="django_tasks_db.DatabaseBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.mail.port),
            EMAIL_USE_TLS="0",
            SMS_BACKEND="deploy.sms_gateway.FileSMSGateway",
            CLUSTER_SMS_DIR=str(self.var / "sms"),
            CLAMD_SOCKET=f"127.0.0.1:{clamd_port}",
            PYTHONUNBUFFERED="1",
            **throwaway_secrets(self.var / "secrets"),
            **storage,
            **payments,
        )
        return {**inherited, **own}, own

    def new_port(self) -> int:
        """A free loopback port that no process of the cluster has been promised."""
        port = free_port(besides=self.promised_ports)
        self.promised_ports.add(port)
        return port

    def start_clamd(self) -> int:
        port = self.new_port()
        configuration = clamd.write_configuration(self.var / "clamd", port)
        child = self._start("clamd", [clamd.clamd_binary(), "-c", str(configuration)])
        clamd.wait_until_answering(port, child.process)
        return port

    def _start(self, name: str, command: list[str], environment=None) -> Child:
        child = Child(
            name=name,
            command=command,
            log_path=self.logs / f"{name}.log",
            environment=environment or dict(os.environ),
            cwd=ROOT,
        ).start()
        self.children.append(child)
        return child

    def _step(self, name: str, *arguments: str, environment: dict[str, str]) -> str:
        if self.stopping.is_set():
            raise Interrupted
        command = [sys.executable, str(ROOT / "manage.py"), *arguments]
        completed = run_once(
            name, command, log_path=self.logs / "setup.log", environment=environment, cwd=ROOT
        )
        if completed.returncode != 0:
            raise ClusterFailed(f"{name} failed:\n{(completed.stdout + completed.stderr)[-3000:]}")
        return completed.stdout

    def set_up(self, environment: dict[str, str]) -> str:
        """Translations, migrations, static files, the deploy check (printed) and the demo data;
        returns what the demo data printed about its accounts."""
        self._step("compile_translations", "compile_translations", environment=environment)
        self._step("migrate", "migrate", "--no-input", environment=environment)
        self._step("collectstatic", "collectstatic", "--no-input", environment=environment)
        check = run_once(
            "check --deploy",
            [sys.executable, str(ROOT / "manage.py"), "check", "--deploy"],
            log_path=self.logs / "setup.log",
            environment=environment,
            cwd=ROOT,
        )
        findings = [line for line in (check.stdout + check.stderr).splitlines() if ": (" in line]
        if findings:
            print("`check --deploy` on this loopback topology (expected where it says local):")
            for line in findings:
                print(f"  {line.strip()}")
        if self.arguments.no_demo:
            return ""
        # load_demo_data refuses production mode (its passwords are public): it runs once in
        # development mode against the cluster's own database, keys and storage. Its tasks (scans,
        # emails) wait in the queue for the production workers.
        demo_environment = {
            **environment,
            "PERMITSAFE_MODE": "development",
            "DEBUG": "0",
            "EMAIL_BACKEND": "notifications.dkim.DKIMSigningSMTPBackend",
            # The demo's payments are made through the embedded provider, in this step only.
            "PAYMENTS_PROVIDER": "embedded",
            "PAYMENTS_FORM_ACTION_ORIGINS": "",
            "PAYMENTS_EMBEDDED_SECRET": secrets.token_urlsafe(32),
        }
        output = self._step(
            "load_demo_data",
            "load_demo_data",
            "--port",
            str(self.arguments.port),
            environment=demo_environment,
        )
        # The accounts only: the rest of its output names development addresses.
        start, end = output.find("Demo accounts"), output.find("Securemail (")
        if start < 0:
            return ""
        return output[start : end if end > start else len(output)].strip()

    def start_services(self, environment: dict[str, str]) -> None:
        manage = [sys.executable, str(ROOT / "manage.py")]
        for number in range(1, self.arguments.workers + 1):
            self._start(
                f"worker-{number}",
                [*manage, "db_worker", "--queue-name", "*", "--no-reload"],
                environment,
            )
        self._start(
            "web",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.arguments.port}",
                "--workers",
                str(self.arguments.web),
                "--threads",
                str(self.arguments.threads),
                # Each connection closed after its response, as the sync worker does and as a
                # proxy in front talks to its upstream by default: a kept-alive connection that
                # the server times out just as the client sends on it loses that request.
                "--keep-alive",
                "0",
                "--graceful-timeout",
                "20",
                "--forwarded-allow-ips",
                "127.0.0.1,::1",
                *self.access_log_options(),
            ],
            environment,
        )
        # The authority's inbound mail: forwarded scam reports, and plain email to the public
        # address (answered with Securemail's automatic reply, never stored).
        self.smtp_ports = {"reports_smtp": self.new_port(), "plain_email_smtp": self.new_port()}
        self._start(
            "reports",
            [*manage, "receive_reports", "--port", str(self.smtp_ports["reports_smtp"])],
            environment,
        )
        self._start(
            "plain-mail",
            [*manage, "receive_plain_email", "--port", str(self.smtp_ports["plain_email_smtp"])],
            environment,
        )
        self.periodic_thread = threading.Thread(
            target=self._enqueue_periodically, args=(environment,), daemon=True
        )
        self.periodic_thread.start()

    def _enqueue_periodically(self, environment: dict[str, str]) -> None:
        """What cron does in production: enqueue the periodic tasks every few minutes."""
        command = [sys.executable, str(ROOT / "manage.py"), "enqueue_periodic_tasks"]
        while not self.stopping.is_set():
            run_once(
                "enqueue_periodic_tasks",
                command,
                log_path=self.logs / "periodic.log",
                environment=environment,
                cwd=ROOT,
            )
            self.stopping.wait(self.arguments.periodic_seconds)

    def wait_until_ready(self) -> None:
        url = f"http://127.0.0.1:{self.arguments.port}/healthz"
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        while time.monotonic() < deadline and not self.stopping.is_set():
            self.check_children()
            with (
                contextlib.suppress(OSError),
                urllib.request.urlopen(url, timeout=5) as response,  # noqa: S310 (loopback)
            ):
                if response.status == 200:
                    return
            time.sleep(0.3)
        if not self.stopping.is_set():
            raise ClusterFailed(f"{url} did not answer 200 within {READY_TIMEOUT_SECONDS} s")

    def check_children(self) -> None:
        for child in self.children:
            if not child.running():
                raise ClusterFailed(
                    f"{child.name} exited with {child.process.returncode}; its log "
                    f"({child.log_path}) ends:\n{child.log_tail()}"
                )
        server = getattr(self.seaweedfs, "process", None)
        if server is not None and server.poll() is not None:
            raise ClusterFailed(f"SeaweedFS exited with {server.returncode}")

    def access_log_options(self) -> list[str]:
        """gunicorn's access log for a load run: the time each request spent inside the server
        (from its parsed request line to its last byte), apart from any wait in the listen queue
        and the client's own delays. No client address (personal data) and no query string (it
        may carry a token); the path's ids and UUIDs name cases and documents, not people."""
        if not self.arguments.access_log:
            return []
        return [
            "--access-logfile",
            str(self.logs / ACCESS_LOG),
            "--access-logformat",
            ACCESS_LOG_FORMAT,
        ]

    def write_launched(self, own_environment: dict[str, str]) -> None:
        """cluster.env and cluster.json (deploy.launched), once the cluster answers."""
        pids = {child.name: child.pid for child in self.children}
        server = getattr(self.seaweedfs, "process", None)
        if server is not None:
            pids["seaweedfs"] = server.pid
        port = self.arguments.port
        info = {
            "supervisor_pid": os.getpid(),
            "base_url": f"http://127.0.0.1:{port}",
            "public_base_url": own_environment["PUBLIC_BASE_URL"],
            "ports": {"web": port, "smtp": self.mail.port, **self.smtp_ports},
            "web_processes": self.arguments.web,
            "web_threads": self.arguments.threads,
            "workers": self.arguments.workers,
            "database": urlsplit(self.arguments.database_url).path.strip("/"),
            "storage": self.arguments.storage,
            "mail_dir": str(self.var / "mail"),
            "sms_dir": str(self.var / "sms"),
            "logs": str(self.logs),
            "payments": self.arguments.payments,
            "pids": pids,
        }
        if self.arguments.access_log:
            info["access_log"] = str(self.logs / ACCESS_LOG)
        if self.seaweedfs is not None:
            info["s3"] = {"endpoint_url": self.seaweedfs.endpoint_url, "bucket": BUCKET}
        if self.paytrail is not None:
            info["ports"]["paytrail_standin"] = self.paytrail.port
            info["paytrail_standin"] = {
                "base_url": self.paytrail.base_url,
                "page_base_url": self.paytrail.page_base_url,
            }
        launched.write(self.var, own_environment, info)

    # Running and stopping ------------------------------------------------------------------------

    def run(self) -> int:
        self.prepare_var()
        created = ensure_database(self.arguments.database_url, reset=self.arguments.reset)
        self.mail = MailSink(self.var / "mail", port=self.new_port()).start()
        clamd_port = self.start_clamd()
        storage = self.storage_environment()
        payments = self.payments_environment()
        environment, own = self.environment(storage, clamd_port, payments)
        accounts = self.set_up(environment)
        if self.stopping.is_set():
            raise Interrupted
        self.start_services(environment)
        self.wait_until_ready()
        if self.stopping.is_set():
            return 0
        self.write_launched(own)
        self.print_summary(accounts, created)
        while not self.stopping.wait(0.5):
            self.check_children()
        return 0

    def print_summary(self, accounts: str, created: bool) -> None:
        port = self.arguments.port
        database = urlsplit(self.arguments.database_url).path.strip("/")
        print(f"\nThe cluster is ready at http://127.0.0.1:{port}/ (production settings).")
        print(
            "TLS is taken as terminated in front: send `X-Forwarded-Proto: https` (plain http is\n"
            "redirected to https); `X-Forwarded-For` from here names the client."
        )
        print("Liveness: /livez   readiness: /healthz")
        print(f"Database: {database} ({'created' if created else 'existing'})")
        if self.seaweedfs is not None:
            print(f"Documents: S3 at {self.seaweedfs.endpoint_url}, bucket {BUCKET}")
        else:
            print(f"Documents: {self.var / 'documents'}")
        print(f"Mail: SMTP 127.0.0.1:{self.mail.port}, kept in {self.var / 'mail'}")
        print(f"Text messages: kept in {self.var / 'sms'}")
        print(
            f"Inbound mail: scam reports by SMTP on 127.0.0.1:{self.smtp_ports['reports_smtp']}, "
            f"plain email to the public address on 127.0.0.1:{self.smtp_ports['plain_email_smtp']}"
        )
        if self.paytrail is not None:
            print(
                f"Payments: Paytrail's protocol, stand-in at {self.paytrail.base_url} (pages named "
                f"{self.paytrail.page_base_url})"
            )
        else:
            print("Payments: Paytrail, settings from the environment")
        print(
            f"For manage.py and the load run: {self.var / launched.ENV_FILE}, {self.var / launched.INFO_FILE}"
        )
        print("Processes:")
        for child in self.children:
            print(f"  {child.name:<10} pid {child.pid:<8} log {child.log_path}")
        server = getattr(self.seaweedfs, "process", None)
        if server is not None:
            print(f"  {'seaweedfs':<10} pid {server.pid:<8}")
        print(
            f"  {'periodic':<10} every {self.arguments.periodic_seconds:g} s, log {self.logs / 'periodic.log'}"
        )
        if accounts:
            print(f"\n{accounts}")
        print("\nPress Ctrl+C to stop the cluster.", flush=True)

    def stop(self) -> None:
        """Web and workers first (each finishes what it is doing), then what they depend on."""
        self.stopping.set()
        launched.remove(self.var)
        services = [c for c in self.children if c.name != "clamd"]
        for child in services:
            child.signal(signal.SIGTERM)
        for child in services:
            child.wait(STOP_TIMEOUT_SECONDS)
        if self.periodic_thread is not None:
            self.periodic_thread.join(timeout=STOP_TIMEOUT_SECONDS)
        for child in self.children:
            child.signal(signal.SIGTERM)
            child.wait(STOP_TIMEOUT_SECONDS)
        if self.seaweedfs is not None:
            self.seaweedfs.stop()
        if self.paytrail is not None:
            self.paytrail.stop()
        if self.mail is not None:
            self.mail.stop()


def main(argv=None) -> int:
    arguments = parse_arguments(argv)
    cluster = Cluster(arguments)

    def request_stop(signum, frame):
        cluster.stopping.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    try:
        return cluster.run()
    except Interrupted:
        return 0
    # ClusterFailed, clamd's and SeaweedFS's start errors (RuntimeErrors all), PostgreSQL down.
    except (RuntimeError, psycopg.OperationalError) as error:
        print(f"The cluster stopped: {error}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()
        print("The cluster has stopped.", flush=True)


if __name__ == "__main__":
    sys.exit(main())

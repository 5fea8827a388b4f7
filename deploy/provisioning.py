"""What `make cluster` (and the benchmarks that start servers of their own) provide before anything
starts: throwaway secrets kept in a var folder (generated once, reused so that a restart still
opens what was sealed), PostgreSQL databases (created if missing, dropped when thrown away) and
free loopback ports."""

from __future__ import annotations

import base64
import secrets
import socket
from collections.abc import Collection
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from psycopg import sql


def free_port(*, besides: Collection[int] = ()) -> int:
    """A port free on 127.0.0.1 now (another program may take it before it is used: callers
    start at once and fail loudly), and none of `besides`: ports already promised to a process
    that has not bound them yet, which the kernel would hand out again."""
    return free_ports(1, besides=besides)[0]


def free_ports(count: int, *, besides: Collection[int] = ()) -> list[int]:
    """Distinct free ports (held open together so that none repeats), none of `besides`."""
    probes = []
    try:
        while len(probes) < count:
            probe = socket.socket()
            probe.bind(("127.0.0.1", 0))
            probes.append(probe)
            if probe.getsockname()[1] in besides:
                probes.pop().close()
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def kept_secret(path: Path, generate=None) -> str:
    """The secret in `path`, generated (0600) on first use and reused after."""
    return _secret(path, generate or (lambda: secrets.token_urlsafe(32).encode()))


def _secret(path: Path, generate) -> str:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(generate())
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def _dkim_key() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def throwaway_secrets(folder: Path) -> dict[str, str]:
    def token(size):
        return lambda: secrets.token_urlsafe(size).encode()

    key = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    _secret(folder / "dkim.pem", _dkim_key)
    return {
        "SECRET_KEY": _secret(folder / "secret_key", token(60)),
        "KEY_ENCRYPTION_KEYS": _secret(
            folder / "key_encryption_keys", lambda: f"c1:{key}".encode()
        ),
        "DKIM_PRIVATE_KEY_FILE": str(folder / "dkim.pem"),
    }


def _maintenance_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    return urlunsplit(parts._replace(path="/postgres")), parts.path.strip("/")


def database_url(server_url: str, name: str) -> str:
    """The URL of database `name` on the server of `server_url` (any database's URL, or none)."""
    return urlunsplit(urlsplit(server_url)._replace(path=f"/{name}"))


def drop_database(database_url: str) -> None:
    """Drop the database of `database_url` (connections to it closed), if it exists."""
    maintenance, name = _maintenance_url(database_url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def ensure_database(database_url: str, *, reset: bool = False) -> bool:
    """Create the database if missing (drop it first with reset); True if it was created."""
    if reset:
        drop_database(database_url)
    maintenance, name = _maintenance_url(database_url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True

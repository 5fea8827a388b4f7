"""What `make cluster` provides before anything starts: throwaway secrets kept in its var folder
(generated once, reused so that a restart still opens what was sealed), and its PostgreSQL
database (created if missing)."""

from __future__ import annotations

import base64
import secrets
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from psycopg import sql


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


def ensure_database(database_url: str, *, reset: bool = False) -> bool:
    """Create the database if missing (drop it first with reset); True if it was created."""
    maintenance, name = _maintenance_url(database_url)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if reset:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if exists:
            return False
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True

"""DKIM signing of outgoing mail with the authority's key (dkimpy), and the DNS record to publish.

Settings: DKIM_SELECTOR (default "permitsafe"), DKIM_PRIVATE_KEY_FILE (a PEM RSA key), DKIM_DOMAIN
(default: the domain of the notification sender). Without a key file, development and test modes
generate one under var/dkim/; production without a key sends unsigned (and logs a warning once).
Sign by choosing the email backend `notifications.dkim.DKIMSigningSMTPBackend`.
"""

from __future__ import annotations

import base64
import logging
import smtplib
from functools import lru_cache
from pathlib import Path

import dkim
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

from core.authority import notification_sender

logger = logging.getLogger(__name__)

# Headers a forwarder must not change; signing absent ones too stops them being added later.
SIGNED_HEADERS = (
    b"from",
    b"to",
    b"subject",
    b"date",
    b"message-id",
    b"mime-version",
    b"content-type",
    b"content-language",
    b"reply-to",
)
TXT_STRING_BYTES = 255


def dkim_selector() -> str:
    return settings.DKIM_SELECTOR or "permitsafe"


def dkim_domain() -> str:
    return (settings.DKIM_DOMAIN or notification_sender().rsplit("@", 1)[-1]).lower()


def _generated_key_path() -> Path:
    return Path(settings.VAR_DIR) / "dkim" / f"{dkim_selector()}.pem"


def private_key_path() -> Path | None:
    """The configured key file, or (development and test only) one generated on first use."""
    configured = settings.DKIM_PRIVATE_KEY_FILE
    if configured:
        return Path(configured)
    if not settings.DEVELOPMENT:
        return None
    path = _generated_key_path()
    if not path.exists():
        generate_private_key(path)
    return path


def generate_private_key(path: Path, *, key_size: int = 2048) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    path.touch(mode=0o600)
    path.write_bytes(pem)


@lru_cache(maxsize=4)
def _read_key(path: str, modified: float) -> bytes:
    return Path(path).read_bytes()


def private_key_pem() -> bytes | None:
    path = private_key_path()
    if path is None:
        return None
    return _read_key(str(path), path.stat().st_mtime)


def sign_message(raw: bytes) -> bytes:
    """The message with a DKIM-Signature header in front; unchanged when no key is configured."""
    key = private_key_pem()
    if key is None:
        _warn_unsigned()
        return raw
    signature = dkim.sign(
        raw,
        dkim_selector().encode("ascii"),
        dkim_domain().encode("ascii"),
        key,
        include_headers=list(SIGNED_HEADERS),
    )
    return signature + raw


@lru_cache(maxsize=1)
def _warn_unsigned() -> None:
    logger.warning("DKIM_PRIVATE_KEY_FILE is not set: mail is sent without a DKIM signature")


def public_key_record_value() -> str:
    """The TXT value: "v=DKIM1; k=rsa; p=<base64 of the public key>"."""
    key = private_key_pem()
    if key is None:
        raise RuntimeError("no DKIM key: set DKIM_PRIVATE_KEY_FILE")
    public = serialization.load_pem_private_key(key, password=None).public_key()
    der = public.public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode('ascii')}"


def record_name() -> str:
    return f"{dkim_selector()}._domainkey.{dkim_domain()}"


def txt_strings(value: str) -> list[str]:
    """A TXT value split into strings of at most 255 bytes, as DNS requires."""
    data = value.encode("ascii")
    return [
        data[index : index + TXT_STRING_BYTES].decode("ascii")
        for index in range(0, len(data), TXT_STRING_BYTES)
    ]


def dns_record_line() -> str:
    """The zone-file line an operator publishes: `<selector>._domainkey.<domain>. IN TXT (...)`."""
    strings = " ".join(f'"{part}"' for part in txt_strings(public_key_record_value()))
    return f"{record_name()}. IN TXT ( {strings} )"


class DKIMSigningSMTPBackend(SMTPBackend):
    """Django's SMTP backend, signing each message's bytes with DKIM just before sending."""

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        raw = email_message.message().as_bytes(linesep="\r\n")
        try:
            self.connection.sendmail(from_email, recipients, sign_message(raw))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True

"""Fixtures shared by the whole suite: a real SMTP server and a real S3 server (SeaweedFS) on
loopback, the documents storage on disk or on S3, and users."""

from __future__ import annotations

import email
import email.policy
import os
import socket
import threading
import uuid
from dataclasses import dataclass, field

import pytest
from aiosmtpd.controller import Controller

from deploy.seaweedfs import ACCESS_KEY_ID, REGION, SECRET_ACCESS_KEY, SeaweedFS


@dataclass
class CapturedMail:
    envelope_from: str
    envelope_to: list[str]
    raw: bytes

    @property
    def message(self):
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


@dataclass
class _Handler:
    messages: list[CapturedMail] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        with self.lock:
            self.messages.append(
                CapturedMail(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content)
            )
        return "250 Message accepted for delivery"


class SMTPServer:
    """An aiosmtpd server on 127.0.0.1 with an unprivileged port; `outbox` holds what it received."""

    def __init__(self):
        self.handler = _Handler()
        # aiosmtpd checks readiness by connecting to the port it was given, so port=0 cannot work:
        # ask the OS for a free port first.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            free_port = probe.getsockname()[1]
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port)

    def start(self):
        self.controller.start()
        self.port = self.controller.server.sockets[0].getsockname()[1]

    def stop(self):
        self.controller.stop()

    @property
    def outbox(self) -> list[CapturedMail]:
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()


@pytest.fixture(scope="session")
def _smtp_server_session():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(_smtp_server_session, settings):
    """Route Django's email through the real SMTP server on loopback for this test."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = _smtp_server_session.port
    settings.EMAIL_USE_TLS = False
    _smtp_server_session.clear()
    yield _smtp_server_session
    _smtp_server_session.clear()


@pytest.fixture(autouse=True)
def _isolated_storage(settings, tmp_path):
    """Each test writes encrypted blobs to its own folder on disk."""
    settings.STORAGES = {
        **settings.STORAGES,
        "documents": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "documents")},
        },
    }
    from django.core.files.storage import storages

    storages._storages.pop("documents", None)
    yield
    storages._storages.pop("documents", None)


TEST_BUCKET = "documents"


@pytest.fixture(scope="session")
def seaweedfs(tmp_path_factory):
    """One real S3 server (SeaweedFS) per test process, started when a test first needs it.

    There is no skip: the lock installs the weed binary, so a server that cannot start is a
    failure. Tests share one bucket, each under a key prefix of its own (documents_backend):
    SeaweedFS gives every bucket a collection with volumes of its own, about 0.2 s per bucket.
    """
    server = SeaweedFS(tmp_path_factory.mktemp("seaweedfs")).start()
    server.create_bucket(TEST_BUCKET)
    yield server
    # Nothing here needs to outlive the session: no graceful shutdown to wait for.
    server.stop(grace_seconds=1)


@dataclass
class DocumentsBackend:
    """Where this test's encrypted blobs go, and what is there, seen from outside the storage API
    (the folder itself, or the bucket through its own S3 client)."""

    name: str
    location: str
    server: SeaweedFS | None = None

    def object_names(self) -> list[str]:
        """Every file or object stored, relative to the documents location, sorted."""
        if self.server is None:
            return sorted(
                os.path.relpath(os.path.join(folder, name), self.location)
                for folder, _dirs, files in os.walk(self.location)
                for name in files
            )
        prefix = f"{self.location}/"
        pages = (
            self.client()
            .get_paginator("list_objects_v2")
            .paginate(Bucket=TEST_BUCKET, Prefix=prefix)
        )
        return sorted(
            entry["Key"][len(prefix) :] for page in pages for entry in page.get("Contents", ())
        )

    def read(self, name: str) -> bytes:
        if self.server is None:
            with open(os.path.join(self.location, name), "rb") as handle:
                return handle.read()
        body = self.client().get_object(Bucket=TEST_BUCKET, Key=f"{self.location}/{name}")["Body"]
        return body.read()

    def replace(self, name: str, content: bytes) -> None:
        """Overwrite a stored blob behind the application's back (as damage would)."""
        if self.server is None:
            with open(os.path.join(self.location, name), "wb") as handle:
                handle.write(content)
            return
        self.client().put_object(Bucket=TEST_BUCKET, Key=f"{self.location}/{name}", Body=content)

    def unfinished_uploads(self) -> list[str]:
        """Multipart uploads begun and neither completed nor aborted (none on disk)."""
        if self.server is None:
            return []
        answer = self.client().list_multipart_uploads(
            Bucket=TEST_BUCKET, Prefix=f"{self.location}/"
        )
        return [upload["Key"] for upload in answer.get("Uploads", ())]

    def every_object_holds(self, needle: bytes) -> list[str]:
        """The objects of the whole storage (on S3: the whole bucket, every test's prefix) that
        hold `needle`, read a megabyte at a time."""
        if self.server is None:
            names = [os.path.join(self.location, name) for name in self.object_names()]
            opened = [(name, open(name, "rb")) for name in names]  # noqa: SIM115
        else:
            pages = self.client().get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET)
            keys = [entry["Key"] for page in pages for entry in page.get("Contents", ())]
            opened = [
                (key, self.client().get_object(Bucket=TEST_BUCKET, Key=key)["Body"]) for key in keys
            ]
        holding = []
        for name, stream in opened:
            tail = b""
            while piece := stream.read(1024 * 1024):
                if needle in tail + piece:
                    holding.append(name)
                    break
                tail = piece[-len(needle) :]
            stream.close()
        return holding

    def client(self):
        return self.server.client()


def _use_documents_storage(settings, backend: str, options: dict) -> None:
    from django.core.files.storage import storages

    settings.STORAGES = {**settings.STORAGES, "documents": {"BACKEND": backend, "OPTIONS": options}}
    storages._storages.pop("documents", None)


def _s3_documents_options(server: SeaweedFS, location: str) -> dict:
    from documents.s3 import documents_s3_options

    options = documents_s3_options(
        bucket=TEST_BUCKET, endpoint_url=server.endpoint_url, region=REGION, location=location
    )
    # In production boto3 reads the key pair from the environment; a test passes it directly.
    options.update(access_key=ACCESS_KEY_ID, secret_key=SECRET_ACCESS_KEY)
    return options


@pytest.fixture(scope="session")
def _s3_documents_storage(seaweedfs):
    """One S3Storage for the session, moved to each test's prefix: a new one would build a boto3
    session and load S3's service model again, some 0.3 s a test."""
    from storages.backends.s3 import S3Storage

    return S3Storage(**_s3_documents_options(seaweedfs, location=""))


@pytest.fixture(params=["filesystem", "s3"])
def documents_backend(request, settings, tmp_path):
    """Run the test with the documents storage on disk, then on a real S3 server (a fresh key
    prefix in the session's bucket), configured as the settings configure it."""
    from django.core.files.storage import storages

    if request.param == "filesystem":
        location = str(tmp_path / "documents")
        _use_documents_storage(
            settings, "django.core.files.storage.FileSystemStorage", {"location": location}
        )
        yield DocumentsBackend("filesystem", location)
        return
    from documents.s3 import S3_BACKEND

    server = request.getfixturevalue("seaweedfs")
    location = f"test-{uuid.uuid4().hex}"
    # The settings name the prefix too, so a storage built from them anew is the same storage.
    _use_documents_storage(settings, S3_BACKEND, _s3_documents_options(server, location))
    storage = request.getfixturevalue("_s3_documents_storage")
    storage.location = location
    storages._storages["documents"] = storage
    yield DocumentsBackend("s3", location, server)


@pytest.fixture(autouse=True)
def _default_email_backend(settings):
    # Tests that do not ask for the SMTP server must not try to reach port 25.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def gettext_calls(monkeypatch) -> list[str]:
    """Every message id Django's gettext is asked to translate from now on, in order (to prove
    that a page translates a sentence once, not once per row or per field)."""
    from django.utils import translation

    real = translation._trans.gettext
    asked: list[str] = []

    def counted(message):
        asked.append(message)
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", counted)
    return asked


@pytest.fixture
def make_user(db):
    """Create a user with a verified email address: make_user(role="caseworker", email=...)."""
    from django.utils import timezone

    from accounts.models import User

    counter = {"n": 0}

    def _make_user(
        role: str = "applicant",
        email: str | None = None,
        password: str = "correct horse battery staple",
        **extra,
    ):
        counter["n"] += 1
        email = email or f"{role}{counter['n']}-{User.objects.count()}@example.org"
        extra.setdefault("email_verified_at", timezone.now())
        return User.objects.create_user(email=email, password=password, role=role, **extra)

    return _make_user


def sign_in_with_second_factor(client, user):
    """Sign `user` in on `client` as if they had passed password and TOTP (a confirmed device)."""
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.authenticators import AuthenticatorDevice

    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name="test authenticator", confirmed=True
        )
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def applicant(make_user):
    return make_user(role="applicant")


@pytest.fixture
def applicant_client(client, applicant):
    return sign_in_with_second_factor(client, applicant)


@pytest.fixture
def other_applicant(make_user):
    return make_user(role="applicant")


@pytest.fixture
def caseworker(make_user):
    return make_user(role="caseworker")


@pytest.fixture
def administrator(make_user):
    return make_user(role="administrator", is_staff=True)


@pytest.fixture
def administrator_client(client, administrator):
    return sign_in_with_second_factor(client, administrator)

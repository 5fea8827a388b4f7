"""Fixtures for Securemail: units and topics, a verified correspondent, uploads by content."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents.conftest import PDF_BYTES, PNG_BYTES  # noqa: F401

SENDER = "sender@example.org"


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def units(db):
    from casework.models import Unit

    return (
        Unit.objects.create(code="residence", name="Residence permits"),
        Unit.objects.create(code="citizenship", name="Citizenship"),
    )


@pytest.fixture
def topic(units):
    from securemail.models import Topic

    return Topic.objects.create(
        code="residence-permit",
        name_fi="Oleskelulupa",
        name_sv="Uppehållstillstånd",
        name_en="Residence permit",
        unit=units[0],
    )


@pytest.fixture
def other_topic(units):
    from securemail.models import Topic

    return Topic.objects.create(
        code="citizenship",
        name_fi="Kansalaisuus",
        name_sv="Medborgarskap",
        name_en="Citizenship",
        unit=units[1],
        ordering=1,
    )


def upload(content: bytes = PDF_BYTES, name: str = "letter.pdf"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


@pytest.fixture
def start_conversation(topic, django_capture_on_commit_callbacks):
    """Start a conversation as the public would, running the on-commit work (scan, email)."""
    from securemail.services import Correspondent, conversation_start

    def _start(email=SENDER, body="Hello, I have a question.", uploads=(), topic=topic, **extra):
        with django_capture_on_commit_callbacks(execute=True):
            return conversation_start(
                correspondent=Correspondent(email=email, user=extra.pop("user", None)),
                topic=topic,
                subject=extra.pop("subject", "My question"),
                body=body,
                uploads=list(uploads),
                language=extra.pop("language", "en"),
                **extra,
            )

    return _start

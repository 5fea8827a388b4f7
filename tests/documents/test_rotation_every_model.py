"""Key rotation over a database with data from every app: every sealed value of every model, and
every document, still opens after the rotation and the removal of the old key, and so do the pages
that show them. The rotation is done by the README's own steps, read from README.md."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from core.crypto import keyring, sealed_key_id, unwrap_data_key
from core.sealed_fields import open_field, sealed_fields, sealed_values_not_opening
from documents.blobs import decrypted_chunks
from documents.models import Document

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
SCAM_TEXT = "Migri: your permit is cancelled. Pay the fee at http://migri-payments.example today."
REPORTER = "reporter@example.org"


def readme_rotation_steps() -> list[str]:
    """The code spans of the numbered steps under "Rotating keys", in order."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Rotating keys"))
    steps = []
    for line in lines[start + 1 :]:
        if re.match(r"\d+\. |   \S", line):
            steps.append(line)
        elif steps:
            break  # the list has ended
    assert steps, "the README's rotation steps are a numbered list"
    return re.findall(r"`([^`]+)`", "\n".join(steps))


@pytest.fixture
def data_from_every_app(settings, django_capture_on_commit_callbacks):
    """Demo data (accounts with authenticators, applications, documents, cases, a decision, emails)
    plus what the demo lacks: an answered supplement request, additional information, a text
    message, a scam report with a reporter address (sent through the report page), and a
    Securemail conversation with a one-time access code."""
    from applications.demo import load_demo_data
    from casework.applicant_services import additional_information_add, supplement_answer
    from casework.demo import load_casework_demo
    from casework.models import SupplementRequest
    from notifications.sms import sms_send

    settings.SMS_BACKEND = "memory"
    load_demo_data()
    load_casework_demo()
    request = SupplementRequest.objects.get(closed_at=None)
    supplement_answer(
        application=request.application,
        applicant=request.application.applicant,
        text="The signed contract is attached.",
    )
    additional_information_add(
        application=request.application,
        applicant=request.application.applicant,
        text="My employer's address changed.",
    )
    # Queued, not sent: the sealed payload stays on the row as it does while a message waits.
    sms_send(to="+358401234567", text="Your code is 4815", kind="test.code")

    from securemail.access import access_code_request
    from securemail.models import Topic
    from securemail.services import Correspondent, conversation_start

    access_code_request(
        email="writer@example.org", binding="rotation-test", client_key="192.0.2.7", language="en"
    )
    conversation_start(
        correspondent=Correspondent(email="writer@example.org"),
        topic=Topic.objects.filter(active=True).first(),
        subject="My residence permit",
        body="My passport number changed.",
    )

    reporter = Client()
    response = reporter.post(
        "/trust/report/",
        {
            "mode": "text",
            "text-text": SCAM_TEXT,
            "text-channel": "sms",
            "text-reporter_address": REPORTER,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return reporter, response["Location"]


def _every_sealed_value():
    """(label, field name, row pk) -> plaintext, for every sealed value stored."""
    opened = {}
    for field in sealed_fields():
        for instance in field.model._default_manager.exclude(**{f"{field.attname}__isnull": True}):
            if getattr(instance, field.attname):
                opened[(field.model._meta.label, field.name, instance.pk)] = open_field(
                    instance, field.name
                )
    return opened


def _documents() -> dict:
    """Every stored file, decrypted with its (re-)wrapped data key, whatever its scan state."""
    opened = {}
    for document in Document.objects.exclude(storage_name=""):
        data_key = unwrap_data_key(
            document.key_id,
            bytes(document.wrapped_data_key),
            associated_data=document.associated_data,
        )
        opened[document.pk] = b"".join(
            decrypted_chunks(
                document.storage_name, data_key=data_key, associated_data=document.associated_data
            )
        )
    return opened


def _run_rotation_steps_as_written(settings) -> str:
    """Each step of the README in order: make the key, set the key list (a restart is a new
    settings value: the keyring is read from it), run the command, drop the old key."""
    old_id, _, old_key = settings.KEY_ENCRYPTION_KEYS.split(",")[0].partition(":")
    placeholders = {"<new-id>": "rotated", "<old-id>": old_id, "<old-key>": old_key}
    output = StringIO()
    steps = readme_rotation_steps()
    assert [step.split("=")[0] for step in steps if step.startswith("KEY_")] == [
        "KEY_ENCRYPTION_KEYS",
        "KEY_ENCRYPTION_KEYS",
    ]
    for step in steps:
        words = shlex.split(step)
        if words[:2] == ["python", "-c"]:
            made = subprocess.run(  # noqa: S603 (the README's own command line)
                [sys.executable, *words[1:]], capture_output=True, text=True, check=True
            )
            placeholders["<new-key>"] = made.stdout.strip()
        elif step.startswith("KEY_ENCRYPTION_KEYS="):
            value = step.partition("=")[2]
            for placeholder, replacement in placeholders.items():
                value = value.replace(placeholder, replacement)
            assert "<" not in value, step
            settings.KEY_ENCRYPTION_KEYS = value
        elif words[:2] == ["python", "manage.py"]:
            call_command(*words[2:], stdout=output)
        else:
            pytest.fail(f"a README rotation step the test does not know: {step}")
    return output.getvalue()


def test_the_readme_steps_rotate_every_sealed_value_and_lose_nothing(data_from_every_app, settings):
    reporter, result_url = data_from_every_app
    before = _every_sealed_value()
    documents_before = _documents()
    # Every sealed field of every model holds data, so the test covers each (a new sealed field
    # without data here fails this line until the fixture writes some).
    assert {(label, name) for label, name, _pk in before} == {
        (field.model._meta.label, field.name) for field in sealed_fields()
    }
    assert documents_before
    old_key_id = keyring().active_key_id

    output = _run_rotation_steps_as_written(settings)

    assert "Nothing is left under another key" in output
    ring = keyring()
    assert ring.active_key_id == "rotated" and old_key_id not in ring.keys
    assert _every_sealed_value() == before
    assert sealed_values_not_opening() == []
    assert _documents() == documents_before
    for label, name, pk in before:
        model = next(f.model for f in sealed_fields() if f.model._meta.label == label)
        value = model._default_manager.values_list(name, flat=True).get(pk=pk)
        assert sealed_key_id(bytes(value)) == "rotated", (label, name, pk)

    # The pages that show them: the reporter's result, the security team's evidence, a case.
    page = reporter.get(result_url)
    assert page.status_code == 200
    from trust.models import ScamReport

    report = ScamReport.objects.get()
    assert reverse("trust:report_result", args=[report.public_id]) == result_url
    team = Client()
    from accounts.models import Role, User
    from tests.conftest import sign_in_with_second_factor

    administrator = User.objects.filter(role=Role.ADMINISTRATOR).first()
    sign_in_with_second_factor(team, administrator)
    evidence = team.get(reverse("trust:team_evidence", args=[report.public_id]))
    assert evidence.status_code == 200
    assert SCAM_TEXT.encode() in b"".join(
        evidence.streaming_content if evidence.streaming else [evidence.content]
    )


def test_without_the_rewrap_dropping_the_old_key_loses_values(data_from_every_app, settings):
    """The failure the rotation prevents, shown on the same data: it can fail."""
    from core.sealed_fields import sealed_values_not_under_active_key

    _every_sealed_value()
    old = settings.KEY_ENCRYPTION_KEYS.split(",")[0]
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{'A' * 43},{old}"
    assert sealed_values_not_under_active_key() > 0
    settings.KEY_ENCRYPTION_KEYS = f"rotated:{'A' * 43}"
    assert sealed_values_not_opening()

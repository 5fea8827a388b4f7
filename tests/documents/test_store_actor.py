"""document_store's audit record names who stored the file: the owner, or the actor given."""

from __future__ import annotations

import pytest

from audit.models import AuditEvent
from documents.services import document_store
from tests.documents.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


def test_an_upload_is_audited_as_its_owners_act(make_user):
    owner = make_user()
    document = document_store(owner=owner, uploaded_file=upload(PDF_BYTES), purpose="x")
    assert (
        AuditEvent.objects.get(action="document.stored", object_id=str(document.pk)).actor == owner
    )


def test_a_file_stored_for_someone_else_is_audited_as_the_actors_act(make_user):
    owner, clerk = make_user(), make_user(role="caseworker")
    document = document_store(
        owner=owner, uploaded_file=upload(PDF_BYTES), purpose="decision", actor=clerk
    )
    event = AuditEvent.objects.get(action="document.stored", object_id=str(document.pk))
    assert (event.actor, event.actor_role) == (clerk, "caseworker")
    assert document.owner == owner

"""Key rotation: data keys and sealed fields move to the new key; contents stay byte for byte, on
disk and on S3 alike (documents_backend)."""

from __future__ import annotations

import base64
import os

import pytest
from django.core.management import CommandError, call_command

from core.crypto import keyring, sealed_key_id
from documents.blobs import documents_storage
from documents.models import Document
from documents.services import document_open_stream, document_rewrap_all
from tests.documents.conftest import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_backend")]


def _key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode().rstrip("=")


def _blob(document) -> bytes:
    with documents_storage().open(document.storage_name, "rb") as handle:
        return handle.read()


def test_rotation_rewraps_keys_without_touching_the_ciphertext(applicant, store_document, settings):
    assert keyring().active_key_id != "new"
    old_spec = settings.KEY_ENCRYPTION_KEYS
    documents = [store_document(applicant, PDF_BYTES), store_document(applicant, PNG_BYTES)]
    blobs_before = [_blob(document) for document in documents]

    settings.KEY_ENCRYPTION_KEYS = f"new:{_key()},{old_spec}"
    call_command("rewrap_data_keys", "--batch-size", "1")

    for document, blob_before, content in zip(
        documents, blobs_before, [PDF_BYTES, PNG_BYTES], strict=True
    ):
        document.refresh_from_db()
        assert document.key_id == "new"
        assert sealed_key_id(bytes(document.original_filename_sealed)) == "new"
        assert _blob(document) == blob_before
        assert b"".join(document_open_stream(document=document)) == content
        assert document.original_filename == "passport.pdf"

    # The old key can now leave the ring: everything opens under the new one alone.
    new_spec = settings.KEY_ENCRYPTION_KEYS.split(",")[0]
    settings.KEY_ENCRYPTION_KEYS = new_spec
    assert b"".join(document_open_stream(document=documents[0])) == PDF_BYTES


def test_running_again_changes_nothing(applicant, store_document, settings):
    store_document(applicant, PDF_BYTES)
    settings.KEY_ENCRYPTION_KEYS = f"new:{_key()},{settings.KEY_ENCRYPTION_KEYS}"
    assert document_rewrap_all() == 2  # the data key and the sealed filename
    assert document_rewrap_all() == 0


def test_a_document_under_an_unknown_key_fails_clearly(applicant, store_document, settings):
    document = store_document(applicant, PDF_BYTES)
    Document.objects.filter(pk=document.pk).update(key_id="retired")
    settings.KEY_ENCRYPTION_KEYS = f"new:{_key()},{settings.KEY_ENCRYPTION_KEYS}"
    with pytest.raises(CommandError) as caught:
        call_command("rewrap_data_keys")
    assert str(document.pk) in str(caught.value)
    assert "retired" in str(caught.value)

"""The owner's download: streamed, decrypted, typed by content, audited; others get 404. On disk
and on S3 alike (documents_backend)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from documents.models import Document, ScanStatus
from tests.conftest import sign_in_with_second_factor
from tests.documents.conftest import PDF_BYTES, PNG_BYTES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("documents_backend")]


def _url(document) -> str:
    return reverse("documents:download", kwargs={"document_id": document.pk})


def test_the_owner_downloads_the_decrypted_file_as_an_attachment(
    applicant, applicant_client, store_document
):
    document = store_document(applicant, PNG_BYTES, name='my "photo"\r\n.exe')
    response = applicant_client.get(_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["Content-Type"] == "image/png"
    assert response["Content-Length"] == str(len(PNG_BYTES))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "\r" not in disposition and "\n" not in disposition
    assert disposition.endswith('.png"') or disposition.endswith(".png")
    assert ".exe" not in disposition


def test_a_non_ascii_filename_is_encoded_for_the_header(
    applicant, applicant_client, store_document
):
    document = store_document(applicant, PDF_BYTES, name="hakemus_äö.pdf")
    response = applicant_client.get(_url(document))
    assert "filename*=utf-8''hakemus_%C3%A4%C3%B6.pdf" in response["Content-Disposition"]


def test_a_download_is_audited(applicant, applicant_client, store_document):
    document = store_document(applicant, PDF_BYTES)
    applicant_client.get(_url(document))
    event = AuditEvent.objects.get(action="document.downloaded")
    assert (event.actor_id, event.object_id) == (applicant.pk, str(document.pk))


def test_another_users_document_is_not_found(client, applicant, other_applicant, store_document):
    document = store_document(applicant, PDF_BYTES)
    sign_in_with_second_factor(client, other_applicant)
    assert client.get(_url(document)).status_code == 404
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()


def test_an_unknown_id_is_not_found(applicant_client):
    import uuid

    url = reverse("documents:download", kwargs={"document_id": uuid.uuid4()})
    assert applicant_client.get(url).status_code == 404


def test_signing_in_is_required(client, applicant, store_document):
    document = store_document(applicant, PDF_BYTES)
    response = client.get(_url(document))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("status", [ScanStatus.PENDING, ScanStatus.FAILED, ScanStatus.INFECTED])
def test_a_file_not_scanned_clean_is_never_served(
    applicant, applicant_client, store_document, status
):
    document = store_document(applicant, PDF_BYTES)
    Document.objects.filter(pk=document.pk).update(scan_status=status)
    response = applicant_client.get(_url(document))
    assert response.status_code == 409
    assert not response.streaming
    assert PDF_BYTES not in response.content
    assert not AuditEvent.objects.filter(action="document.downloaded").exists()

"""Virus scanning: the scanner choice, scan states, retries, quarantine, and a real clamd."""

from __future__ import annotations

import socket

import pytest
from django.core.exceptions import ImproperlyConfigured

from documents.blobs import documents_storage
from documents.checks import virus_scanner_configured
from documents.models import Document, ScanStatus
from documents.scanners import get_scanner
from documents.scanners.base import ScanFailed, ScannerUnavailable
from documents.scanners.clamd import ClamdScanner, parse_address, parse_reply
from documents.selectors import servable
from documents.services import DocumentUnavailable, document_open_stream, document_scan
from documents.tasks import MAX_SCAN_ATTEMPTS, scan_document
from tests.documents.conftest import EICAR, PDF_BYTES


def test_production_without_clamd_refuses_the_no_scan_scanner_and_fails_the_deploy_check(settings):
    settings.DEVELOPMENT = False
    settings.CLAMD_SOCKET = ""
    with pytest.raises(ImproperlyConfigured):
        get_scanner()
    assert [error.id for error in virus_scanner_configured(None)] == ["documents.E001"]


def test_clamd_is_chosen_whenever_its_socket_is_set(settings):
    settings.DEVELOPMENT = False
    settings.CLAMD_SOCKET = "/run/clamav/clamd.ctl"
    assert isinstance(get_scanner(), ClamdScanner)
    assert virus_scanner_configured(None) == []


def test_clamd_addresses_are_a_unix_path_or_host_and_port():
    assert parse_address("/run/clamav/clamd.ctl") == (socket.AF_UNIX, "/run/clamav/clamd.ctl")
    assert parse_address("127.0.0.1:3310") == (socket.AF_INET, ("127.0.0.1", 3310))
    assert parse_address("[::1]:3310") == (socket.AF_INET6, ("::1", 3310))
    with pytest.raises(ValueError):
        parse_address("clamd")


def test_clamd_replies_are_parsed():
    assert not parse_reply(b"stream: OK\0").infected
    found = parse_reply(b"stream: Eicar-Test-Signature.UNOFFICIAL FOUND\0")
    assert (found.infected, found.signature_name) == (True, "Eicar-Test-Signature.UNOFFICIAL")
    with pytest.raises(ScanFailed):
        parse_reply(b"INSTREAM size limit exceeded. ERROR\0")


@pytest.mark.django_db
def test_a_scanned_document_is_not_scanned_again(applicant, store_document, settings):
    document = store_document(applicant, PDF_BYTES)
    scanned_at = document.scanned_at
    # Even with an unreachable scanner configured, an already scanned document is left alone.
    settings.CLAMD_SOCKET = "/nonexistent/clamd.sock"
    assert scan_document.call(str(document.pk)) == ScanStatus.CLEAN
    document.refresh_from_db()
    assert (document.scanned_at, document.scan_attempts) == (scanned_at, 1)


@pytest.mark.django_db
def test_an_unreachable_clamd_leaves_the_document_pending_then_failed_after_bounded_retries(
    applicant, settings, tmp_path, store_document
):
    # Nothing listens on this socket path: a real connection error, no mock.
    settings.CLAMD_SOCKET = str(tmp_path / "nobody-listens.sock")
    with pytest.raises(ScannerUnavailable):
        ClamdScanner(settings.CLAMD_SOCKET).ping()
    document = store_document(applicant, PDF_BYTES)
    # The immediate task backend runs each re-enqueued attempt at once, up to the bound.
    assert document.scan_status == ScanStatus.FAILED
    assert document.scan_attempts == MAX_SCAN_ATTEMPTS
    assert not servable(document)
    with pytest.raises(DocumentUnavailable):
        document_open_stream(document=document)


@pytest.mark.django_db
def test_a_document_whose_blob_is_damaged_fails_its_scan(applicant, documents_backend):
    from documents.services import document_store
    from tests.documents.conftest import upload

    document = document_store(owner=applicant, uploaded_file=upload(PDF_BYTES), purpose="x")
    with documents_storage().open(document.storage_name, "wb") as handle:
        handle.write(b"PSDOC garbage")
    assert document_scan(document_id=document.pk).scan_status == ScanStatus.FAILED


@pytest.mark.django_db
def test_a_document_whose_blob_is_gone_fails_its_scan(applicant, documents_backend):
    from documents.services import document_store
    from tests.documents.conftest import upload

    document = document_store(owner=applicant, uploaded_file=upload(PDF_BYTES), purpose="x")
    documents_storage().delete(document.storage_name)
    assert documents_backend.object_names() == []
    assert document_scan(document_id=document.pk).scan_status == ScanStatus.FAILED


@pytest.mark.clamd
def test_real_clamd_finds_eicar_and_passes_clean_bytes(clamd_socket):
    scanner = ClamdScanner(clamd_socket, timeout=10)
    assert scanner.ping()
    infected = scanner.scan([EICAR[:30], EICAR[30:]])
    assert infected.infected
    assert infected.signature_name == "Eicar-Test-Signature.UNOFFICIAL"
    assert not scanner.scan([PDF_BYTES, b"x" * 300_000]).infected
    assert not scanner.scan([]).infected


def _store_unchecked(monkeypatch, owner, content: bytes) -> Document:
    """Store bytes that validation would refuse (EICAR is no PDF), through the same encryption.

    Validation is bypassed on purpose: clamd's hash signature matches whole files only, so the
    EICAR file cannot be wrapped in a valid PDF and still be found.
    """
    from documents import services
    from tests.documents.conftest import upload

    monkeypatch.setattr(
        services, "validate_upload", lambda uploaded_file, **limits: "application/pdf"
    )
    return services.document_store(owner=owner, uploaded_file=upload(content), purpose="test")


@pytest.mark.clamd
@pytest.mark.django_db
def test_an_infected_document_is_quarantined_and_never_served(
    applicant, clamd_socket, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.CLAMD_SOCKET = clamd_socket
    with django_capture_on_commit_callbacks(execute=True):
        document = _store_unchecked(monkeypatch, applicant, EICAR)
    blob = document.storage_name
    document.refresh_from_db()
    assert document.scan_status == ScanStatus.INFECTED
    assert document.scanner_name == "clamd"
    assert document.signature_name == "Eicar-Test-Signature.UNOFFICIAL"
    assert document.quarantined_at is not None
    assert document.storage_name == ""
    assert not documents_storage().exists(blob)
    assert not servable(document)
    with pytest.raises(DocumentUnavailable):
        document_open_stream(document=document)


@pytest.mark.clamd
@pytest.mark.django_db
def test_a_clean_document_scanned_by_clamd_is_served(
    applicant, clamd_socket, settings, store_document
):
    settings.CLAMD_SOCKET = clamd_socket
    document = store_document(applicant, PDF_BYTES)
    assert (document.scan_status, document.scanner_name) == (ScanStatus.CLEAN, "clamd")
    assert servable(document)
    assert b"".join(document_open_stream(document=document)) == PDF_BYTES

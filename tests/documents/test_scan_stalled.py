"""A virus scan whose worker died (or whose task was lost) is started again by the periodic sweep;
a document whose scans keep stalling ends failed, never served."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document, ScanStatus
from documents.services import document_scans_requeue_stalled, document_store
from documents.tasks import MAX_SCAN_ATTEMPTS, scans_requeue_stalled
from tests.documents.conftest import PDF_BYTES, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def unscanned_document(applicant, django_capture_on_commit_callbacks, settings):
    """A stored document whose scan task never ran (its on-commit enqueue is dropped)."""
    settings.DOCUMENTS_SCAN_STALL_SECONDS = 600
    with django_capture_on_commit_callbacks(execute=False):
        document = document_store(owner=applicant, uploaded_file=upload(PDF_BYTES), purpose="x")
    return document


def _started_long_ago(document, *, attempts: int) -> None:
    """What a worker killed mid-scan leaves: the attempt counted, the document still pending."""
    Document.objects.filter(pk=document.pk).update(
        scan_attempts=attempts, scan_started_at=timezone.now() - timedelta(hours=1)
    )


def test_a_scan_whose_worker_died_is_started_again_and_finishes_once(unscanned_document):
    _started_long_ago(unscanned_document, attempts=1)

    assert scans_requeue_stalled.call() == 1  # the immediate task backend scans at once

    unscanned_document.refresh_from_db()
    assert (unscanned_document.scan_status, unscanned_document.scan_attempts) == (
        ScanStatus.CLEAN,
        2,
    )
    assert document_scans_requeue_stalled(max_attempts=MAX_SCAN_ATTEMPTS) == 0


def test_a_scan_task_lost_before_it_ran_is_queued_after_the_timeout(unscanned_document):
    Document.objects.filter(pk=unscanned_document.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert scans_requeue_stalled.call() == 1
    unscanned_document.refresh_from_db()
    assert unscanned_document.scan_status == ScanStatus.CLEAN


def test_a_recent_scan_is_left_to_its_worker(unscanned_document):
    Document.objects.filter(pk=unscanned_document.pk).update(
        scan_attempts=1, scan_started_at=timezone.now() - timedelta(minutes=2)
    )
    assert scans_requeue_stalled.call() == 0
    unscanned_document.refresh_from_db()
    assert unscanned_document.scan_status == ScanStatus.PENDING


def test_a_document_whose_scans_keep_stalling_ends_failed(unscanned_document):
    _started_long_ago(unscanned_document, attempts=MAX_SCAN_ATTEMPTS)

    assert scans_requeue_stalled.call() == 0

    unscanned_document.refresh_from_db()
    assert unscanned_document.scan_status == ScanStatus.FAILED
    assert not unscanned_document.is_servable

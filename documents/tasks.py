"""Background work for documents: the virus scan of each stored file, and the periodic sweeps."""

from __future__ import annotations

import logging

from django_tasks import task

from core.periodic import periodic
from documents.models import Document
from documents.scanners import ScannerUnavailable
from documents.services import (
    document_enqueue_scan_retry,
    document_mark_scan_failed,
    document_scan,
)

logger = logging.getLogger(__name__)

MAX_SCAN_ATTEMPTS = 5
RETRY_DELAY_SECONDS = 60


@task()
def scan_document(document_id: str, attempt: int = 1) -> str:
    """Scan once; a scanned document is left alone; an unreachable scanner is retried a little."""
    try:
        document = document_scan(document_id=document_id)
    except Document.DoesNotExist:
        return "missing"
    except ScannerUnavailable as error:
        logger.warning(
            "scanner unavailable for document %s (attempt %s): %s", document_id, attempt, error
        )
        if attempt >= MAX_SCAN_ATTEMPTS:
            document_mark_scan_failed(document_id=document_id)
            return "failed"
        document_enqueue_scan_retry(
            document_id=document_id,
            attempt=attempt + 1,
            delay_seconds=RETRY_DELAY_SECONDS * attempt,
        )
        return "retry"
    return document.scan_status


@periodic
@task()
def scans_requeue_stalled() -> int:
    """Periodic: start again the scans that a dead worker left pending (see the service)."""
    from documents.services import document_scans_requeue_stalled

    return document_scans_requeue_stalled(max_attempts=MAX_SCAN_ATTEMPTS)


@periodic
@task()
def purge_orphan_blobs() -> int:
    """Periodic: reclaim the space of blobs left by rolled-back transactions (see the service)."""
    from documents.services import document_purge_orphan_blobs

    return document_purge_orphan_blobs()

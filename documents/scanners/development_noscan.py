"""A scanner that scans nothing: allowed only in development and test mode, never in production."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from documents.scanners.base import Scanner, ScanResult


class DevelopmentNoScanScanner(Scanner):
    name = "none (development)"

    def __init__(self):
        if not settings.DEVELOPMENT:
            raise ImproperlyConfigured("production must scan files for viruses: set CLAMD_SOCKET")

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        for _chunk in chunks:
            # Read to the end all the same, so a damaged blob fails here as it would under clamd.
            pass
        return ScanResult(infected=False)

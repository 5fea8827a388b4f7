"""Virus scanners behind one interface: a registry of implementations, chosen from settings.

CLAMD_SOCKET set → clamd; otherwise, in development and test mode only, the no-scan scanner. In
production without clamd, `get_scanner` refuses and the deploy system check reports an error.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.registry import Registry
from documents.scanners.base import ScanFailed, Scanner, ScannerUnavailable, ScanResult

__all__ = [
    "Scanner",
    "ScanFailed",
    "ScanResult",
    "ScannerUnavailable",
    "configured_scanner_code",
    "get_scanner",
    "scanners",
]

scanners: Registry[Scanner] = Registry("virus scanner")


def configured_scanner_code() -> str | None:
    if settings.CLAMD_SOCKET:
        return "clamd"
    if settings.DEVELOPMENT:
        return "development_noscan"
    return None


def get_scanner() -> Scanner:
    code = configured_scanner_code()
    if code is None:
        raise ImproperlyConfigured("no virus scanner: set CLAMD_SOCKET in production")
    return scanners.get(code)


def _clamd_scanner() -> Scanner:
    from documents.scanners.clamd import ClamdScanner

    return ClamdScanner(settings.CLAMD_SOCKET, timeout=settings.CLAMD_TIMEOUT_SECONDS)


def _development_noscan_scanner() -> Scanner:
    from documents.scanners.development_noscan import DevelopmentNoScanScanner

    return DevelopmentNoScanScanner()


scanners.register("clamd", _clamd_scanner)
scanners.register("development_noscan", _development_noscan_scanner)

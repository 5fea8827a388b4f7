"""The virus scanner interface: a scanner reads a file's plaintext chunks and returns a verdict."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class ScannerUnavailable(Exception):
    """The scanner could not be reached or stopped answering; scanning again later may work."""


class ScanFailed(Exception):
    """The scanner answered with an error for this file; scanning it again will not help."""


@dataclass(frozen=True)
class ScanResult:
    infected: bool
    signature_name: str = ""


class Scanner:
    """Base class; subclasses set `name` (stored on the document) and implement `scan`."""

    name: str = ""

    def scan(self, chunks: Iterable[bytes]) -> ScanResult:
        raise NotImplementedError

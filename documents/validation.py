"""Upload checks by content, never by the name: only PDF, JPEG and PNG files are accepted."""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Enough for filetype's matchers (261 bytes) and our own structural checks.
SNIFF_BYTES = 8192


@dataclass(frozen=True)
class AcceptedType:
    content_type: str
    extension: str


ACCEPTED_TYPES = {
    "application/pdf": AcceptedType("application/pdf", "pdf"),
    "image/jpeg": AcceptedType("image/jpeg", "jpg"),
    "image/png": AcceptedType("image/png", "png"),
}


def _looks_like_pdf(head: bytes) -> bool:
    # "%PDF-1.7" or "%PDF-2.0": a version must follow the marker.
    return head.startswith(b"%PDF-") and head[5:6].isdigit() and head[6:7] == b"."


def _looks_like_png(head: bytes) -> bool:
    # The signature, then the IHDR chunk, which the PNG specification requires first.
    return head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR"


def _looks_like_jpeg(head: bytes) -> bool:
    # Start-of-image, then another marker.
    return head.startswith(b"\xff\xd8\xff")


_STRUCTURE_CHECKS = {
    "application/pdf": _looks_like_pdf,
    "image/png": _looks_like_png,
    "image/jpeg": _looks_like_jpeg,
}


def not_accepted_message() -> str:
    return _("This type of file is not accepted. Upload a PDF, JPEG or PNG file.")


def limit_in_megabytes(max_bytes: int | None = None) -> str:
    """A limit as people read it (default: the e-service's UPLOAD_MAX_BYTES)."""
    megabytes = (max_bytes or settings.UPLOAD_MAX_BYTES) / (1024 * 1024)
    return f"{megabytes:g}" if megabytes >= 1 else f"{megabytes:.2g}"


def interrupted_message() -> str:
    return _("The upload stopped before the end of the file. Send the file again.")


def too_large_message(max_bytes: int | None = None) -> str:
    return _("The file is larger than %(limit)s MB. Upload a smaller file.") % {
        "limit": limit_in_megabytes(max_bytes)
    }


def empty_message() -> str:
    return _("The file is empty. Check the file and upload it again.")


def detect_content_type(head: bytes) -> str | None:
    """The accepted content type of a file that starts with `head`, or None."""
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        return None
    if not _STRUCTURE_CHECKS[kind.mime](head):
        return None
    return kind.mime


def validate_upload(uploaded_file, *, max_bytes: int | None = None) -> str:
    """Check an uploaded file against `max_bytes` (default: UPLOAD_MAX_BYTES); return its detected
    content type or raise ValidationError."""
    max_bytes = max_bytes or settings.UPLOAD_MAX_BYTES
    size = getattr(uploaded_file, "size", None)
    if size is not None and size > max_bytes:
        raise ValidationError(too_large_message(max_bytes), code="too_large")
    uploaded_file.seek(0)
    head = uploaded_file.read(SNIFF_BYTES)
    uploaded_file.seek(0)
    if not head:
        raise ValidationError(empty_message(), code="empty")
    content_type = detect_content_type(head)
    if content_type is None:
        raise ValidationError(not_accepted_message(), code="type_not_accepted")
    return content_type

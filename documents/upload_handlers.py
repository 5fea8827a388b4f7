"""Refuse an oversize upload before its body is stored: the first handler in FILE_UPLOAD_HANDLERS.

By default an upload request may carry at most settings.UPLOAD_MAX_BYTES of file content, and so
may each file in it. A view may set its own limits with `upload_limit` (Securemail's attachments
are far larger than the e-service's). A request whose Content-Length already says more than the
total is stopped at the first file part; otherwise each file's bytes and the running total are
checked as they arrive, and the upload stops at the first chunk past a limit: the temporary file
written so far is closed and removed by Django, and the rest of the body is read and dropped, never
stored. Either way the request is marked (`request.upload_too_large`, and `request.upload_refusal`
saying "file" or "total") so the view shows a translated error instead of a 500 or a silent drop.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import Resolver404, resolve

REFUSED_FILE = "file"
REFUSED_TOTAL = "total"


@dataclass(frozen=True)
class UploadLimits:
    total_bytes: int
    file_bytes: int


def upload_limit(total_setting: str, *, per_file_setting: str | None = None):
    """Give a view its own upload limits (settings' names, read per request): the files of one
    request together, and each file (never above the total; default: the total).

    The limits sit on the view function because uploads are parsed before the view runs (the CSRF
    middleware reads request.POST), so only the URL tells the handler which view will get them.
    """

    def decorator(view):
        view.upload_max_bytes_setting = total_setting
        view.upload_max_file_bytes_setting = per_file_setting
        return view

    return decorator


def limits_for_view(view) -> UploadLimits:
    total_setting = getattr(view, "upload_max_bytes_setting", None)
    if not total_setting:
        return UploadLimits(settings.UPLOAD_MAX_BYTES, settings.UPLOAD_MAX_BYTES)
    total = int(getattr(settings, total_setting))
    per_file_setting = getattr(view, "upload_max_file_bytes_setting", None)
    per_file = int(getattr(settings, per_file_setting)) if per_file_setting else total
    return UploadLimits(total_bytes=total, file_bytes=min(per_file, total))


def limits_for_request(request) -> UploadLimits:
    view = None
    if request is not None:
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            view = None
    return limits_for_view(view)


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limits = limits_for_request(self.request)
        self.received = 0
        self.file_received = 0
        # Headroom for the multipart framing and the ordinary fields (bounded by Django itself).
        headroom = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        self.too_large = (
            content_length is not None and content_length > self.limits.total_bytes + headroom
        )
        if self.too_large:
            self._mark(REFUSED_TOTAL)
        # None: parse normally, so the CSRF token and the other fields still arrive.
        return None

    def _limits(self) -> UploadLimits:
        if not hasattr(self, "limits"):
            self.limits = limits_for_request(self.request)
        return self.limits

    def _mark(self, refusal: str):
        if self.request is not None:
            self.request.upload_too_large = True
            self.request.upload_refusal = refusal

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.file_received = 0
        if getattr(self, "too_large", False):
            # connection_reset=False: Django drains the rest of the body without storing it, and
            # the browser gets our error page rather than a reset connection.
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        limits = self._limits()
        self.received = getattr(self, "received", 0) + len(raw_data)
        self.file_received = getattr(self, "file_received", 0) + len(raw_data)
        if self.file_received > limits.file_bytes:
            self._mark(REFUSED_FILE)
            raise StopUpload(connection_reset=False)
        if self.received > limits.total_bytes:
            self._mark(REFUSED_TOTAL)
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

"""Refuse an oversize upload before its body is stored: the first handler in FILE_UPLOAD_HANDLERS.

By default an upload request may carry at most settings.UPLOAD_MAX_BYTES of file content, and so
may each file in it. A view may set its own limits with `upload_limit` (Securemail's attachments
are far larger than the e-service's). A request whose Content-Length already says more than the
total is stopped at the first file part; otherwise each file's bytes and the running total are
checked as they arrive, and the upload stops at the first chunk past a limit: the temporary file
written so far is closed and removed by Django, and the rest of the body is read and dropped, never
stored. Either way the request is marked (`request.upload_too_large`, and `request.upload_refusal`
saying "file" or "total") so the view shows a translated error instead of a 500 or a silent drop.
A body that ends inside a file is marked too (`request.upload_interrupted`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files import uploadhandler
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload
from django.urls import Resolver404, resolve

from documents.incoming import EncryptedUpload

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


# Files encrypted as they arrive are read 1 MiB at a time: at Django's 64 KiB, the parser's work per
# read (boundary search, generators, hand-overs) cost about a fifth of a 100 MB upload's CPU time.
# The size limits still stop the body at the first read past them, and nothing past a limit is
# stored (the encryptor refuses it).
STREAMED_READ_BYTES = 1024 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request=None):
        super().__init__(request)
        if getattr(_view_for_request(request), "upload_stores_documents", False):
            self.chunk_size = STREAMED_READ_BYTES

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

    def upload_interrupted(self):
        # The body ended inside a file, before the boundary that closes it (a client gone in the
        # middle, a body cut short). Django drops the cut file from request.FILES and goes on with
        # the other fields: without this mark a message would be sent without its attachment.
        if self.request is not None:
            self.request.upload_interrupted = True


def stores_documents(view):
    """Mark a view whose uploaded files all go to documents.services.document_store: they are
    encrypted into their blobs as the body arrives (EncryptingUploadHandler), not copied to a
    temporary file first. A view that reads its uploads itself (the trust center's messages)
    must not carry it."""
    view.upload_stores_documents = True
    return view


def _view_for_request(request):
    if request is None:
        return None
    try:
        return resolve(request.path_info).func
    except Resolver404:
        return None


class TemporaryFileUploadHandler(uploadhandler.TemporaryFileUploadHandler):
    """Django's, taking whatever read size the handlers before it chose (it works with any)."""

    chunk_size = None


class EncryptingUploadHandler(FileUploadHandler):
    """For a view marked `stores_documents`: each file becomes a documents.incoming.EncryptedUpload,
    sealed and written while it arrives; other views' files pass on to the next handler.

    It comes after SizeLimitUploadHandler, which stops a file or a request past its limit before
    the bytes reach this handler; the encryptor holds the per-file limit as well.
    """

    chunk_size = STREAMED_READ_BYTES

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        view = _view_for_request(self.request)
        self.active = bool(getattr(view, "upload_stores_documents", False))
        self.limits = limits_for_view(view)
        return None

    def new_file(
        self,
        field_name,
        file_name,
        content_type,
        content_length,
        charset=None,
        content_type_extra=None,
    ):
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        if not getattr(self, "active", False):
            return
        self.file = EncryptedUpload(
            name=file_name,
            content_type=content_type,
            charset=charset,
            content_type_extra=content_type_extra,
            max_bytes=self.limits.file_bytes,
        )
        # Every upload is settled when the request ends (documents.middleware), including those
        # the parser drops from request.FILES when it stops the body.
        pending = getattr(self.request, "encrypted_uploads", None)
        if pending is None:
            pending = self.request.encrypted_uploads = []
        pending.append(self.file)
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data, start):
        if not getattr(self, "active", False):
            return raw_data
        self.file.receive(raw_data)
        return None

    def file_complete(self, file_size):
        if not getattr(self, "active", False):
            return None
        self.file.finish()
        return self.file

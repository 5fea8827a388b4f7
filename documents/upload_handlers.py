"""Refuse an oversize upload before its body is stored: the first handler in FILE_UPLOAD_HANDLERS.

An upload request may carry at most settings.UPLOAD_MAX_BYTES of file content. A request whose
Content-Length already says more is stopped at the first file part; otherwise the running total of
file bytes is checked as they arrive. Either way the request is marked (`request.upload_too_large`)
so the view shows a translated error through documents.forms instead of a 500 or a silent drop.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import Resolver404, resolve


def upload_limit(setting_name: str):
    """Give a view its own upload limit (a setting's name, read per request).

    The limit sits on the view function because uploads are parsed before the view runs (the CSRF
    middleware reads request.POST), so only the URL tells the handler which view will get them.
    """

    def decorator(view):
        view.upload_max_bytes_setting = setting_name
        return view

    return decorator


def _limit_for(request) -> int:
    if request is not None:
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            view = None
        setting_name = getattr(view, "upload_max_bytes_setting", None)
        if setting_name:
            return int(getattr(settings, setting_name))
    return settings.UPLOAD_MAX_BYTES


class SizeLimitUploadHandler(FileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.limit = _limit_for(self.request)
        self.received = 0
        # Headroom for the multipart framing and the ordinary fields (bounded by Django itself).
        headroom = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
        self.too_large = content_length is not None and content_length > self.limit + headroom
        if self.too_large:
            self._mark()
        # None: parse normally, so the CSRF token and the other fields still arrive.
        return None

    def _mark(self):
        if self.request is not None:
            self.request.upload_too_large = True

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        if getattr(self, "too_large", False):
            # connection_reset=False: Django drains the rest of the body without storing it, and
            # the browser gets our error page rather than a reset connection.
            raise StopUpload(connection_reset=False)

    def receive_data_chunk(self, raw_data, start):
        self.received = getattr(self, "received", 0) + len(raw_data)
        if self.received > getattr(self, "limit", settings.UPLOAD_MAX_BYTES):
            self._mark()
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None

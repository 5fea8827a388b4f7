"""Refuse an oversize upload before its body is read (placeholder until documents lands)."""

from django.core.files.uploadhandler import FileUploadHandler


class SizeLimitUploadHandler(FileUploadHandler):
    pass

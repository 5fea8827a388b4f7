"""A test storage that consumes uploads with read(n), as S3 uploads do, and keeps them in memory."""

from __future__ import annotations

import io

from django.core.files.base import File
from django.core.files.storage import Storage

_BLOBS: dict[str, bytes] = {}


class ReadingStorage(Storage):
    def _save(self, name, content):
        parts = []
        content.seek(0)
        while piece := content.read(8 * 1024 * 1024 // 1000):  # an odd size, unlike our chunks
            parts.append(piece)
        _BLOBS[name] = b"".join(parts)
        return name

    def _open(self, name, mode="rb"):
        return File(io.BytesIO(_BLOBS[name]), name=name)

    def exists(self, name):
        return name in _BLOBS

    def delete(self, name):
        _BLOBS.pop(name, None)

    def size(self, name):
        return len(_BLOBS[name])

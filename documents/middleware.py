"""Settle the uploads a request encrypted while it arrived (documents.incoming)."""

from __future__ import annotations

from documents.incoming import encrypted_uploads_settle


class EncryptedUploadsMiddleware:
    """When the response is ready, delete every encrypted upload the request did not record as a
    document: refused, dropped with a failed form, cut off, or rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            encrypted_uploads_settle(getattr(request, "encrypted_uploads", ()))

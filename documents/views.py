"""Download of the owner's own documents, decrypted as they stream out."""

from __future__ import annotations

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from audit.services import audit_record
from core.permissions import verified_login_required
from documents.selectors import document_for_owner, servable
from documents.services import document_open_stream
from documents.validation import ACCEPTED_TYPES


def download_filename(document) -> str:
    """The original name with the extension of the type found in the content, not the claimed."""
    stem = document.original_filename.rsplit(".", 1)[0].strip(" .") or "document"
    accepted = ACCEPTED_TYPES.get(document.content_type)
    extension = accepted.extension if accepted else "bin"
    return f"{stem[:150]}.{extension}"


@require_GET
@verified_login_required
def download(request, document_id):
    document = document_for_owner(user=request.user, document_id=document_id)
    if not servable(document):
        return render(request, "documents/unavailable.html", {"document": document}, status=409)
    chunks = document_open_stream(document=document)
    audit_record(action="document.downloaded", request=request, target=document)
    response = StreamingHttpResponse(chunks, content_type=document.content_type)
    response["Content-Length"] = str(document.size)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=download_filename(document)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response

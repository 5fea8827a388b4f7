"""A test-only page with the upload form, to exercise the upload handler through real requests."""

from django.conf import settings
from django.http import JsonResponse
from django.urls import path

from documents.forms import DocumentUploadForm
from documents.services import DocumentRejected, document_store
from documents.upload_handlers import stores_documents, upload_limit


def upload_page(request):
    form = DocumentUploadForm(request.POST, request.FILES, request=request)
    valid = form.is_valid()
    handler = request.upload_handlers[0]
    return JsonResponse(
        {
            "valid": valid,
            "errors": form.errors.get("file", []),
            "too_large": getattr(request, "upload_too_large", False),
            "file_bytes_received": getattr(handler, "received", 0),
            "files": list(request.FILES),
            "file_sizes": [item.size for item in request.FILES.getlist("file")],
            "refusal": getattr(request, "upload_refusal", None),
            "note": request.POST.get("note"),
        },
        status=200 if valid else 400,
    )


@upload_limit("TEST_UPLOAD_TOTAL_BYTES", per_file_setting="TEST_UPLOAD_FILE_BYTES")
def large_upload_page(request):
    """A page with limits of its own, as Securemail's pages have."""
    return upload_page(request)


@stores_documents
@upload_limit("TEST_UPLOAD_TOTAL_BYTES", per_file_setting="TEST_UPLOAD_FILE_BYTES")
def stored_upload_page(request):
    """A page whose files are encrypted into storage as they arrive (documents.incoming), then
    recorded for the signed-in user, as Securemail's pages do."""
    form = DocumentUploadForm(request.POST, request.FILES, request=request)
    document = None
    if form.is_valid():
        try:
            document = document_store(
                owner=request.user,
                uploaded_file=form.cleaned_data["file"],
                purpose="test",
                max_bytes=settings.TEST_UPLOAD_FILE_BYTES,
            )
        except DocumentRejected as error:
            form.add_error("file", error)
    if document is None:
        return JsonResponse({"errors": form.errors.get("file", [])}, status=400)
    return JsonResponse({"document": str(document.pk), "size": document.size})


urlpatterns = [
    path("upload/", upload_page),
    path("large-upload/", large_upload_page),
    path("stored-upload/", stored_upload_page),
]

"""A test-only page with the upload form, to exercise the upload handler through real requests."""

from django.http import JsonResponse
from django.urls import path

from documents.forms import DocumentUploadForm


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
            "note": request.POST.get("note"),
        },
        status=200 if valid else 400,
    )


urlpatterns = [path("upload/", upload_page)]

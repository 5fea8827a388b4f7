"""Form pieces for uploads: the file field, and the upload handler's refusal as a form error."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.validation import interrupted_message, limit_in_megabytes, too_large_message

ACCEPT_ATTRIBUTE = "application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"


def upload_too_large(request) -> bool:
    """Whether SizeLimitUploadHandler stopped this request's upload."""
    return bool(getattr(request, "upload_too_large", False))


def upload_interrupted(request) -> bool:
    """Whether the request's body ended inside a file (SizeLimitUploadHandler.upload_interrupted)."""
    return bool(getattr(request, "upload_interrupted", False))


def _help_text() -> str:
    return gettext("PDF, JPEG or PNG, at most %(limit)s MB.") % {"limit": limit_in_megabytes()}


class DocumentUploadField(forms.FileField):
    """A file field that hints the accepted types to the browser; the content is checked later."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("File"))
        kwargs.setdefault("help_text", lazy(_help_text, str)())
        kwargs.setdefault("error_messages", {"required": _("Choose a file to upload.")})
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", ACCEPT_ATTRIBUTE)


class DocumentUploadForm(forms.Form):
    """One file; pass `request=` so that an upload stopped for its size shows as a field error.

    Subclass it to add fields; the file's content is checked by documents.services.document_store,
    whose DocumentRejected message belongs on the same field (`form.add_error("file", error)`).
    """

    file = DocumentUploadField()

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def full_clean(self):
        super().full_clean()
        # FileField's own "required" error would hide why the file is missing.
        if self.request is None or not self.is_bound:
            return
        if upload_too_large(self.request):
            error = too_large_message()
        elif upload_interrupted(self.request):
            error = interrupted_message()
        else:
            return
        self._errors["file"] = self.error_class([error])
        self.cleaned_data.pop("file", None)

"""Uploads are judged by their content: PDF, JPEG and PNG only, whatever the name says."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from documents.validation import validate_upload
from tests.documents.conftest import EXE_BYTES, JPEG_BYTES, PDF_BYTES, PNG_BYTES, upload


@pytest.mark.parametrize(
    ("content", "name", "expected"),
    [
        (PDF_BYTES, "form.pdf", "application/pdf"),
        (PNG_BYTES, "photo.png", "image/png"),
        (JPEG_BYTES, "photo.jpg", "image/jpeg"),
    ],
)
def test_pdf_png_and_jpeg_are_accepted_with_the_type_found_in_the_content(content, name, expected):
    assert validate_upload(upload(content, name)) == expected


def test_a_pdf_renamed_to_png_is_still_a_pdf():
    assert validate_upload(upload(PDF_BYTES, "photo.png", "image/png")) == "application/pdf"


def test_a_program_named_pdf_is_refused_with_a_message_naming_what_is_accepted():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(EXE_BYTES, "passport.pdf", "application/pdf"))
    assert caught.value.code == "type_not_accepted"
    assert "PDF, JPEG or PNG" in caught.value.messages[0]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(b"", "empty.pdf"))
    assert caught.value.code == "empty"


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-x not a version",
        b"\x89PNG\r\n\x1a\n" + bytes(8) + b"JUNK" + bytes(20),
        b"<html><script>alert(1)</script></html>",
        b"PK\x03\x04" + bytes(100),
        b"just some text",
    ],
)
def test_files_that_only_resemble_an_accepted_type_or_are_something_else_are_refused(content):
    with pytest.raises(ValidationError):
        validate_upload(upload(content, "file.pdf"))


@override_settings(UPLOAD_MAX_BYTES=100)
def test_a_file_over_the_limit_is_refused_with_the_limit_in_the_message():
    with pytest.raises(ValidationError) as caught:
        validate_upload(upload(PDF_BYTES + bytes(200), "big.pdf"))
    assert caught.value.code == "too_large"
    assert "MB" in caught.value.messages[0]

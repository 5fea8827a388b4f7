"""Attachments: executables, scripts, archives, macro documents, HTML with forms."""

from __future__ import annotations

import base64

import pytest


def _with_attachment(filename: str, payload: bytes, content_type="application/octet-stream"):
    encoded = base64.b64encode(payload).decode()
    return (
        "From: someone@example.org\r\nSubject: Documents\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain\r\n\r\n"
        f"See the attachment.\r\n--B\r\nContent-Type: {content_type}\r\n"
        f'Content-Disposition: attachment; filename="{filename}"\r\n'
        f"Content-Transfer-Encoding: base64\r\n\r\n{encoded}\r\n--B--\r\n"
    ).encode()


@pytest.mark.parametrize(
    "filename, payload, code",
    [
        ("decision.exe", b"MZ\x90\x00", "attachment_executable"),
        ("script.js", b"var a;", "attachment_executable"),
        ("decision.pdf", b"MZ\x90\x00", "attachment_executable"),  # the content tells the truth
        ("form.docm", b"PK\x03\x04word/vbaProject.bin", "attachment_macro_document"),
        # A Word 97-2003 document: its macros live in a stream named _VBA_PROJECT (UTF-16).
        (
            "hakemus.doc",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "_VBA_PROJECT".encode("utf-16-le"),
            "attachment_macro_document",
        ),
        ("files.zip", b"PK\x03\x04", "attachment_archive"),
        (
            "login.html",
            b"<form action='https://x.example'><input name=p></form>",
            "attachment_html_form",
        ),
        ("page.html", b"<p>hello</p>", "attachment_html"),
        ("paatos.pdf.exe", b"MZ", "attachment_double_extension"),
    ],
)
def test_dangerous_attachments_are_flagged(engine, filename, payload, code):
    assert engine.check_email(_with_attachment(filename, payload)).has(code)


def test_an_executable_makes_the_message_a_scam(engine):
    assert engine.check_email(_with_attachment("invoice.exe", b"MZ")).verdict == "scam"


def test_a_plain_pdf_is_fine(engine):
    result = engine.check_email(_with_attachment("letter.pdf", b"%PDF-1.7", "application/pdf"))
    assert not any(code.startswith("attachment_") for code in result.codes())

"""Attachments: executables, scripts, archives, macro-enabled documents, HTML that holds a form."""

from __future__ import annotations

from ..htmltext import parse_html
from ..limits import MAX_HTML_CHARS, limit_finding
from ..result import Finding

EXECUTABLE = frozenset({
    "exe", "scr", "com", "pif", "bat", "cmd", "msi", "msp", "dll", "cpl", "jar", "apk", "app",
    "dmg",
    "pkg", "lnk", "ps1", "psm1", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "reg", "sh", "py",
    "iso", "img", "vhd", "vhdx", "msc", "gadget", "inf", "xll", "appx", "msix", "one", "url", "chm",
})  # fmt: skip
ARCHIVE = frozenset(
    {"zip", "rar", "7z", "gz", "tgz", "tar", "cab", "ace", "arj", "bz2", "xz", "lzh", "z"}
)
MACRO = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "pptm", "potm", "ppsm", "sldm", "xlsb"})
HTML = frozenset({"html", "htm", "shtml", "xhtml", "svg", "mht", "mhtml"})
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Office 97-2003 files (.doc, .xls) keep macros in a storage named _VBA_PROJECT, in UTF-16.
_OLE_VBA = "_VBA_PROJECT".encode("utf-16-le")
DOCUMENT_DECOYS = frozenset({"pdf", "doc", "docx", "xls", "xlsx", "jpg", "jpeg", "png", "txt"})


def _extension(filename: str) -> tuple[str, str]:
    """(last extension, the one before it) in lower case."""
    parts = filename.lower().strip().rstrip(".").split(".")
    if len(parts) < 2:
        return "", ""
    return parts[-1].strip(), parts[-2].strip() if len(parts) > 2 else ""


def _kind(attachment) -> str:
    extension, _ = _extension(attachment.filename)
    payload = attachment.payload
    if extension in EXECUTABLE or payload[:2] == b"MZ" or payload[:4] == b"\x7fELF":
        return "executable"
    if (
        extension in MACRO
        or b"vbaProject.bin" in payload
        or (payload[:8] == _OLE_MAGIC and _OLE_VBA in payload)
    ):
        return "macro"
    if extension in HTML or attachment.content_type in ("text/html", "image/svg+xml"):
        return "html"
    if extension in ARCHIVE or attachment.content_type in (
        "application/zip", "application/x-rar-compressed", "application/x-7z-compressed",
    ):  # fmt: skip
        return "archive"
    return ""


def analyze(message, context) -> list[Finding]:
    findings: list[Finding] = []
    html_room = MAX_HTML_CHARS  # HTML parsed for all the attachments together
    for attachment in message.attachments:
        name = attachment.filename or "(no name)"
        extension, before = _extension(attachment.filename)
        kind = _kind(attachment)
        if before in DOCUMENT_DECOYS and kind in ("executable", "html", "archive", "macro"):
            findings.append(Finding("attachment_double_extension", "high", {"filename": name}))
        if kind == "executable":
            findings.append(Finding("attachment_executable", "high", {"filename": name}))
        elif kind == "macro":
            findings.append(Finding("attachment_macro_document", "high", {"filename": name}))
        elif kind == "archive":
            severity = "high" if context.claim.strong else "medium"
            findings.append(Finding("attachment_archive", severity, {"filename": name}))
        elif kind == "html":
            html = attachment.payload[: html_room * 4 + 1].decode("utf-8", "replace")
            if len(html) > html_room:
                html = html[:html_room]
                if not any(f.code == "input_limit_reached" for f in findings):
                    findings.append(limit_finding("html"))
            html_room -= len(html)
            content = parse_html(html)
            if content.forms:
                findings.append(Finding("attachment_html_form", "high", {"filename": name}))
            else:
                findings.append(Finding("attachment_html", "medium", {"filename": name}))
    return findings

"""The development mailbox: email written to EMAIL_FILE_PATH, shown in the browser."""

from __future__ import annotations

import email
import email.policy
import re
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.shortcuts import render

_SEPARATOR = b"\n" + b"-" * 79 + b"\n"
_FILE_NAME = re.compile(r"^[\w.-]{1,100}\.log$")
_LIMIT = 50


def _require_development():
    if settings.MODE != "development":
        raise Http404


def _folder() -> Path:
    return Path(settings.EMAIL_FILE_PATH or settings.VAR_DIR / "mail")


def _messages_in(path: Path) -> list[dict]:
    found = []
    for chunk in path.read_bytes().split(_SEPARATOR):
        if not chunk.strip():
            continue
        message = email.message_from_bytes(chunk, policy=email.policy.default)
        text_part = message.get_body(preferencelist=("plain",))
        found.append(
            {
                "subject": message.get("Subject", ""),
                "to": message.get("To", ""),
                "sender": message.get("From", ""),
                "date": message.get("Date", ""),
                "text": text_part.get_content() if text_part is not None else "",
            }
        )
    return found


def dev_mailbox(request):
    _require_development()
    folder = _folder()
    files = sorted(folder.glob("*.log"), key=lambda path: path.stat().st_mtime, reverse=True)
    entries = []
    for path in files[:_LIMIT]:
        for message in _messages_in(path):
            entries.append({"name": path.name, **message})
    return render(request, "accounts/dev_mailbox.html", {"entries": entries, "folder": folder})


def dev_mailbox_message(request, name: str):
    _require_development()
    if not _FILE_NAME.match(name):
        raise Http404
    path = _folder() / name
    if not path.is_file():
        raise Http404
    return render(
        request, "accounts/dev_mailbox_message.html", {"name": name, "mails": _messages_in(path)}
    )

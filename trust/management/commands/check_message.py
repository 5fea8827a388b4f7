"""Check a message (raw email or pasted text) with the trust center's engine."""

from __future__ import annotations

import json
import re
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from trust.advice import advice_for
from trust.engine import MessageTooLarge
from trust.engine_factory import current_engine
from trust.explanations import explain

_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]{0,60}:[ \t]")
_KNOWN_HEADERS = (b"from:", b"received:", b"return-path:", b"message-id:", b"dkim-signature:",
                  b"delivered-to:", b"mime-version:", b"subject:", b"date:", b"to:")  # fmt: skip


def looks_like_email(data: bytes) -> bool:
    """Raw RFC 5322: it opens with header lines, among them at least two a mail server writes."""
    head = data.lstrip()[:8192].split(b"\n\n", 1)[0].split(b"\r\n\r\n", 1)[0]
    lines = [line for line in head.splitlines() if line and line[:1] not in (b" ", b"\t")]
    if not lines or not _HEADER_LINE.match(lines[0]):
        return False
    known = sum(1 for line in lines if line.lower().startswith(_KNOWN_HEADERS))
    return known >= 2 and all(_HEADER_LINE.match(line) for line in lines[:3])


def result_json(result, language: str | None = None) -> dict:
    """The same JSON as the API: result.to_dict() plus translated explanations and advice."""
    data = result.to_dict()
    data["explanations"] = [
        {"code": finding.code, "severity": finding.severity, "text": str(explain(finding))}
        for finding in result.findings
    ]
    data["advice"] = [
        {key: str(value) for key, value in item.items()} if isinstance(item, dict) else str(item)
        for item in advice_for(result, language=language)
    ]
    return data


def print_result(stdout, result, language: str | None = None) -> None:
    data = result_json(result, language)
    stdout.write(_("Verdict: %(verdict)s") % {"verdict": result.verdict})
    for item in data["explanations"]:
        stdout.write(f"  [{item['severity']}] {item['text']}")
    for item in data["advice"]:
        if isinstance(item, dict):
            stdout.write(f"  - {item['text']} {item.get('url', '')}".rstrip())
        else:
            stdout.write(f"  - {item}")


class Command(BaseCommand):
    help = "Check a message: a raw email (.eml) or pasted text; '-' reads standard input."

    def add_arguments(self, parser):
        parser.add_argument("file", help="a file, or - for standard input")
        parser.add_argument(
            "--channel",
            choices=("email", "sms", "social"),
            default="email",
            help="the channel of pasted text (not of a raw email)",
        )
        parser.add_argument("--sender", default="", help="the sender of pasted text")
        parser.add_argument("--json", action="store_true", help="print the API's JSON")

    def handle(self, *args, **options):
        engine = current_engine()
        path = options["file"]
        limit = engine.config.max_message_bytes
        try:
            if path == "-":
                data = sys.stdin.buffer.read(limit + 1)
            else:
                with open(path, "rb") as handle:
                    data = handle.read(limit + 1)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(path)s: %(error)s")
                % {"path": path, "error": error.strerror or error}
            ) from error
        try:
            if looks_like_email(data):
                result = engine.check_email(data)
            else:
                text = data.decode("utf-8", "replace")
                result = engine.check_text(text, options["channel"], options["sender"])
        except MessageTooLarge as error:
            raise CommandError(
                _("The message is larger than %(limit)s bytes.") % {"limit": limit}
            ) from error
        if options["json"]:
            self.stdout.write(json.dumps(result_json(result), ensure_ascii=False))
        else:
            print_result(self.stdout, result)

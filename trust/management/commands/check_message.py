"""Check messages (raw emails, pasted text, mbox files, Maildirs) with the trust center's engine."""

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
from trust.management.message_inputs import message_inputs

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


def _error_text(item) -> str:
    if item.error == "too_large":
        return _("The message is larger than %(limit)s bytes.") % {"limit": item.detail}
    if item.error == "unreadable":
        return _("Cannot read %(path)s: %(error)s") % {"path": item.source, "error": item.detail}
    return _("The message could not be checked.")


class Command(BaseCommand):
    help = (
        "Check messages with the trust center's engine: raw emails (.eml) or pasted text in files, "
        "every file of a directory (sorted by name), every message of an mbox file or a Maildir, "
        "and '-' for standard input. With --json, one JSON object a line in input order, each with "
        "a 'source' naming its input. An input that cannot be read or is too large gives an error "
        "(an object with 'error' in --json) and the others are still checked; the exit status is "
        "then non-zero."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "inputs",
            nargs="+",
            metavar="input",
            help="a file, a directory, an mbox file, a Maildir, or - for standard input",
        )
        parser.add_argument(
            "--channel",
            choices=("email", "sms", "social"),
            default="email",
            help="the channel of pasted text (not of a raw email)",
        )
        parser.add_argument("--sender", default="", help="the sender of pasted text")
        parser.add_argument(
            "--recipient",
            default="",
            help=(
                "the email address or phone number the messages came to, as you know it: a "
                "verification code is confirmed only against it, never against the message's To:"
            ),
        )
        parser.add_argument("--json", action="store_true", help="one JSON object a line")

    def _check(self, engine, item, options):
        recipient = options["recipient"].strip() or None
        if item.is_email or looks_like_email(item.data):
            return engine.check_email(item.data, recipient=recipient)
        text = item.data.decode("utf-8", "replace")
        return engine.check_text(text, options["channel"], options["sender"], recipient=recipient)

    def handle(self, *args, **options):
        engine = current_engine()  # built once for all the messages
        limit = engine.config.max_message_bytes
        total = failed = 0
        for item in message_inputs(options["inputs"], limit, sys.stdin.buffer):
            total += 1
            result = None
            if not item.error:
                try:
                    result = self._check(engine, item, options)
                except MessageTooLarge:
                    item.error, item.detail = "too_large", str(limit)
                except Exception as error:  # noqa: BLE001 (one bad message must not end the run)
                    # The exception text may quote the message; name its type only.
                    item.error, item.detail = "check_failed", type(error).__name__
            if result is None:
                failed += 1
                self._write_error(item, options["json"])
            elif options["json"]:
                data = {"source": item.source, **result_json(result)}
                self.stdout.write(json.dumps(data, ensure_ascii=False))
            else:
                self.stdout.write(item.source)
                print_result(self.stdout, result)
        if failed:
            raise CommandError(
                _("%(failed)s of %(total)s messages could not be checked.")
                % {"failed": failed, "total": total}
            )

    def _write_error(self, item, as_json: bool) -> None:
        text = _error_text(item)
        if as_json:
            data = {"source": item.source, "error": {"code": item.error, "message": text}}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        else:
            self.stderr.write(f"{item.source}: {text}")

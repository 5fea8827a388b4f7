"""Scam messages forwarded by email to the report address, received by an SMTP server (aiosmtpd).

The forwarded original is the attached message (message/rfc822, or an .eml file) when there is
one, otherwise the forwarding mail's own text. The forwarder's address is kept, sealed, so that
they hear when their report joins a published warning.
"""

from __future__ import annotations

import asyncio
import base64
import email
import email.policy
import logging
import quopri
import weakref
from email.utils import parseaddr

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections

from trust.engine.limits import bounded_for_parsing

logger = logging.getLogger(__name__)


def _attached_message(part) -> bytes:
    payload = part.get_payload()
    inner = payload[0] if isinstance(payload, list) and payload else None
    if inner is None:
        return b""
    encoding = str(part.get("Content-Transfer-Encoding", "")).strip().lower()
    if encoding in {"base64", "quoted-printable"}:
        # Against RFC 2046 some programs encode the attached message; the parser then sees one
        # header-less message whose body is the encoded original.
        encoded = inner.as_bytes(policy=email.policy.compat32)
        if encoding == "base64":
            return base64.b64decode(b"".join(encoded.split()), validate=False)
        return quopri.decodestring(encoded.lstrip(b"\r\n"))
    return inner.as_bytes(policy=email.policy.compat32)


def _body_text(part) -> str:
    try:
        return part.get_content()
    except (LookupError, UnicodeError, ValueError, AssertionError):
        # An unknown or wrong charset: a report in it must still be stored, not refused for ever.
        payload = part.get_payload(decode=True) or b""
        return payload.decode("utf-8", errors="replace")


def forwarded_original(raw: bytes) -> tuple[str, bytes]:
    """(content kind, content) of the message someone forwarded to us."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            inner = _attached_message(part)
            if inner:
                return "eml", inner
        filename = (part.get_filename() or "").lower()
        if filename.endswith(".eml"):
            content = part.get_payload(decode=True)
            if content:
                return "eml", content
    body = message.get_body(preferencelist=("plain", "html"))
    text = _body_text(body) if body is not None else ""
    subject = str(message.get("Subject", ""))
    return "text", f"{subject}\n\n{text}".strip().encode("utf-8")


def store_forwarded_report(raw: bytes, envelope_sender: str = "") -> str:
    """Store one forwarded mail as a report; returns the report's public id."""
    from trust.models import ReportChannel, ReportSource
    from trust.services import scam_report_submit

    # The forwarding mail is parsed before the engine sees the original: bound its fields and
    # parts first, as the engine does (the SMTP size limit alone leaves 200,000 parts possible).
    raw, _ = bounded_for_parsing(raw, max_lines=None)
    message = email.message_from_bytes(raw, policy=email.policy.default)
    reporter = parseaddr(str(message.get("From", "")))[1] or envelope_sender or ""
    content_kind, content = forwarded_original(raw)
    report = scam_report_submit(
        source=ReportSource.EMAIL,
        channel=ReportChannel.EMAIL,
        content_kind=content_kind,
        content=content,
        reporter_address=reporter if "@" in reporter else "",
    )
    return str(report.public_id)


def _store_in_worker_thread(raw: bytes, envelope_sender: str) -> str:
    # Runs in a thread of an executor: its database connection is opened and closed here (with
    # CONN_MAX_AGE the connection of an idle executor thread would otherwise stay open).
    close_old_connections()
    try:
        return store_forwarded_report(raw, envelope_sender)
    finally:
        connections.close_all()


# A forwarder sends one message at a time; a connection or an address that sends many is a
# script filling the report queue (and, before the feedback limits, the reporters' inboxes).
CLIENT_RATE_SCOPE = "trust.inbound.client"
DEFAULT_CLIENT_LIMIT = (30, 60 * 60)  # messages per client address (an IPv6 /64) per window


def _count_client_message(peer_address: str, limit: int, window_seconds: int):
    from core.ratelimit import address_key, rate_limit_hit

    close_old_connections()
    try:
        return rate_limit_hit(
            scope=CLIENT_RATE_SCOPE,
            key=address_key(peer_address),
            limit=limit,
            window_seconds=window_seconds,
        )
    finally:
        connections.close_all()  # this thread's connections only


def _close_after_reply(server) -> None:
    # aiosmtpd writes the hook's reply before its next await; closing on the next turn of the
    # loop lets the client read the 421 first (a transport flushes its buffer before closing).
    transport = getattr(server, "transport", None)
    if transport is not None:
        asyncio.get_running_loop().call_soon(transport.close)


class ReportMailHandler:
    """aiosmtpd handler: accepts mail for the report address only and stores each as a report.

    At most `messages_per_connection` messages per SMTP session, and per client address (an IPv6
    /64) the limit of the rate-limit scope "trust.inbound.client", counted in the database so that
    every receiver process shares one count; past either, the reply is 421 and the connection is
    closed.
    """

    def __init__(
        self,
        report_address: str | None = None,
        *,
        messages_per_connection: int | None = None,
    ):
        from trust.selectors import report_address as configured_address

        self.report_address = (report_address or configured_address()).lower()
        self.messages_per_connection = int(
            messages_per_connection or settings.TRUST_INBOUND_MESSAGES_PER_CONNECTION
        )
        self.client_limit = DEFAULT_CLIENT_LIMIT  # settings.RATE_LIMITS overrides it
        # Messages started per session; a weak map, so that a closed session takes its count along.
        self._started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        started = self._started.get(session, 0)
        if started >= self.messages_per_connection:
            _close_after_reply(server)
            return (
                f"421 4.7.0 At most {self.messages_per_connection} messages per connection; "
                "closing, connect again to send more"
            )
        peer = session.peer[0] if isinstance(session.peer, tuple | list) else str(session.peer)
        result = await sync_to_async(_count_client_message, thread_sensitive=False)(
            peer, *self.client_limit
        )
        if not result.allowed:
            if result.count == result.limit + 1:
                # Once per address and window: a client reconnecting to be refused again and again
                # must not flood the log either.
                logger.warning("inbound reports: a client address reached its limit")
            _close_after_reply(server)
            minutes = max(1, -(-result.retry_after // 60))
            return f"421 4.7.0 Too many messages from your address; try again in {minutes} minutes"
        self._started[session] = started + 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() != self.report_address:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        from trust.engine import MessageTooLarge

        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8", errors="surrogateescape")
        try:
            await sync_to_async(_store_in_worker_thread, thread_sensitive=False)(
                raw, envelope.mail_from or ""
            )
        except MessageTooLarge:
            return "552 5.3.4 Message too big"
        except Exception as error:
            # The error's class only: messages about a report can quote its content or addresses.
            logger.error("storing a forwarded report failed: %s", type(error).__name__)
            return "451 4.3.0 Could not store the report, try again later"
        return "250 Thank you, your report was received"


def report_smtp_controller(
    *,
    host: str,
    port: int,
    report_address: str | None = None,
    messages_per_connection: int | None = None,
):
    """An aiosmtpd Controller serving the report address; call .start() and .stop().

    Messages per connection: `messages_per_connection`, else settings
    .TRUST_INBOUND_MESSAGES_PER_CONNECTION (10); per client address: settings
    .RATE_LIMITS["trust.inbound.client"] = (messages, seconds), (30, 3600) by default."""
    from aiosmtpd.controller import Controller

    from trust.selectors import max_message_bytes

    # aiosmtpd logs every SMTP command at INFO, senders' and recipients' addresses included.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    return Controller(
        ReportMailHandler(
            report_address,
            messages_per_connection=messages_per_connection,
        ),
        hostname=host,
        port=port,
        # Forwarded attachments are base64: a third larger than the message itself.
        data_size_limit=max_message_bytes() * 4 // 3 + 1024 * 1024,
    )

"""The automatic reply to plain email sent to the authority's public address.

Personal data sent by ordinary email is not opened: an SMTP receiver (aiosmtpd, run by
`manage.py receive_plain_email`) takes the message in, reads only its header section to decide
whether to answer, and answers the envelope sender at most once a day with how to use Securemail.
Nothing of the message is stored or logged: the only trace is the rate-limit rows (keyed hashes of
the sender and the client address) and the notification's own record (a keyed hash of the address).

Never answered (RFC 3834 and backscatter): a null return path, automatic mail (Auto-Submitted other
than "no", Precedence bulk/list/junk, List-* fields, Microsoft's X-Auto-Response-Suppress),
mailer-daemon, postmaster and no-reply senders, our own addresses and domains (loops), and, when the
mail server in front reports Authentication-Results under SECUREMAIL_AUTOREPLY_AUTHSERV_ID, a
sender whose domain passed none of SPF, DKIM and DMARC (a forged sender is the third party).
"""

from __future__ import annotations

import email
import email.policy
import logging
import re
import weakref
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from aiosmtpd.controller import Controller
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.authority import authority, notification_sender
from core.ratelimit import address_key, rate_limit_hit
from core.smtp import close_after_reply, quiet_smtp_library_log, session_peer
from notifications.services import email_send, public_host
from notifications.verification import verification_code_issue
from securemail.access import official_address

logger = logging.getLogger(__name__)

REPLY_LANGUAGES = ("fi", "sv", "en")
NOTIFICATION_KIND = "securemail_autoreply"
# Only the header section is read; beyond this many bytes the rest is not headers we need.
MAX_HEADER_BYTES = 256 * 1024
# Refused at SMTP (421): messages per client address (an IPv6 /64) and hour.
CLIENT_MESSAGES_SCOPE = "securemail.autoreply.client_messages"
# Replies: per envelope sender and day, per client address and hour, for everyone and hour.
SENDER_REPLIES_SCOPE = "securemail.autoreply.sender"
CLIENT_REPLIES_SCOPE = "securemail.autoreply.client_replies"
ALL_REPLIES_SCOPE = "securemail.autoreply.all"
DAY = 24 * 60 * 60
HOUR = 60 * 60

# Local parts that RFC 3834 (section 2) and practice say never to answer.
_AUTOMATIC_LOCAL_PART = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|bounces?|listserv|majordomo|"
    r"owner-.*|.*-request|.*-bounces?|noreply-.*|no-reply-.*)$"
)
_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]{1,64}@[A-Za-z0-9.-]{1,253}$")


@dataclass(frozen=True)
class ReplyDecision:
    reply: bool
    reason: str  # a fixed word for the log: never anything taken from the message
    languages: tuple[str, ...] = REPLY_LANGUAGES


def header_section(raw: bytes) -> bytes:
    """The message's header fields only, at most MAX_HEADER_BYTES; the body is never parsed."""
    head = raw[:MAX_HEADER_BYTES]
    ends = [index for index in (head.find(b"\r\n\r\n"), head.find(b"\n\n")) if index >= 0]
    return head[: min(ends)] + b"\r\n" if ends else head


def parse_headers(head: bytes) -> Message:
    return email.message_from_bytes(head, policy=email.policy.compat32)


def _values(headers: Message, name: str) -> list[str]:
    return [str(value) for value in headers.get_all(name) or []]


def _domain_of(address: str) -> str:
    return address.rpartition("@")[2].strip().strip(".").lower()


def _aligned(domain: str, other: str) -> bool:
    """Relaxed alignment without a public-suffix list: the same domain or one below the other."""
    if not domain or not other:
        return False
    return domain == other or domain.endswith("." + other) or other.endswith("." + domain)


def own_addresses() -> set[str]:
    return {address.lower() for address in receiving_addresses()} | {
        notification_sender().lower(),
        authority().notification_sender.lower(),
    }


def own_domains() -> set[str]:
    profile = authority()
    return {domain.lower() for domain in profile.official_email_domains} | {
        _domain_of(address) for address in own_addresses()
    }


def receiving_addresses() -> tuple[str, ...]:
    """The public addresses answered for: the setting, else the authority profile's."""
    configured = settings.SECUREMAIL_AUTOREPLY_ADDRESSES
    return tuple(configured or authority().public_email_addresses)


def is_automatic(headers: Message) -> bool:
    """Mail that an automatic reply must not answer (RFC 3834 section 2, and list mail)."""
    for value in _values(headers, "Auto-Submitted"):
        if value.split(";", 1)[0].strip().lower() != "no":
            return True
    if any(v.strip().lower() in {"bulk", "list", "junk"} for v in _values(headers, "Precedence")):
        return True
    list_fields = ("List-Id", "List-Unsubscribe", "List-Post", "List-Help", "X-Loop")
    if any(headers.get(name) is not None for name in list_fields):
        return True
    if headers.get_content_type() == "multipart/report":
        return True  # a delivery or read report (RFC 6522)
    suppress = " ".join(_values(headers, "X-Auto-Response-Suppress")).lower()
    return any(word in suppress for word in ("all", "autoreply", "oof"))


def is_automatic_sender(address: str) -> bool:
    local_part = address.rpartition("@")[0].split("+", 1)[0].lower()
    return bool(_AUTOMATIC_LOCAL_PART.match(local_part))


def authenticated_domains(headers: Message, authserv_id: str) -> set[str]:
    """Domains that passed SPF, DKIM or DMARC in the Authentication-Results (RFC 8601) our own
    mail server added; fields under any other authserv-id are the sender's and prove nothing."""
    domains: set[str] = set()
    for value in _values(headers, "Authentication-Results"):
        clauses = [clause.strip() for clause in " ".join(value.split()).split(";")]
        if not clauses[0] or clauses[0].split()[0].lower() != authserv_id.lower():
            continue
        for clause in clauses[1:]:
            tokens = clause.split()
            if not tokens:
                continue
            method, _, outcome = tokens[0].lower().partition("=")
            if outcome != "pass":
                continue
            properties = dict(token.lower().split("=", 1) for token in tokens[1:] if "=" in token)
            identity = {
                "spf": properties.get("smtp.mailfrom", ""),
                "dkim": properties.get("header.d") or properties.get("header.i", ""),
                "dmarc": properties.get("header.from", ""),
            }.get(method, "")
            if identity:
                domains.add(_domain_of(identity))
    return domains


def _language_tags(value: str) -> list[str]:
    ranked = []
    for position, item in enumerate(value.split(",")[:20]):
        tag, _, parameters = item.strip().partition(";")
        quality = 1.0
        match = re.search(r"q\s*=\s*([0-9.]{1,5})", parameters)
        if match:
            try:
                quality = float(match.group(1))
            except ValueError:
                quality = 0.0
        if tag and quality > 0:
            ranked.append((-quality, position, tag.strip().lower()))
    return [tag for _quality, _position, tag in sorted(ranked)]


def sender_language(headers: Message) -> str | None:
    """fi, sv or en when the message's headers say the sender uses one of them, else None."""
    for name in ("Content-Language", "Accept-Language", "X-Accept-Language"):
        for value in _values(headers, name):
            for tag in _language_tags(value):
                primary = tag.split("-", 1)[0]
                if primary in REPLY_LANGUAGES:
                    return primary
    return None


def reply_decision(*, headers: Message, envelope_sender: str) -> ReplyDecision:
    """Whether the envelope sender of a message with these headers gets an automatic reply.

    Rate limits are not counted here (see `autoreply_for_message`)."""
    sender = (envelope_sender or "").strip().lower()
    if not sender:
        return ReplyDecision(False, "null-sender")
    if not _ADDRESS.match(sender):
        return ReplyDecision(False, "bad-sender")
    if is_automatic(headers):
        return ReplyDecision(False, "automatic")
    if is_automatic_sender(sender):
        return ReplyDecision(False, "automatic-sender")
    # Our own address as the envelope sender or in From: a loop, or someone forging us.
    from_addresses = [address.lower() for _name, address in getaddresses(_values(headers, "From"))]
    for address in (sender, *from_addresses):
        if address in own_addresses() or any(
            _aligned(_domain_of(address), domain) for domain in own_domains()
        ):
            return ReplyDecision(False, "own-address")
    sender_domain = _domain_of(sender)
    authserv_id = settings.SECUREMAIL_AUTOREPLY_AUTHSERV_ID
    if authserv_id and not any(
        _aligned(sender_domain, domain) for domain in authenticated_domains(headers, authserv_id)
    ):
        return ReplyDecision(False, "not-authenticated")
    language = sender_language(headers)
    return ReplyDecision(True, "reply", (language,) if language else REPLY_LANGUAGES)


def mailbox_key(address: str) -> str:
    """The mailbox an address delivers to, for the once-a-day limit: without a "+tag", so that
    maija+1@, maija+2@, ... cannot each be answered into one inbox."""
    local_part, _, domain = address.strip().lower().rpartition("@")
    return f"{local_part.split('+', 1)[0]}@{domain}"


def _limits_allow(*, sender: str, client: str) -> str | None:
    """Count one reply against each limit; the first limit reached, or None."""
    limits = (
        (SENDER_REPLIES_SCOPE, sender, settings.SECUREMAIL_AUTOREPLY_SENDER_REPLIES_PER_DAY, DAY),
        (
            CLIENT_REPLIES_SCOPE,
            address_key(client),
            settings.SECUREMAIL_AUTOREPLY_CLIENT_REPLIES_PER_HOUR,
            HOUR,
        ),
        (ALL_REPLIES_SCOPE, "all", settings.SECUREMAIL_AUTOREPLY_REPLIES_PER_HOUR, HOUR),
    )
    for scope, key, limit, window in limits:
        result = rate_limit_hit(scope=scope, key=key, limit=limit, window_seconds=window)
        if not result.allowed:
            if scope == ALL_REPLIES_SCOPE and result.count == result.limit + 1:
                logger.warning("plain email: the hourly cap of automatic replies is reached")
            return scope
    return None


def autoreply_render(*, languages: tuple[str, ...], verification_code: str) -> tuple[str, str]:
    """(subject, text) of the reply, one section per language; plain text, no link."""
    profile = authority()
    context = {
        "authority": profile,
        "securemail_address": official_address(),
        "public_host": public_host(),
        "message_verification_code": verification_code,
    }
    subjects, sections = [], []
    for language in languages:
        with translation.override(language):
            subjects.append(render_to_string("securemail/autoreply/subject.txt", context).strip())
            sections.append(render_to_string("securemail/autoreply/reply.txt", context).strip())
    subject = " / ".join(" ".join(subject.split()) for subject in subjects)
    return subject, "\n\n----------\n\n".join(sections) + "\n"


@transaction.atomic
def autoreply_send(*, to: str, languages: tuple[str, ...]) -> None:
    """Queue the automatic reply to `to` (DKIM-signed by the email backend, like every notice);
    the verification code and the send are one transaction."""
    code = verification_code_issue(recipient=to, channel="email", kind=NOTIFICATION_KIND)
    subject, text = autoreply_render(languages=languages, verification_code=code)
    email_send(
        to=to,
        subject=subject,
        text_body=text,
        html_body=None,
        language=languages[0] if len(languages) == 1 else "",
        kind=NOTIFICATION_KIND,
        headers={
            # RFC 3834: marks the reply as automatic so that other responders do not answer it.
            "Auto-Submitted": "auto-replied",
            "X-Auto-Response-Suppress": "All",
            "Content-Language": ", ".join(languages),
        },
    )


def autoreply_for_message(*, head: bytes, envelope_sender: str, client: str) -> str:
    """Decide and, when due, send the reply; returns the decision's reason word."""
    decision = reply_decision(headers=parse_headers(head), envelope_sender=envelope_sender)
    if not decision.reply:
        return decision.reason
    sender = envelope_sender.strip()
    limited = _limits_allow(sender=mailbox_key(sender), client=client)
    if limited is not None:
        return "limited"
    # To the address as given: a local part may be case-sensitive (RFC 5321).
    autoreply_send(to=sender, languages=decision.languages)
    return "replied"


def _in_own_connection(function, **kwargs):
    # Runs in an executor thread: its database connection is opened and closed here (with
    # CONN_MAX_AGE the connection of an idle executor thread would otherwise stay open).
    close_old_connections()
    try:
        return function(**kwargs)
    finally:
        connections.close_all()  # this thread's connections only


def _count_client_message(*, client: str):
    return rate_limit_hit(
        scope=CLIENT_MESSAGES_SCOPE,
        key=address_key(client),
        limit=settings.SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR,
        window_seconds=HOUR,
    )


class PlainMailHandler:
    """aiosmtpd handler for the public addresses: takes each message in, answers it (or not) and
    forgets it. Per connection at most SECUREMAIL_AUTOREPLY_MESSAGES_PER_CONNECTION messages, per
    client address SECUREMAIL_AUTOREPLY_CLIENT_MESSAGES_PER_HOUR; past either, 421 and close."""

    def __init__(self, addresses: tuple[str, ...] | None = None):
        self.addresses = {address.lower() for address in (addresses or receiving_addresses())}
        if not self.addresses:
            raise ValueError("no public address: set public_email_addresses in the profile")
        self.messages_per_connection = settings.SECUREMAIL_AUTOREPLY_MESSAGES_PER_CONNECTION
        self._started: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):  # noqa: N802
        started = self._started.get(session, 0)
        if started >= self.messages_per_connection:
            close_after_reply(server)
            return f"421 4.7.0 At most {self.messages_per_connection} messages per connection"
        try:
            result = await sync_to_async(_in_own_connection, thread_sensitive=False)(
                _count_client_message, client=session_peer(session)
            )
        except Exception as error:
            logger.error("plain email: counting a client failed: %s", type(error).__name__)
            return "451 4.3.0 Try again later"
        if not result.allowed:
            close_after_reply(server)
            minutes = max(1, -(-result.retry_after // 60))
            return f"421 4.7.0 Too many messages from your address; try again in {minutes} minutes"
        self._started[session] = started + 1
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address.lower() not in self.addresses:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        raw = envelope.original_content or b""
        head = header_section(raw if isinstance(raw, bytes) else raw.encode("utf-8", "replace"))
        # The content is forgotten here: only the header section travels on, and not far.
        envelope.original_content = envelope.content = None
        del raw
        try:
            outcome = await sync_to_async(_in_own_connection, thread_sensitive=False)(
                autoreply_for_message,
                head=head,
                envelope_sender=envelope.mail_from or "",
                client=session_peer(session),
            )
        except Exception as error:
            # The error's class only: its message could quote an address or a header.
            logger.error("plain email: the automatic reply failed: %s", type(error).__name__)
            outcome = "failed"
        logger.info("plain email received and not opened: %s", outcome)
        return "250 2.0.0 Received and not opened: personal data is not read from ordinary email"


def plain_mail_smtp_controller(*, host: str, port: int, addresses: tuple[str, ...] | None = None):
    """An aiosmtpd Controller for the public addresses; call .start() and .stop().

    A message over SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES is refused with 552 while it arrives:
    aiosmtpd stops keeping its lines once past the limit (and refuses a declared SIZE at once)."""
    quiet_smtp_library_log()
    return Controller(
        PlainMailHandler(addresses),
        hostname=host,
        port=port,
        data_size_limit=settings.SECUREMAIL_AUTOREPLY_MAX_MESSAGE_BYTES,
    )

"""The shared email service: every feature sends mail through `email_send`, after commit."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from core.authority import authority, notification_sender
from core.keyed_hashes import keyed_hash, keyed_hashes
from core.sealed_fields import seal_field_json
from notifications.models import OutboundEmail
from notifications.verification import verification_code_issue

RECIPIENT_SALT = "notifications.recipient"


def recipient_hash(address: str) -> str:
    """A keyed hash of the address: support can ask "was mail sent to X?" without storing X."""
    return keyed_hash(RECIPIENT_SALT, address.strip().lower())


def recipient_hashes(address: str) -> list[str]:
    """The address's hash under each key still accepted. Rotation: rows are looked up under the
    fallback keys too, so "at most one notice an hour" holds across the restart."""
    return keyed_hashes(RECIPIENT_SALT, address.strip().lower())


def outbound_message_id(outbound_email_id: int) -> str:
    """The Message-ID of an outbound email, the same on every attempt.

    SMTP offers no idempotency key, so a send interrupted after the server accepted the message is
    sent again (at least once); the repeated copy carries the same Message-ID, which mail systems
    and people recognise as the same message. A keyed hash, so the header does not count our mail.
    """
    # Rotation: made anew at each attempt, never checked; an attempt after the restart has another
    # Message-ID, so at worst a reader sees a repeated copy as a new message.
    token = keyed_hash("notifications.message-id", str(outbound_email_id))[:32]
    domain = notification_sender().rpartition("@")[2] or "localhost"
    return f"<{token}@{domain}>"


@transaction.atomic
def email_send(
    *,
    to: str,
    subject: str,
    text_body: str,
    html_body: str | None,
    language: str,
    kind: str,
    headers: dict[str, str] | None = None,
) -> None:
    """Record the email and send it once the surrounding transaction commits (retried on failure).

    `headers`: extra header fields (an automatic reply's Auto-Submitted). The content waits on the
    row, sealed (bodies may carry one-time codes), and the task reads it from there: the task
    arguments hold only the id, so key rotation has nothing to miss there.
    """
    from notifications.tasks import send_email

    outbound = OutboundEmail(kind=kind, recipient_hash=recipient_hash(to), language=language or "")
    outbound.full_clean()
    outbound.save()
    sealed = seal_field_json(
        outbound,
        "payload_sealed",
        {
            "to": to,
            "subject": subject,
            "text": text_body,
            "html": html_body,
            **({"headers": headers} if headers else {}),
        },
    )
    # On the row, also so that a send whose worker died can be re-queued (notifications.stalled).
    OutboundEmail.objects.filter(pk=outbound.pk).update(payload_sealed=sealed)
    outbound_id = outbound.pk
    transaction.on_commit(lambda: send_email.enqueue(outbound_email_id=outbound_id, attempt=1))


def public_host() -> str:
    """The host users are told to type themselves; notifications never link to it."""
    return urlsplit(settings.PUBLIC_BASE_URL).netloc or settings.PUBLIC_BASE_URL


def email_render(*, template_prefix: str, context: dict, language: str) -> tuple[str, str, str]:
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` in the given language."""
    full_context = {"authority": authority(), "public_host": public_host(), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"{template_prefix}_subject.txt", full_context)
        text_body = render_to_string(f"{template_prefix}.txt", full_context)
        html_body = render_to_string(f"{template_prefix}.html", full_context)
    # A subject is one line: a newline in it would be a header injection.
    subject = " ".join(subject.split())
    return subject, text_body, html_body


def email_send_templated(
    *, to: str, template_prefix: str, context: dict, language: str, kind: str
) -> None:
    """Render an email from templates in the recipient's language and send it with `email_send`.

    Every notification carries a verification code that anyone can check on the trust center's
    "Did we send this?" page; the shared footer prints it.
    """

    language = language or settings.LANGUAGE_CODE
    message_code = verification_code_issue(recipient=to, channel="email", kind=kind)
    subject, text_body, html_body = email_render(
        template_prefix=template_prefix,
        context={**context, "message_verification_code": message_code},
        language=language,
    )
    email_send(
        to=to,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        language=language,
        kind=kind,
    )

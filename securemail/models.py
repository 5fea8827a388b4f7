"""Securemail's tables: topics that route to units, conversations between one correspondent and the
authority, their messages (subject and body sealed), attachments (encrypted documents) and the
one-time access codes that let a person without an account read their own conversations.

Units and cases are referred to by string ("casework.Unit", "applications.Application") because
securemail sits beside those apps and must not import them (casework imports securemail).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from core.sealed_fields import SealedBinaryField, open_field_text


class Topic(models.Model):
    """What a message is about; it routes the conversation to a unit. Data, edited in the admin."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    unit = models.ForeignKey(
        "casework.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    ordering = models.PositiveSmallIntegerField(_("ordering"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["ordering", "code"]

    def __str__(self) -> str:
        return self.code

    @property
    def name(self) -> str:
        """The name in the active language (English when the language has none)."""
        language = (translation.get_language() or "en")[:2]
        return getattr(self, f"name_{language}", "") or self.name_en


class ConversationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    """One thread between a correspondent and the authority.

    The primary key is a random UUID, the only id that appears in addresses, so ids cannot be
    enumerated. The correspondent's address is sealed; a keyed hash finds their conversations.
    """

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.PROTECT, related_name="conversations"
    )
    # Copied from the topic when the conversation starts: editing a topic later moves nothing.
    unit = models.ForeignKey(
        "casework.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        "applications.Application",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in sender"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="securemail_conversations",
    )
    correspondent_email_sealed = SealedBinaryField(_("correspondent's email (encrypted)"))
    correspondent_email_hash = models.CharField(
        _("correspondent's email (keyed hash)"), max_length=64, db_index=True
    )
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ConversationStatus.choices,
        default=ConversationStatus.OPEN,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="securemail_assignments",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"))
    # Both move forward with each message (securemail.services).
    visible_until = models.DateTimeField(_("visible to the sender until"))
    delete_after = models.DateTimeField(_("deleted after"), db_index=True)

    class Meta:
        verbose_name = _("secure conversation")
        verbose_name_plural = _("secure conversations")
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["unit", "status", "-last_activity_at"])]

    def __str__(self) -> str:
        return f"conversation {self.pk}"

    @property
    def correspondent_email(self) -> str:
        return open_field_text(self, "correspondent_email_sealed")


class Direction(models.TextChoices):
    FROM_PUBLIC = "from_public", _("From the sender")
    FROM_AUTHORITY = "from_authority", _("From the authority")


class Message(models.Model):
    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(
        Conversation,
        verbose_name=_("conversation"),
        on_delete=models.CASCADE,
        related_name="messages",
    )
    direction = models.CharField(_("direction"), max_length=20, choices=Direction.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    subject_sealed = SealedBinaryField(_("subject (encrypted)"))
    body_sealed = SealedBinaryField(_("body (encrypted)"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_by_authority_at = models.DateTimeField(_("read by the authority"), null=True, blank=True)
    read_by_correspondent_at = models.DateTimeField(_("read by the sender"), null=True, blank=True)

    class Meta:
        verbose_name = _("secure message")
        verbose_name_plural = _("secure messages")
        ordering = ["created_at"]
        indexes = [models.Index(fields=["conversation", "created_at"])]

    def __str__(self) -> str:
        return f"message {self.pk}"

    @property
    def from_authority(self) -> bool:
        return self.direction == Direction.FROM_AUTHORITY

    @property
    def subject(self) -> str:
        return open_field_text(self, "subject_sealed")

    @property
    def body(self) -> str:
        return open_field_text(self, "body_sealed")


class Attachment(models.Model):
    """A file of a message: an encrypted, virus-scanned document (documents app)."""

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    message = models.ForeignKey(
        Message, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    # PROTECT: the retention job deletes the document (and its blob) through documents.services.
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("secure message attachment")
        verbose_name_plural = _("secure message attachments")
        ordering = ["document__created_at"]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class AccessCode(models.Model):
    """A one-time code sent to an email address, bound to that address and one browser session.

    Only keyed hashes of the code, the address and the session's binding token are stored; the
    address itself is sealed, so that once verified the session can start conversations and receive
    notifications without the plain address ever sitting in a column or the session.
    """

    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    email_hash = models.CharField(_("email (keyed hash)"), max_length=64, db_index=True)
    email_sealed = SealedBinaryField(_("email (encrypted)"))
    session_hash = models.CharField(_("browser session (keyed hash)"), max_length=64)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("code expires at"))
    attempts = models.PositiveSmallIntegerField(_("failed attempts"), default=0)
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    # After verification the session may read and write for this long.
    session_valid_until = models.DateTimeField(_("session valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("securemail access code")
        verbose_name_plural = _("securemail access codes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session_hash", "-created_at"])]

    def __str__(self) -> str:
        return f"access code #{self.pk}"

    @property
    def email(self) -> str:
        return open_field_text(self, "email_sealed")

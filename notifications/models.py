"""Outbound email and text messages: kind, a hash of the recipient, status, attempts, and the
content sealed only while the message still waits to go out."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.sealed_fields import SealedBinaryField


class OutboundEmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


# A text message goes through the same three states as an email.
OutboundSMSStatus = OutboundEmailStatus


class OutboundMessage(models.Model):
    """What both channels record: no content and no address. Contents carry one-time and
    verification codes; addresses and numbers are personal data."""

    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient_hash = models.CharField(_("recipient hash"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboundEmailStatus.choices,
        default=OutboundEmailStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=64, blank=True)
    # Indexed: the retention job and the stalled-send sweeper select by age.
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # The recipient and the content, sealed and bound to this row, kept only until the message is
    # sent or has failed for good: the sweeper (notifications.stalled) re-queues a send from here
    # when the worker that claimed it died.
    payload_sealed = SealedBinaryField(
        _("payload (encrypted)"), null=True, blank=True, editable=False
    )

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class OutboundEmail(OutboundMessage):
    language = models.CharField(_("language"), max_length=5, blank=True)

    class Meta(OutboundMessage.Meta):
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")

    def __str__(self) -> str:
        return f"outbound email #{self.pk} ({self.kind}, {self.status})"


class OutboundSMS(OutboundMessage):
    class Meta(OutboundMessage.Meta):
        verbose_name = _("outbound text message")
        verbose_name_plural = _("outbound text messages")

    def __str__(self) -> str:
        return f"outbound text message #{self.pk} ({self.kind}, {self.status})"


class VerificationCode(models.Model):
    """A code printed in one notification. Only HMACs of the code and the recipient are stored, so
    a copy of the database neither reveals codes nor lets anyone test addresses against them."""

    code_digest = models.CharField(_("code digest"), max_length=64, unique=True)
    recipient_digest = models.CharField(_("recipient digest"), max_length=64)
    channel = models.CharField(_("channel"), max_length=20)
    kind = models.CharField(_("kind of notification"), max_length=64)
    # Indexed: the retention job deletes codes by age.
    issued_at = models.DateTimeField(_("issued"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("verification code")
        verbose_name_plural = _("verification codes")
        # The table keeps the name it had when the trust center owned the codes (issue 8 moved
        # the model here): renaming it would buy nothing and risk the codes already printed.
        db_table = "trust_verificationcode"

    def __str__(self) -> str:
        return f"{self.kind} {self.issued_at:%Y-%m-%d}"

"""Outbound email and text messages, recorded without content: kind, a hash of the recipient,
status, attempts."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmailStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    # No subject, body or address: bodies carry one-time codes, addresses are personal data.
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient_hash = models.CharField(_("recipient hash"), max_length=64, db_index=True)
    language = models.CharField(_("language"), max_length=5, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboundEmailStatus.choices,
        default=OutboundEmailStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"outbound email #{self.pk} ({self.kind}, {self.status})"


# A text message goes through the same three states as an email.
OutboundSMSStatus = OutboundEmailStatus


class OutboundSMS(models.Model):
    # No number and no text, as for email: texts carry verification codes, numbers are personal data.
    kind = models.CharField(_("kind"), max_length=64, db_index=True)
    recipient_hash = models.CharField(_("recipient hash"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OutboundSMSStatus.choices,
        default=OutboundSMSStatus.QUEUED,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_attempt_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbound text message")
        verbose_name_plural = _("outbound text messages")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"outbound text message #{self.pk} ({self.kind}, {self.status})"

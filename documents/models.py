"""Encrypted documents: one row per stored file, holding its wrapped data key and scan state.

The file itself lives encrypted in storages["documents"]; the row holds what is needed to open it
(key id, wrapped data key, format version), and what is known about it (type detected from the
content, size, virus-scan outcome). The original filename is sealed. No plaintext hash: the
AES-GCM tags already authenticate the content, and a hash in clear would confirm a guessed file.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceDisplayMixin
from core.sealed_fields import SealedBinaryField, open_field_text


class ScanStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the virus scan")
    CLEAN = "clean", _("No virus found")
    INFECTED = "infected", _("Virus found, quarantined")
    FAILED = "failed", _("Virus scan failed")


class Document(ChoiceDisplayMixin, models.Model):
    id = models.UUIDField(_("id"), primary_key=True, default=uuid.uuid4, editable=False)
    # Deleting a user deletes the rows; a blob left behind cannot be opened without its wrapped key.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="documents",
    )
    purpose = models.CharField(_("purpose"), max_length=50)
    original_filename_sealed = SealedBinaryField(_("original filename (encrypted)"))
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    storage_name = models.CharField(_("storage name"), max_length=255, blank=True)
    key_id = models.CharField(_("key-encryption key id"), max_length=32)
    wrapped_data_key = models.BinaryField(_("wrapped data key"))
    format_version = models.PositiveSmallIntegerField(_("format version"))
    scan_status = models.CharField(
        _("scan status"), max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING
    )
    scan_attempts = models.PositiveSmallIntegerField(_("scan attempts"), default=0)
    # When the last scan started (or was re-queued): a pending document whose scan started long ago
    # lost its worker, and the sweeper starts it again.
    scan_started_at = models.DateTimeField(_("scan started at"), null=True, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), null=True, blank=True)
    scanner_name = models.CharField(_("scanner"), max_length=50, blank=True)
    signature_name = models.CharField(_("signature found"), max_length=200, blank=True)
    quarantined_at = models.DateTimeField(_("quarantined at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["scan_status"]),
            models.Index(fields=["key_id"]),
        ]

    def __str__(self) -> str:
        return f"document {self.pk}"

    @property
    def is_servable(self) -> bool:
        """Only files scanned clean are ever served; pending, failed and infected ones never."""
        return self.scan_status == ScanStatus.CLEAN and bool(self.storage_name)

    @property
    def associated_data(self) -> bytes:
        """Binds the file's ciphertext and its data key to this row."""
        return f"documents.Document:{self.pk}".encode()

    @property
    def original_filename(self) -> str:
        return open_field_text(self, "original_filename_sealed")

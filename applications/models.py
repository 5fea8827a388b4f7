"""Permit types (data, not code), applications and their cases, the timeline and attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from applications.schema import localized, schema_problems
from core.choices import ChoiceDisplayMixin
from core.sealed_fields import SealedBinaryField, open_field_json, seal_field_json


class PermitType(models.Model):
    """One kind of application; its questions and attachments live in `schema` (JSON)."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200)
    name_en = models.CharField(_("name in English"), max_length=200)
    description = models.JSONField(_("description"), default=dict, blank=True)
    schema = models.JSONField(_("schema"))
    fee_amount = models.DecimalField(_("fee"), max_digits=8, decimal_places=2)
    fee_currency = models.CharField(_("fee currency"), max_length=3, default="EUR")
    target_processing_days = models.PositiveIntegerField(_("target processing time in days"))
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    position = models.PositiveIntegerField(_("position in lists"), default=100)
    # The hash of the source file, so that reloading an unchanged file changes nothing.
    source_hash = models.CharField(_("source hash"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("permit type")
        verbose_name_plural = _("permit types")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.code

    def clean(self):
        super().clean()
        problems = schema_problems(self.schema)
        if problems:
            raise ValidationError({"schema": problems})

    def name(self, language: str | None = None) -> str:
        return localized({"fi": self.name_fi, "sv": self.name_sv, "en": self.name_en}, language)

    @property
    def localized_name(self) -> str:
        return self.name()

    @property
    def localized_description(self) -> str:
        return localized(self.description)


class Status(models.TextChoices):
    """The whole life of an application; transitions happen only in services."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_PROCESSING = "in_processing", _("In processing")
    WAITING_FOR_SUPPLEMENT = "waiting_for_supplement", _("Waiting for supplementary information")
    DECIDED = "decided", _("Decided")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(ChoiceDisplayMixin, models.Model):
    """An applicant's application: a draft until submitted, then a case with a case number."""

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    permit_type = models.ForeignKey(
        PermitType, verbose_name=_("permit type"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    case_number = models.CharField(
        _("case number"), max_length=40, unique=True, null=True, blank=True
    )
    # Answers sealed with AES-256-GCM, bound to this row: {field key: value}.
    answers_sealed = SealedBinaryField(
        _("answers (encrypted)"), default=b"", blank=True, editable=False
    )
    # Frozen at submission: the answers and the schema they answered, so later edits of the permit
    # type never change what the applicant sent.
    submitted_answers_sealed = SealedBinaryField(
        _("submitted answers (encrypted)"), null=True, blank=True, editable=False
    )
    submitted_schema = models.JSONField(
        _("schema at submission"), null=True, blank=True, editable=False
    )
    submitted_schema_version = models.PositiveIntegerField(
        _("schema version at submission"), null=True, blank=True, editable=False
    )
    submitted_language = models.CharField(_("language at submission"), max_length=5, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    declaration_confirmed_at = models.DateTimeField(
        _("declaration confirmed at"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["applicant", "status"])]
        constraints = [
            # A case number exactly when the application has left the draft state.
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(case_number__isnull=True))
                | (~Q(status="draft") & Q(case_number__isnull=False)),
                name="applications_case_number_iff_submitted",
            )
        ]

    def __str__(self) -> str:
        # Never personal data: str() ends up in logs.
        return self.case_number or f"application #{self.pk}"

    @property
    def answers(self) -> dict[str, Any]:
        if not self.answers_sealed:
            return {}
        return open_field_json(self, "answers_sealed")

    def set_answers(self, answers: dict[str, Any]) -> None:
        seal_field_json(self, "answers_sealed", answers)

    @property
    def submitted_answers(self) -> dict[str, Any]:
        if not self.submitted_answers_sealed:
            return {}
        return open_field_json(self, "submitted_answers_sealed")

    @property
    def is_draft(self) -> bool:
        return self.status == Status.DRAFT

    @property
    def schema(self) -> dict:
        """The schema that applies: the frozen one once submitted, the permit type's before."""
        return (
            self.submitted_schema if self.submitted_schema is not None else self.permit_type.schema
        )


class CaseEventKind(models.TextChoices):
    """What can happen in a case's life; the label is what the timeline shows."""

    CREATED = "created", _("Application started")
    SUBMITTED = "submitted", _("Application submitted")
    ATTACHMENT_ADDED = "attachment_added", _("Attachment added")
    PROCESSING_STARTED = "processing_started", _("Processing started")
    SUPPLEMENT_REQUESTED = "supplement_requested", _("Supplementary information requested")
    SUPPLEMENT_RECEIVED = "supplement_received", _("Supplementary information received")
    ADDITIONAL_INFORMATION_RECEIVED = (
        "additional_information_received",
        _("Additional information received"),
    )
    DECIDED = "decided", _("Decision made")
    CLOSED = "closed", _("Case closed")
    WITHDRAWN = "withdrawn", _("Application withdrawn")


def _ids_and_codes_only(details: Any) -> None:
    if not isinstance(details, dict):
        raise ValidationError(_("Event details must be an object."))
    for value in details.values():
        if isinstance(value, str) and len(value) > 64:
            raise ValidationError(_("Event details hold ids and short codes only."))
        if not isinstance(value, str | int | float | bool | type(None)):
            raise ValidationError(_("Event details hold ids and short codes only."))


class CaseEvent(ChoiceDisplayMixin, models.Model):
    """One entry of a case's timeline. Details hold ids and codes only, never personal data."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=40, choices=CaseEventKind.choices)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    details = models.JSONField(
        _("details"), default=dict, blank=True, validators=[_ids_and_codes_only]
    )

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.application_id}"


class AddedDuring(models.TextChoices):
    DRAFT = "draft", _("With the application")
    SUPPLEMENT = "supplement", _("As supplementary information")
    ADDITIONAL = "additional", _("As additional information")


class Attachment(ChoiceDisplayMixin, models.Model):
    """A document attached to an application, as one of the kinds its schema asks for."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    # PROTECT: a case's evidence never disappears because its file row was deleted elsewhere.
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("document"),
        on_delete=models.PROTECT,
        related_name="application_attachment",
    )
    kind = models.CharField(_("kind of attachment"), max_length=64)
    added_at = models.DateTimeField(_("added at"), default=timezone.now)
    added_during = models.CharField(
        _("added during"), max_length=20, choices=AddedDuring.choices, default=AddedDuring.DRAFT
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["added_at", "id"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self) -> str:
        return f"attachment #{self.pk} ({self.kind})"


class CaseNumberCounter(models.Model):
    """The last case number given out in a year; its row is locked while the next one is taken."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("case number counter")
        verbose_name_plural = _("case number counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

"""The back office's tables: units and caseworkers' scopes, the case file (assignee, clock, flags),
internal notes, requests for supplementary information, additional information and decisions."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.sealed_fields import SealedBinaryField, open_field_text


class Unit(models.Model):
    """A team of caseworkers; it handles the cases of its permit types."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=200)
    permit_types = models.ManyToManyField(
        "applications.PermitType",
        verbose_name=_("permit types"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.code


class CaseworkerScope(models.Model):
    """One line of what a caseworker may see: a whole unit or one permit type."""

    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("caseworker"),
        on_delete=models.CASCADE,
        related_name="casework_scopes",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.CASCADE
    )
    permit_type = models.ForeignKey(
        "applications.PermitType",
        verbose_name=_("permit type"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        verbose_name = _("caseworker scope")
        verbose_name_plural = _("caseworker scopes")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(permit_type__isnull=False),
                name="casework_scope_names_a_unit_or_a_permit_type",
            )
        ]

    def __str__(self) -> str:
        return f"scope #{self.pk} of user #{self.caseworker_id}"


class CaseFile(models.Model):
    """The back office's side of a submitted application: who handles it, its clock, its flags.

    Created the first time the back office or the applicant acts on a submitted case."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="case_file",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_case_files",
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    # The processing clock: it runs from submission, pauses while the case waits for the applicant.
    paused_since = models.DateTimeField(_("clock paused since"), null=True, blank=True)
    paused_total = models.DurationField(_("time paused in total"), default=timedelta)
    clock_stopped_at = models.DateTimeField(_("clock stopped at"), null=True, blank=True)
    # A case that came back from the applicant is "in processing again".
    processing_rounds = models.PositiveSmallIntegerField(_("processing rounds"), default=0)
    supplement_answered = models.BooleanField(
        _("supplementary information answered"), default=False
    )
    new_information = models.BooleanField(_("new information from the applicant"), default=False)

    class Meta:
        verbose_name = _("case file")
        verbose_name_plural = _("case files")
        indexes = [models.Index(fields=["assignee"])]

    def __str__(self) -> str:
        return f"case file #{self.pk} of application #{self.application_id}"

    def time_used(self, now=None) -> timedelta:
        """Time on the clock: from submission to now (or the stop), less the pauses."""
        now = self.clock_stopped_at or now or timezone.now()
        submitted_at = self.application.submitted_at or now
        paused = self.paused_total
        if self.paused_since is not None:
            paused += now - self.paused_since
        return max(now - submitted_at - paused, timedelta(0))

    @property
    def days_used(self) -> int:
        return self.time_used().days

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None

    @property
    def is_in_processing_again(self) -> bool:
        return self.processing_rounds > 1


class SealedTextEntry(models.Model):
    """A text on a case, sealed at rest and bound to its own row (a moved ciphertext fails)."""

    text_sealed = SealedBinaryField(_("text (encrypted)"), default=b"", blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def text(self) -> str:
        if not self.text_sealed:
            return ""
        return open_field_text(self, "text_sealed")


class InternalNote(SealedTextEntry):
    """A caseworker's note on a case; the applicant never sees it. The text is sealed at rest."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="internal_notes",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta(SealedTextEntry.Meta):
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"internal note #{self.pk}"


class SupplementRequest(models.Model):
    """What the caseworker asks the applicant to add, by a deadline; at most one open per case."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="supplement_requests",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    message_sealed = SealedBinaryField(
        _("what is missing (encrypted)"), default=b"", blank=True, editable=False
    )
    requested_kinds = models.JSONField(_("requested kinds of attachment"), default=list, blank=True)
    deadline = models.DateField(_("deadline"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    answer_sealed = SealedBinaryField(
        _("answer (encrypted)"), null=True, blank=True, editable=False
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_late = models.BooleanField(_("answered after the deadline"), default=False)
    # Set when the request is answered, or ended without an answer (processing resumed, withdrawn).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("request for supplementary information")
        verbose_name_plural = _("requests for supplementary information")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(closed_at__isnull=True),
                name="casework_one_open_supplement_request_per_case",
            )
        ]
        indexes = [models.Index(fields=["deadline", "closed_at"])]

    def __str__(self) -> str:
        return f"supplement request #{self.pk}"

    @property
    def message(self) -> str:
        return open_field_text(self, "message_sealed")

    @property
    def answer(self) -> str:
        if not self.answer_sealed:
            return ""
        return open_field_text(self, "answer_sealed")

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


class AdditionalInformation(SealedTextEntry):
    """Text the applicant added on their own initiative to a submitted case (attachments apart)."""

    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="additional_information",
    )

    class Meta(SealedTextEntry.Meta):
        verbose_name = _("additional information")
        verbose_name_plural = _("additional information")

    def __str__(self) -> str:
        return f"additional information #{self.pk}"


class Outcome(models.TextChoices):
    POSITIVE = "positive", _("Positive")
    NEGATIVE = "negative", _("Negative")


class Decision(models.Model):
    """The decision of a case, with its PDF stored encrypted as the applicant's document."""

    application = models.OneToOneField(
        "applications.Application",
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="decision",
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    # Sealed before the row is inserted, so bound to the case (one decision a case) rather than pk.
    reasoning_sealed = SealedBinaryField(
        _("reasoning (encrypted)"),
        default=b"",
        blank=True,
        editable=False,
        bound_to="application",
    )
    document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("decision document"),
        on_delete=models.PROTECT,
        related_name="decision",
    )
    language = models.CharField(_("language"), max_length=5)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)
    # The signature of the decision as the law wants it: who decided, in what office.
    decision_maker_name = models.CharField(_("decision-maker's name"), max_length=200, blank=True)
    decision_maker_title = models.CharField(_("decision-maker's title"), max_length=200, blank=True)
    # The last day a granted permit is valid; empty for a refusal.
    valid_until = models.DateField(_("permit valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"decision #{self.pk} ({self.outcome})"

    @property
    def reasoning(self) -> str:
        return open_field_text(self, "reasoning_sealed")

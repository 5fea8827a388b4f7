"""The trust center's tables: official channels, verification codes, scam reports and campaigns."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from core.sealed_fields import SealedBinaryField


class ChannelKind(models.TextChoices):
    WEB_DOMAIN = "web_domain", _("Web domain")
    EMAIL_DOMAIN = "email_domain", _("Email sender domain")
    SOCIAL_ACCOUNT = "social_account", _("Social media account")
    PHONE_NUMBER = "phone_number", _("Phone number")
    SMS_SENDER = "sms_sender", _("SMS sender name")


class OfficialChannel(models.Model):
    """One official way the authority reaches people; the check engine is built from these rows."""

    kind = models.CharField(_("kind"), max_length=20, choices=ChannelKind.choices)
    value = models.CharField(
        _("value"),
        max_length=253,
        help_text=_(
            "A domain (example.fi), a handle without @, a phone number in +358… form, "
            "or an SMS sender name."
        ),
    )
    platform = models.CharField(
        _("platform"),
        max_length=40,
        blank=True,
        help_text=_("For social media accounts: facebook, x, instagram…"),
    )
    url = models.URLField(_("address of the page"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    notes = models.CharField(_("notes"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("official channel")
        verbose_name_plural = _("official channels")
        ordering = ["kind", "platform", "value"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "platform", "value"], name="trust_channel_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.platform}:{self.value}" if self.platform else self.value

    def clean(self):
        if self.kind == ChannelKind.SOCIAL_ACCOUNT and not self.platform:
            raise ValidationError({"platform": _("Name the platform of a social media account.")})
        if self.kind != ChannelKind.SOCIAL_ACCOUNT and self.platform:
            raise ValidationError({"platform": _("Only social media accounts have a platform.")})


# The official languages first: a text missing in the reader's language is shown in the first of
# these that has it, marked as such (LocalisedText.is_fallback), never passed off as the reader's.
TEXT_LANGUAGES = ("fi", "sv", "en")
# Publishing needs these; English is optional.
REQUIRED_TEXT_LANGUAGES = ("fi", "sv")


@dataclass(frozen=True)
class LocalisedText:
    """A text with the language it is written in; `requested` is the reader's language."""

    text: str
    language: str
    requested: str

    def __str__(self) -> str:
        return self.text

    @property
    def is_fallback(self) -> bool:
        return self.language != self.requested

    @property
    def language_name(self) -> str:
        """The text's language, named in the active language ("Finnish", "finska")."""
        return str(get_language_info(self.language)["name_translated"])


class LocalisedTexts:
    """The title and summary in each language: strictly (title("sv") is the Swedish title or ""),
    or for display (localised("title")), which says when it is another language's text."""

    def text_in(self, prefix: str, language: str) -> str:
        return getattr(self, f"{prefix}_{language}", "") if language in TEXT_LANGUAGES else ""

    def localised(self, prefix: str, language: str | None = None) -> LocalisedText | None:
        requested = (language or get_language() or "en")[:2]
        for code in (requested, *TEXT_LANGUAGES):
            value = self.text_in(prefix, code)
            if value:
                return LocalisedText(text=value, language=code, requested=requested)
        return None

    def title(self, language: str | None = None) -> str:
        return self.text_in("title", (language or get_language() or "en")[:2])

    def summary(self, language: str | None = None) -> str:
        return self.text_in("summary", (language or get_language() or "en")[:2])

    def localised_title(self) -> LocalisedText | None:
        return self.localised("title")

    def missing_required_texts(self) -> list[str]:
        """The names of the fields publishing needs and this row lacks (title_sv, ...)."""
        return [
            f"{prefix}_{language}"
            for prefix in ("title", "summary")
            for language in REQUIRED_TEXT_LANGUAGES
            if not self.text_in(prefix, language).strip()
        ]


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Campaign(LocalisedTexts, models.Model):
    """Reports of the same scam, grouped. The texts here are the security team's working copy; the
    public sees only what was published (PublishedWarning), as long as the status is published."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    title_fi = models.CharField(_("title in Finnish"), max_length=200, blank=True)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_fi = models.TextField(_("warning text in Finnish"), blank=True)
    summary_sv = models.TextField(_("warning text in Swedish"), blank=True)
    summary_en = models.TextField(_("warning text in English"), blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    report_count = models.PositiveIntegerField(_("number of reports"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-last_seen", "-id"]

    def __str__(self) -> str:
        return str(self.localised("title") or self.public_id)

    @property
    def is_published(self) -> bool:
        return self.status == CampaignStatus.PUBLISHED


class ReportSource(models.TextChoices):
    WEB = "web", _("Report page")
    CHECK = "check", _("Check page")
    EMAIL = "email", _("Forwarded by email")


class ReportChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    SOCIAL = "social", _("Social media")
    URL = "url", _("Web address")


class ContentKind(models.TextChoices):
    EML = "eml", _("Email message (.eml)")
    TEXT = "text", _("Text")


class ScamReport(models.Model):
    """A message someone reported. Its content, the engine's full result and the reporter's address
    are sealed (core.sealed_fields) to this row; the indicators are the scammer's, not the reporter's."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True, db_index=True)
    source = models.CharField(_("source"), max_length=20, choices=ReportSource.choices)
    channel = models.CharField(_("channel"), max_length=20, choices=ReportChannel.choices)
    content_kind = models.CharField(_("content kind"), max_length=10, choices=ContentKind.choices)
    # Sealed before the row is inserted, so bound to the public id (set at creation) rather than pk.
    content_sealed = SealedBinaryField(_("content (encrypted)"), bound_to="public_id")
    result_sealed = SealedBinaryField(_("check result (encrypted)"), bound_to="public_id")
    reporter_address_sealed = SealedBinaryField(
        _("reporter's address (encrypted)"), null=True, blank=True, bound_to="public_id"
    )
    reporter_language = models.CharField(_("reporter's language"), max_length=10, blank=True)
    verdict = models.CharField(_("verdict"), max_length=20)
    finding_codes = models.JSONField(_("finding codes"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    minhash = models.BinaryField(_("MinHash signature"), null=True, blank=True)
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    grouped_at = models.DateTimeField(_("grouped"), null=True, blank=True)
    reporter_notified_at = models.DateTimeField(_("reporter notified"), null=True, blank=True)
    # Keyed digests (trust.personal) of the people's own addresses and numbers in this report: the
    # reporter, the recipients, forwarded headers and signatures. None for reports stored before
    # they were kept (trust.selectors computes those from the sealed content when needed).
    personal_digests = models.JSONField(
        _("digests of personal addresses and numbers"), null=True, blank=True
    )

    class Meta:
        verbose_name = _("scam report")
        verbose_name_plural = _("scam reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return str(self.public_id)

    @property
    def has_reporter_address(self) -> bool:
        return bool(self.reporter_address_sealed)


class IndicatorKind(models.TextChoices):
    DOMAIN = "domain", _("Domain")
    URL = "url", _("Web address")
    EMAIL_ADDRESS = "email_address", _("Email address")
    PHONE_NUMBER = "phone_number", _("Phone number")


class ReportIndicator(models.Model):
    """One indicator of one report, as a row so that reports sharing it are found by an index."""

    report = models.ForeignKey(
        ScamReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="indicator_rows",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=IndicatorKind.choices)
    value = models.CharField(_("value"), max_length=1000)

    class Meta:
        verbose_name = _("report indicator")
        verbose_name_plural = _("report indicators")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "value"], name="trust_indicator_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "value"], name="trust_indicator_value_idx")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"


class PublishedWarning(LocalisedTexts, models.Model):
    """One publication of a campaign's warning, as the security team reviewed it: the texts, the
    indicators they chose and the campaign's figures at that moment. Never changed afterwards; the
    public pages show a published campaign's latest row, so reports that join later change nothing
    public until the team publishes again."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="published_warnings",
    )
    title_fi = models.CharField(_("title in Finnish"), max_length=200, blank=True)
    title_sv = models.CharField(_("title in Swedish"), max_length=200, blank=True)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary_fi = models.TextField(_("warning text in Finnish"), blank=True)
    summary_sv = models.TextField(_("warning text in Swedish"), blank=True)
    summary_en = models.TextField(_("warning text in English"), blank=True)
    # [{"kind": "domain" | "url" | "email_address" | "phone_number", "value": "..."}]
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"))
    report_count = models.PositiveIntegerField(_("number of reports"), default=0)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published warning")
        verbose_name_plural = _("published warnings")
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(
                fields=["campaign", "-published_at", "-id"], name="trust_warning_latest_idx"
            )
        ]

    def __str__(self) -> str:
        return str(self.localised("title") or self.campaign_id)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("A published warning is never changed; publish a new one.")
        super().save(*args, **kwargs)

    @property
    def public_id(self):
        # The public address of a warning is its campaign's: it stays the same when republished.
        return self.campaign.public_id

    def values(self, kind: str) -> list[str]:
        return [item["value"] for item in self.indicators if item.get("kind") == kind]

    @property
    def domains(self) -> list[str]:
        return self.values(IndicatorKind.DOMAIN)

    @property
    def urls(self) -> list[str]:
        return self.values(IndicatorKind.URL)

    @property
    def email_addresses(self) -> list[str]:
        return self.values(IndicatorKind.EMAIL_ADDRESS)

    @property
    def phone_numbers(self) -> list[str]:
        return self.values(IndicatorKind.PHONE_NUMBER)


class ReporterNotificationOutcome(models.TextChoices):
    SENT = "sent", _("Sent")
    OVER_DAILY_LIMIT = "over_daily_limit", _("Not sent: the address's daily limit was reached")


class ReporterNotification(models.Model):
    """That one reporter address was told about one campaign: at most one row, so at most one
    email, per address and campaign. The address is kept only as an HMAC keyed per campaign, so
    rows of different campaigns cannot be linked to one person."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="reporter_notifications",
    )
    address_digest = models.CharField(_("address digest"), max_length=64)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=ReporterNotificationOutcome.choices
    )
    # Indexed: the retention job deletes these by age.
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("reporter notification")
        verbose_name_plural = _("reporter notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "address_digest"], name="trust_reporter_notification_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.outcome}"

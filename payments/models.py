"""Fees (data, editable by administrators), payments and their provider events.

Payments names the application only by a lazy foreign key ("applications.Application"): the
applications app asks payments.selectors and calls payments.services, so payments never imports
applications (no import cycle).
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.choices import ChoiceDisplayMixin


class Channel(models.TextChoices):
    ELECTRONIC = "electronic", _("Electronic application")
    PAPER = "paper", _("Paper application")


class FeeCondition(models.TextChoices):
    """When a fee row applies; a conditional row is a reduction or an exemption (amount 0)."""

    EVERYONE = "", _("Everyone")
    MINOR = "minor", _("Applicant under 18 years of age")


class Fee(models.Model):
    """The processing fee of one permit type and channel for a period (both days included)."""

    permit_type = models.ForeignKey(
        "applications.PermitType",
        verbose_name=_("permit type"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("channel"), max_length=16, choices=Channel.choices, default=Channel.ELECTRONIC
    )
    condition = models.CharField(
        _("applies to"), max_length=32, choices=FeeCondition.choices, blank=True, default=""
    )
    amount_cents = models.PositiveIntegerField(
        _("amount in cents"), help_text=_("0 means no fee (an exemption).")
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(
        _("valid until"),
        null=True,
        blank=True,
        help_text=_("The last day; empty: until further notice."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("fee")
        verbose_name_plural = _("fees")
        ordering = ["permit_type", "channel", "condition", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["permit_type", "channel", "condition", "valid_from"],
                name="payments_fee_one_start_per_rule",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="payments_fee_period_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.permit_type_id}/{self.channel}/{self.condition or '-'} {self.valid_from}"

    def clean(self):
        super().clean()
        self.currency = (self.currency or "").upper()
        if len(self.currency) != 3 or not self.currency.isalpha():
            raise ValidationError({"currency": _("Enter a three-letter currency code, e.g. EUR.")})
        if self.valid_to is not None and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The period must end on or after its start.")})
        if self.permit_type_id is None or not self.valid_from:
            return
        # Two rows of one rule must not both be in force on a day: which price applies would be
        # a guess. (An exclusion constraint would need btree_gist on PostgreSQL and nothing on
        # SQLite; the admin and the services both call full_clean.)
        overlapping = Fee.objects.filter(
            permit_type_id=self.permit_type_id, channel=self.channel, condition=self.condition
        ).exclude(pk=self.pk)
        if self.valid_to is not None:
            overlapping = overlapping.filter(valid_from__lte=self.valid_to)
        overlapping = overlapping.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
        )
        if overlapping.exists():
            raise ValidationError(
                _("Another fee of this permit type, channel and group is in force in this period.")
            )

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_cents) / 100

    def is_in_force_on(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)


class PaymentStatus(models.TextChoices):
    STARTED = "started", _("Started")
    PENDING = "pending", _("Waiting for the payment service")
    PAID = "paid", _("Paid")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    REFUNDED = "refunded", _("Refunded")


# An attempt that may still change: the applicant may be paying it right now.
OPEN_STATUSES = (PaymentStatus.STARTED, PaymentStatus.PENDING)


class Payment(ChoiceDisplayMixin, models.Model):
    """One attempt to pay the fee of one application; a restart is a new attempt (a new stamp)."""

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(
        "applications.Application",
        verbose_name=_("application"),
        # Payments are accounting records: an application with payments cannot be deleted.
        on_delete=models.PROTECT,
        related_name="+",
    )
    payer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("payer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    fee = models.ForeignKey(
        Fee, verbose_name=_("fee"), on_delete=models.PROTECT, related_name="+", null=True
    )
    amount_cents = models.PositiveIntegerField(
        _("amount in cents"), validators=[MinValueValidator(1)]
    )
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PaymentStatus.choices,
        default=PaymentStatus.STARTED,
        db_index=True,
    )
    provider = models.CharField(_("payment service"), max_length=32)
    # Ours, sent to the provider, unique per attempt: a restart never reuses one.
    stamp = models.CharField(_("stamp"), max_length=64, unique=True, editable=False)
    # The provider's id of the transaction (Paytrail's transactionId), known once it is created.
    provider_reference = models.CharField(_("provider's reference"), max_length=64, blank=True)
    # Where the applicant pays, kept so that an interrupted attempt can be resumed: the
    # provider's https address, or a path of ours for the embedded test provider.
    provider_url = models.CharField(_("payment page address"), max_length=2000, blank=True)
    reference_number = models.CharField(
        _("reference number"), max_length=20, unique=True, null=True, blank=True
    )
    creditor_reference = models.CharField(
        _("RF creditor reference"), max_length=25, unique=True, null=True, blank=True
    )
    language = models.CharField(_("language"), max_length=5, default="fi")
    # A success arrived for an application that another attempt had already paid: the money was
    # taken twice and must be refunded (the second cannot be "paid": one paid payment each).
    needs_refund = models.BooleanField(_("needs a refund"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # When the part that asked for the payment (the application) was told it is paid: in the
    # background task that the paid transaction queued (payments.services.hand_over), so that
    # the provider's return and callback answer without submitting the application themselves.
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "updated_at"])]
        constraints = [
            # However callbacks race, one application is paid at most once.
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="paid"),
                name="payments_one_paid_payment_per_application",
            ),
            models.CheckConstraint(
                condition=Q(amount_cents__gt=0), name="payments_amount_is_positive"
            ),
        ]

    def __str__(self) -> str:
        # Never personal data: str() ends up in logs.
        return f"payment {self.public_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def price_is_current(self) -> bool:
        """Whether this attempt's price is still the one in force today. The price on the day
        of payment applies: after a fee change, an attempt at the old price is paid again at the
        new one rather than continued. (An attempt without its fee row cannot tell: it is.)"""
        fee = self.fee
        return fee is None or (
            fee.is_in_force_on(timezone.localdate())
            and fee.amount_cents == self.amount_cents
            and fee.currency == self.currency
        )

    @property
    def application_is_paid_otherwise(self) -> bool:
        """Another attempt of the same application is confirmed: this one must not be paid too."""
        return (
            Payment.objects.filter(application_id=self.application_id, status=PaymentStatus.PAID)
            .exclude(pk=self.pk)
            .exists()
        )

    @property
    def is_resumable(self) -> bool:
        """Whether its owner may continue paying it at the provider's page: never a second
        payment for an application already paid (an attempt left open in another tab)."""
        return (
            self.status == PaymentStatus.PENDING
            and bool(self.provider_url)
            and self.price_is_current
            and not self.application_is_paid_otherwise
        )

    @property
    def amount(self) -> Decimal:
        return Decimal(self.amount_cents) / 100


class EventSource(models.TextChoices):
    CREATED = "created", _("Created at the payment service")
    REDIRECT = "redirect", _("Return of the browser")
    CALLBACK = "callback", _("Server-to-server callback")
    STATUS_QUERY = "status_query", _("Status asked by reconciliation")
    APPLICANT = "applicant", _("Applicant's action")
    ADMINISTRATOR = "administrator", _("Administrator's action")


class PaymentEvent(models.Model):
    """Every message about a payment, valid or not; never changed or deleted (append-only).

    Holds ids and codes only: the checkout-* parameters carry no card or bank data, and what
    they carry is kept as codes (status, provider, stamp)."""

    payment = models.ForeignKey(
        Payment,
        verbose_name=_("payment"),
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
    )
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    source = models.CharField(_("source"), max_length=16, choices=EventSource.choices)
    provider = models.CharField(_("payment service"), max_length=32, blank=True)
    signature_valid = models.BooleanField(_("signature valid"), null=True)
    provider_status = models.CharField(
        _("status at the payment service"), max_length=16, blank=True
    )
    status_before = models.CharField(_("status before"), max_length=16, blank=True)
    status_after = models.CharField(_("status after"), max_length=16, blank=True)
    changed = models.BooleanField(_("changed the payment"), default=False)
    note = models.CharField(_("note"), max_length=64, blank=True)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("payment event")
        verbose_name_plural = _("payment events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.source} {self.provider_status} {self.status_before}->{self.status_after}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PaymentEventAppendOnlyError("payment events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PaymentEventAppendOnlyError("payment events cannot be deleted")


class PaymentEventAppendOnlyError(Exception):
    pass

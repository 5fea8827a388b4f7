"""The administrators' fee form: euros typed as people write them, stored in cents."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import LocalizedDecimalField
from payments.models import Fee
from payments.services.refunds import RefundMethod, RefundReason


class FeeForm(forms.ModelForm):
    amount = LocalizedDecimalField(
        label=_("Amount in euros"),
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        # "1 480,00" in Finnish and Swedish, "1,480.00" in English (core.numbers).
        help_text=_("0 means no fee (an exemption)."),
    )

    class Meta:
        model = Fee
        fields = ["permit_type", "channel", "condition", "valid_from", "valid_to"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}),
            "valid_to": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["amount"].initial = Decimal(self.instance.amount_cents) / 100
            # A row names its permit type for good: payments and the accounting report point to
            # it. Another type's price is a row of its own.
            self.fields["permit_type"].disabled = True

    def clean(self):
        cleaned = super().clean()
        amount = cleaned.get("amount")
        if amount is not None:
            self.instance.amount_cents = int(amount * 100)
        return cleaned

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["amount_cents"] = int(self.cleaned_data["amount"] * 100)
        if self.instance.pk:
            del data["permit_type"]
        return data


class RefundForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefundReason.choices)
    method = forms.ChoiceField(
        label=_("How the refund is made"),
        choices=RefundMethod.choices,
        initial=RefundMethod.PROVIDER,
        widget=forms.RadioSelect,
    )


class ReportForm(forms.Form):
    date = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))

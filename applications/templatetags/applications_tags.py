"""Template helpers for applications: fees in the language's number format, texts kept in data."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language

from applications.schema import localized as localized_text

register = template.Library()

CURRENCY_SYMBOLS = {"EUR": "€"}


@register.simple_tag
def money(amount: Decimal, currency: str = "EUR") -> str:
    """480,00 € in Finnish and Swedish, €480.00 in English (no-break spaces keep it on one line)."""
    number = number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if (get_language() or "en")[:2] == "en":
        return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol}\u00a0{number}"
    return f"{number}\u00a0{symbol}"


@register.simple_tag
def money_cents(amount_cents: int, currency: str = "EUR") -> str:
    """An amount kept in cents (the fee table), formatted as `money`."""
    return money(Decimal(amount_cents) / 100, currency)


@register.filter
def localized(texts) -> str:
    """A {fi, sv, en} text from a permit type's data, in the active language."""
    return localized_text(texts)

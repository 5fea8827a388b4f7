"""Money and dates for receipts in the reader's language.

Babel is not in the lock file (the brief asked for it), so this uses Django's own locale formats
(fi, sv, en are in Django's conf/locale) under translation.override: the same result for these
three languages, "1 234,50 €" in Finnish and Swedish and "€1,234.50" in English.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import formats, timezone, translation

CURRENCY_SYMBOLS = {"EUR": "€"}


def format_money(amount_cents: int, currency: str = "EUR", *, language: str) -> str:
    amount = Decimal(amount_cents) / 100
    with translation.override(language):
        number = formats.number_format(amount, decimal_pos=2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    # No-break spaces keep an amount on one line.
    number = number.replace(" ", "\u00a0")
    if language[:2] == "en":
        return f"{symbol}{number}" if len(symbol) == 1 else f"{symbol}\u00a0{number}"
    return f"{number}\u00a0{symbol}"


def format_datetime(value: datetime.datetime | None, *, language: str) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    with translation.override(language):
        return f"{formats.date_format(local, 'DATE_FORMAT')} {formats.time_format(local, 'TIME_FORMAT')}"

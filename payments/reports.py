"""The daily report of payments for accounting, as CSV.

One row per money movement on the day (Helsinki time): a confirmed payment, a success that could
not count (money taken, to be refunded) and a refund (negative). Accounting matches them with the
provider's settlements by reference number and the provider's transaction id; the report names
no person: no payer, e-mail address or case number (which would lead to one)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

from django.utils import timezone

from payments.selectors import (
    REFUND_NOTES,
    SUCCESS_NOTES,
    payment_events_between,
    payment_had_success_before,
)

COLUMNS = (
    "date_time",
    "entry",
    "amount",
    "currency",
    "reference_number",
    "creditor_reference",
    "payment_service",
    "service_transaction_id",
    "permit_type",
    "channel",
    "payment_id",
)
ENTRIES = {
    "paid": "payment",
    "paid_twice": "payment_to_refund",
    "success_after_final": "payment_to_refund",
}


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def _amount(cents: int) -> str:
    return f"{Decimal(cents) / 100:.2f}"


def daily_report_rows(*, day: datetime.date) -> list[dict[str, str]]:
    start, end = _day_bounds(day)
    rows = []
    seen_success: set[int] = set()
    for event in payment_events_between(start=start, end=end, notes=SUCCESS_NOTES + REFUND_NOTES):
        payment = event.payment
        if event.note in SUCCESS_NOTES:
            # A success repeated by later callbacks is one movement of money, on its first day.
            if payment.pk in seen_success or (
                event.note != "paid"
                and payment_had_success_before(payment_id=payment.pk, before=event.at)
            ):
                continue
            seen_success.add(payment.pk)
            entry, cents = ENTRIES[event.note], payment.amount_cents
        else:
            entry, cents = "refund", -payment.amount_cents
        fee = payment.fee
        rows.append(
            {
                "date_time": timezone.localtime(event.at).isoformat(timespec="seconds"),
                "entry": entry,
                "amount": _amount(cents),
                "currency": payment.currency,
                "reference_number": payment.reference_number or "",
                "creditor_reference": payment.creditor_reference or "",
                "payment_service": payment.provider,
                "service_transaction_id": payment.provider_reference,
                "permit_type": fee.permit_type.code if fee else "",
                "channel": fee.channel if fee else "",
                "payment_id": str(payment.public_id),
            }
        )
    return rows


def _cell(name: str, value: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; only amounts may be negative.
    if name != "amount" and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def daily_report_csv(*, day: datetime.date) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in daily_report_rows(day=day):
        writer.writerow({name: _cell(name, value) for name, value in row.items()})
    return buffer.getvalue()

"""How payments tells the part that asked for a payment that it is paid, without importing it.

The applications app registers a handler in its AppConfig.ready():

    paid_handlers.register("applications", lambda: application_submit_paid)

A handler receives a PaymentConfirmation. It runs inside the transaction that marks the payment
paid, and only in the one request, callback or job whose UPDATE changed the row: so it runs
exactly once per payment however many callbacks arrive; if it raises, the payment stays unpaid
and the next callback or the reconciliation job tries again (nothing half-done).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.registry import Registry


@dataclass(frozen=True)
class PaymentConfirmation:
    public_id: uuid.UUID
    application_id: int
    payer_id: int
    amount_cents: int
    currency: str
    provider: str
    paid_at: datetime.datetime


PaidHandler = Callable[[PaymentConfirmation], None]

# Factories returning the handler (the core registry builds plugins by calling their factory).
paid_handlers: Registry[PaidHandler] = Registry("payment paid handler")


def notify_paid(confirmation: PaymentConfirmation) -> None:
    for name in paid_handlers:
        paid_handlers.get(name)(confirmation)

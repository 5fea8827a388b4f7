"""How payments tells the part that asked for a payment that it is paid, without importing it.

The applications app registers a handler in its AppConfig.ready():

    paid_handlers.register("applications", lambda: application_submit_paid)

A handler receives a PaymentConfirmation. It runs in the background task that the one request,
callback or job whose UPDATE marked the payment paid queued in that transaction
(payments.services.hand_over), inside the task's transaction that also records the hand-over:
so it runs exactly once per payment however many callbacks or task runs arrive. If it raises, its
work is rolled back (nothing half-done), the payment stays paid and not handed over, and the
reconciliation job tries again.
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


# Where the payer's browser goes when it comes back from the provider with the payment paid: the
# part that asked for the payment shows what happens next (the applications app: the case page
# with its confirmation panel). A page answers None when it has nothing to show for the
# application; the payment's own page is the fallback.
PaidPage = Callable[[int], "str | None"]
paid_pages: Registry[PaidPage] = Registry("page after a paid payment")


def page_after_paid(application_id: int) -> str | None:
    for name in paid_pages:
        url = paid_pages.get(name)(application_id)
        if url:
            return url
    return None


def notify_paid(confirmation: PaymentConfirmation) -> None:
    for name in paid_handlers:
        paid_handlers.get(name)(confirmation)

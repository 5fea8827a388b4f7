"""Background work of payments: the reconciliation of open attempts (periodic), telling the
application that its payment is paid, and the embedded provider's server-to-server callback."""

from __future__ import annotations

from django_tasks import task

from core.periodic import periodic


@periodic
@task()
def reconcile_payments() -> int:
    """Periodic: ask the provider about attempts left open (see the service). Idempotent."""
    from payments.services import payments_reconcile

    return payments_reconcile()


@task()
def hand_over_paid_payment(payment_id: int) -> str:
    """Run the paid handlers (the application is submitted) for a payment just marked paid.
    Idempotent: a second run finds it handed over. If it fails, the reconciliation retries."""
    from payments.services import payment_hand_over

    return "handed_over" if payment_hand_over(payment_id=payment_id) else "nothing_to_do"


@task()
def deliver_embedded_callback(params: dict[str, str], kind: str) -> str:
    """The embedded provider's callback, through the very service a real callback reaches."""
    from payments.models import EventSource
    from payments.providers import ReturnKind
    from payments.services import payment_handle_provider_message

    handled = payment_handle_provider_message(
        provider_name="embedded", params=params, kind=ReturnKind(kind), source=EventSource.CALLBACK
    )
    return handled.note

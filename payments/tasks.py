"""Background work of payments: the reconciliation of open attempts (periodic) and the embedded
provider's server-to-server callback."""

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
def deliver_embedded_callback(params: dict[str, str], kind: str) -> str:
    """The embedded provider's callback, through the very service a real callback reaches."""
    from payments.models import EventSource
    from payments.providers import ReturnKind
    from payments.services import payment_handle_provider_message

    handled = payment_handle_provider_message(
        provider_name="embedded", params=params, kind=ReturnKind(kind), source=EventSource.CALLBACK
    )
    return handled.note

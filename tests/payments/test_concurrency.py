"""Callbacks racing each other on PostgreSQL: the paid handler runs once, one payment per
application is paid, and a success racing a failure ends in exactly one final state."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from payments.models import EventSource, Payment, PaymentStatus
from payments.providers import get_provider
from payments.services import payment_handle_provider_message

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this tests; SQLite serialises every write transaction")


def _race(targets) -> list:
    barrier = threading.Barrier(len(targets))
    outcomes: list = [None] * len(targets)

    def run(index, target):
        try:
            barrier.wait()
            outcomes[index] = target()
        except Exception as error:  # the outcome is what the test checks
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _callback(payment, choice):
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice=choice)
    return lambda: payment_handle_provider_message(
        provider_name="embedded", params=params, kind=kind, source=EventSource.CALLBACK
    )


def test_eight_identical_callbacks_at_once_submit_once(start_payment, paid_handler_calls):
    payment = start_payment()
    outcomes = _race([_callback(payment, "success") for _ in range(8)])
    assert [outcome.changed for outcome in outcomes].count(True) == 1, outcomes
    assert len(paid_handler_calls) == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_two_attempts_paid_at_once_give_one_paid_payment_and_one_refund(
    start_payment, paid_handler_calls
):
    first, second = start_payment(), start_payment()
    outcomes = _race([_callback(first, "success"), _callback(second, "success")])
    assert sorted(outcome.note for outcome in outcomes) == ["paid", "paid_twice"], outcomes
    statuses = sorted(Payment.objects.values_list("status", "needs_refund"))
    assert statuses == [(PaymentStatus.PAID, False), (PaymentStatus.PENDING, True)]
    assert len(paid_handler_calls) == 1


def test_a_success_and_a_failure_racing_end_in_exactly_one_final_state(
    start_payment, paid_handler_calls
):
    payment = start_payment()
    outcomes = _race([_callback(payment, "success"), _callback(payment, "failure")])
    assert [outcome.changed for outcome in outcomes].count(True) >= 1, outcomes
    payment.refresh_from_db()
    assert payment.status in (PaymentStatus.PAID, PaymentStatus.FAILED)
    assert len(paid_handler_calls) == (payment.status == PaymentStatus.PAID)

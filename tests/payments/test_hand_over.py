"""The hand-over: the provider's return and callback mark the payment paid and queue the
application's submission in the same transaction; the queued task submits it (with its case
number, notifications and audit records) exactly once, however often it or the safety net runs."""

from __future__ import annotations

import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from applications.models import Application, CaseEvent, CaseEventKind, Status
from audit.models import AuditEvent
from notifications.models import OutboundEmail
from payments.models import EventSource, Payment, PaymentStatus
from payments.providers import get_provider
from payments.services import (
    payment_hand_over,
    payment_handle_provider_message,
    payments_reconcile,
)
from payments.tasks import hand_over_paid_payment
from tests.conftest import sign_in_with_second_factor

WORKER = ["db_worker", "--batch", "--interval", "0", "--no-startup-delay", "--no-reload"]


@pytest.fixture
def database_queue(settings):
    """The production task backend: queued tasks wait in the database for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _hand_over_tasks():
    return DBTaskResult.objects.filter(task_path__endswith="hand_over_paid_payment")


def _return(client, payment, choice="success"):
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice=choice)
    return client.get(f"/payments/return/embedded/{kind.value}/", params)


def _paid_by_callback(payment) -> None:
    """Paid as the provider's callback view pays it: the hand-over only queued."""
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    handled = payment_handle_provider_message(
        provider_name="embedded",
        params=params,
        kind=kind,
        source=EventSource.CALLBACK,
        hand_over_now=False,
    )
    assert handled.note == "paid"


def _submitted_once(application_id: int) -> bool:
    application = Application.objects.get(pk=application_id)
    return (
        application.status != Status.DRAFT
        and bool(application.case_number)
        and CaseEvent.objects.filter(
            application_id=application_id, kind=CaseEventKind.SUBMITTED
        ).count()
        == 1
        and AuditEvent.objects.filter(
            action="application.submitted", object_id=str(application_id)
        ).count()
        == 1
        and OutboundEmail.objects.filter(kind="case.received").count() == 1
    )


@pytest.mark.django_db(transaction=True)
def test_the_return_answers_at_once_and_the_queued_task_submits_the_application_once(
    client, applicant, start_payment, embedded, database_queue
):
    payment = start_payment()
    sign_in_with_second_factor(client, applicant)

    response = _return(client, payment)

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.handed_over_at is None
    assert AuditEvent.objects.filter(action="payments.paid").count() == 1
    # Not sent yet: the payment's page says it is on its way.
    assert Application.objects.get(pk=payment.application_id).status == Status.DRAFT
    assert response.status_code == 302 and response["Location"] == f"/payments/{payment.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Your application is being sent now" in page.content.decode()
    # So does the draft's review page, still reachable in that second (sending again is safe).
    review = client.get(f"/applications/{payment.application_id}/review/")
    assert review.status_code == 200
    assert "Your application is being sent now" in review.content.decode()
    (queued,) = _hand_over_tasks()
    assert queued.args_kwargs["kwargs"] == {"payment_id": payment.pk}

    # The provider's callback repeats the success: nothing more is queued.
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    assert client.get(f"/payments/callback/embedded/{kind.value}/", params).status_code == 200
    assert _hand_over_tasks().count() == 1

    call_command(*WORKER)

    payment.refresh_from_db()
    assert payment.handed_over_at is not None
    assert _submitted_once(payment.application_id)
    # Run again (a retried task, the safety net): nothing is sent twice.
    assert hand_over_paid_payment.call(payment_id=payment.pk) == "nothing_to_do"
    assert payments_reconcile() == 0
    assert _submitted_once(payment.application_id)
    # The browser coming back again now lands on the sent case.
    assert "/cases/" in _return(client, payment)["Location"]


@pytest.mark.django_db(transaction=True)
def test_a_payment_paid_while_its_task_was_lost_is_handed_over_by_reconciliation(
    start_payment, embedded, database_queue
):
    import datetime

    from django.utils import timezone

    payment = start_payment()
    _paid_by_callback(payment)
    _hand_over_tasks().delete()  # the worker that took it died
    payments_reconcile()
    assert Payment.objects.get(pk=payment.pk).handed_over_at is None  # a fresh one waits a bit
    Payment.objects.filter(pk=payment.pk).update(
        paid_at=timezone.now() - datetime.timedelta(minutes=5)
    )

    assert payments_reconcile() == 1

    assert Payment.objects.get(pk=payment.pk).handed_over_at is not None
    assert _submitted_once(payment.application_id)


def test_a_payment_refunded_before_its_hand_over_is_not_handed_over(
    start_payment, embedded, settings, paid_handler_calls
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    payment = start_payment()
    _paid_by_callback(payment)
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUNDED)

    assert payment_hand_over(payment_id=payment.pk) is False
    assert paid_handler_calls == []


@pytest.mark.django_db(transaction=True)
def test_hand_overs_racing_each_other_submit_once(
    start_payment, embedded, paid_handler_calls, settings
):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are what this tests; SQLite serialises every write transaction")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    payment = start_payment()
    _paid_by_callback(payment)
    barrier = threading.Barrier(4)
    outcomes: list = []

    def run():
        try:
            barrier.wait()
            outcomes.append(payment_hand_over(payment_id=payment.pk))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == [False, False, False, True]
    assert len(paid_handler_calls) == 1
    assert _submitted_once(payment.application_id)


@pytest.mark.django_db(transaction=True)
def test_a_job_or_command_that_confirms_a_payment_hands_it_over_itself(
    start_payment, pay, embedded, database_queue
):
    # The demo data, the embedded provider's callback task and the reconciliation go on with the
    # submitted application; the task queued with the payment then has nothing to do.
    payment = start_payment()
    pay(payment)
    assert Payment.objects.get(pk=payment.pk).handed_over_at is not None
    assert _submitted_once(payment.application_id)
    call_command(*WORKER)
    assert _submitted_once(payment.application_id)

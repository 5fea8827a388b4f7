"""The life of a payment: who may start, resume and restart it, one paid payment per application
whatever the order of messages, the paid handler exactly once, and the append-only event log."""

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from payments.hooks import paid_handlers
from payments.models import (
    EventSource,
    Payment,
    PaymentEvent,
    PaymentEventAppendOnlyError,
    PaymentStatus,
)
from payments.providers import ReturnKind, get_provider
from payments.references import is_valid_creditor_reference, is_valid_finnish_reference
from payments.selectors import (
    FeeInForce,
    application_is_paid,
    application_open_payment,
    application_paid_payment,
)
from payments.services import (
    AlreadyPaid,
    NothingToPay,
    payment_handle_provider_message,
    payment_start,
    payments_reconcile,
)


def _deliver(payment, choice, source=EventSource.CALLBACK):
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice=choice)
    return payment_handle_provider_message(
        provider_name="embedded", params=params, kind=kind, source=source
    )


def test_the_amount_and_currency_are_copied_from_the_fee_in_force(start_payment, fee, embedded):
    payment = start_payment()
    assert (payment.amount_cents, payment.currency, payment.fee_id) == (48_000, "EUR", fee.pk)
    fee.amount_cents = 99_00
    fee.save()
    payment.refresh_from_db()
    assert payment.amount_cents == 48_000


def test_every_attempt_has_its_own_stamp_and_valid_references(start_payment, embedded):
    first, second = start_payment(), start_payment()
    assert first.stamp != second.stamp
    for payment in (first, second):
        assert is_valid_finnish_reference(payment.reference_number)
        assert is_valid_creditor_reference(payment.creditor_reference)
        assert payment.creditor_reference.endswith(payment.reference_number)


def test_an_exemption_needs_no_payment(draft, applicant, embedded):
    exempt = FeeInForce(fee_id=None, amount_cents=0, currency="EUR", condition="minor")
    with pytest.raises(NothingToPay):
        payment_start(application_id=draft.pk, payer=applicant, fee=exempt)
    with pytest.raises(NothingToPay):
        payment_start(application_id=draft.pk, payer=applicant, fee=None)
    assert not Payment.objects.exists()


def test_a_paid_application_cannot_be_paid_again(start_payment, paid_handler_calls, embedded):
    payment = start_payment()
    _deliver(payment, "success")
    assert application_paid_payment(application_id=payment.application_id) == payment
    with pytest.raises(AlreadyPaid):
        start_payment()


def test_the_database_allows_one_paid_payment_per_application(start_payment, embedded):
    first, second = start_payment(), start_payment()
    Payment.objects.filter(pk=first.pk).update(status=PaymentStatus.PAID)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=second.pk).update(status=PaymentStatus.PAID)


def test_an_interrupted_attempt_is_resumed_by_its_owner(applicant_client, start_payment, embedded):
    payment = start_payment()
    response = applicant_client.post(f"/payments/{payment.public_id}/resume/")
    assert response.status_code == 302 and response["Location"] == payment.provider_url
    # The embedded provider's page is a path: it opens on whatever host the applicant uses.
    assert payment.provider_url == f"/payments/embedded/{payment.public_id}/"


def test_an_attempt_at_a_price_no_longer_in_force_is_not_resumed_but_restarted(
    applicant_client, start_payment, fee, permit_type, embedded
):
    """The price in force on the day of payment applies: after a fee change, an attempt started
    at the old price is not continued (neither through our pages nor the embedded provider's);
    the applicant pays again at today's price."""
    from payments.services import NotResumable, fee_create, fee_update, payment_resume

    payment = start_payment()
    today = timezone.localdate()
    fee_update(fee=fee, valid_to=today - datetime.timedelta(days=1))
    fee_create(permit_type=permit_type, amount_cents=50_000, valid_from=today)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and not payment.is_resumable

    response = applicant_client.post(f"/payments/{payment.public_id}/resume/")
    assert response["Location"] == f"/payments/{payment.public_id}/"
    with pytest.raises(NotResumable):
        payment_resume(payment=payment, payer=payment.payer)
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Continue paying" not in page and "The fee has changed" in page
    provider_page = applicant_client.get(payment.provider_url)
    assert provider_page["Location"] == f"/payments/{payment.public_id}/"


def test_once_one_attempt_is_paid_no_other_attempt_is_resumed_or_paid_on_our_pages(
    applicant_client, start_payment, pay, embedded
):
    """Two tabs, two attempts: once one is confirmed, the other cannot be continued (a second
    payment for the application is impossible), neither by "Continue paying" nor on the
    embedded provider's page."""
    from payments.services import NotResumable, payment_resume

    first, second = start_payment(), start_payment()
    pay(first)
    second.refresh_from_db()
    assert second.status == PaymentStatus.PENDING and not second.is_resumable
    response = applicant_client.post(f"/payments/{second.public_id}/resume/")
    assert response["Location"] == f"/payments/{second.public_id}/"
    with pytest.raises(NotResumable):
        payment_resume(payment=second, payer=second.payer)
    page = applicant_client.get(response["Location"]).content.decode()
    assert "Continue paying" not in page and "already been paid with another payment" in page
    provider_page = applicant_client.get(second.provider_url)
    assert provider_page["Location"] == f"/payments/{second.public_id}/"


def test_another_person_cannot_resume_or_see_an_attempt(client, make_user, start_payment, embedded):
    from tests.conftest import sign_in_with_second_factor

    payment = start_payment()
    sign_in_with_second_factor(client, make_user())
    assert client.post(f"/payments/{payment.public_id}/resume/").status_code == 404


def test_a_restart_while_an_attempt_is_open_never_blocks_and_never_pays_twice(
    start_payment, paid_handler_calls, embedded
):
    abandoned = start_payment()
    restarted = start_payment()  # the applicant lost the first tab: no "started by another person"
    assert (
        application_open_payment(application_id=restarted.application_id, payer=restarted.payer)
        == restarted
    )
    assert _deliver(restarted, "success").changed
    # The first tab was paid after all: its success is kept and flagged, never a second "paid".
    handled = _deliver(abandoned, "success")
    abandoned.refresh_from_db()
    assert handled.note == "paid_twice" and abandoned.needs_refund
    assert abandoned.status == PaymentStatus.PENDING
    assert Payment.objects.filter(status=PaymentStatus.PAID).count() == 1
    assert len(paid_handler_calls) == 1


def test_a_failing_hand_over_leaves_the_payment_paid_and_reconciliation_hands_it_over_once(
    client, start_payment, embedded
):
    payment = start_payment()
    calls = []

    def flaky(confirmation):
        calls.append(confirmation)
        if len(calls) == 1:
            raise RuntimeError("the application could not be submitted just now")

    paid_handlers.register("flaky", lambda: flaky)
    try:
        params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
        # The money is taken: the payment says so whatever the application's trouble.
        assert client.get(f"/payments/callback/embedded/{kind.value}/", params).status_code == 200
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.PAID and payment.handed_over_at is None
        # A repeated callback queues nothing more; a fresh payment is left to its own task.
        assert client.get(f"/payments/callback/embedded/{kind.value}/", params).status_code == 200
        payments_reconcile()
        assert len(calls) == 1
        Payment.objects.filter(pk=payment.pk).update(
            paid_at=timezone.now() - datetime.timedelta(minutes=5)
        )
        assert payments_reconcile() == 1
        payments_reconcile()
    finally:
        paid_handlers.unregister("flaky")
    payment.refresh_from_db()
    assert payment.handed_over_at is not None and len(calls) == 2


def test_an_attempt_that_never_reached_the_provider_is_failed_by_reconciliation(
    start_payment, embedded
):
    payment = start_payment()
    Payment.objects.filter(pk=payment.pk).update(
        status=PaymentStatus.STARTED,
        provider_reference="",
        updated_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert payments_reconcile() == 1
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_a_signed_message_about_an_unknown_stamp_changes_nothing(start_payment, embedded):
    payment = start_payment()
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    from payments.providers.paytrail.signing import compute_signature

    params["checkout-stamp"] = "0" * 32
    params["signature"] = compute_signature(get_provider("embedded").secret, params)
    handled = payment_handle_provider_message(
        provider_name="embedded",
        params=params,
        kind=ReturnKind.SUCCESS,
        source=EventSource.CALLBACK,
    )
    assert handled.note == "unknown_stamp" and handled.payment is None
    assert not application_is_paid(application_id=payment.application_id)


def test_payment_events_are_append_only(start_payment, embedded):
    event = PaymentEvent.objects.filter(payment=start_payment()).first()
    with pytest.raises(PaymentEventAppendOnlyError):
        event.save()
    with pytest.raises(PaymentEventAppendOnlyError):
        event.delete()


def test_on_postgresql_the_database_refuses_to_change_a_payment_event(start_payment, embedded):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    event = PaymentEvent.objects.filter(payment=start_payment()).first()
    with pytest.raises(Exception, match="append-only"), transaction.atomic():
        PaymentEvent.objects.filter(pk=event.pk).update(note="changed")


def test_callbacks_past_the_rate_limit_are_answered_429(settings, client, start_payment, embedded):
    settings.RATE_LIMITS = {"payments_callback": (2, 60)}
    payment = start_payment()
    params, kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    url = f"/payments/callback/embedded/{kind.value}/"
    assert [client.get(url, params).status_code for _ in range(3)] == [200, 200, 429]


def test_a_repeated_success_after_a_refund_is_a_duplicate_not_a_second_payment(
    start_payment, paid_handler_calls, embedded
):
    payment = start_payment()
    _deliver(payment, "success")
    Payment.objects.filter(pk=payment.pk).update(status=PaymentStatus.REFUNDED)
    handled = _deliver(payment, "success")
    payment.refresh_from_db()
    assert handled.note == "duplicate" and not payment.needs_refund
    assert payment.status == PaymentStatus.REFUNDED and len(paid_handler_calls) == 1


def test_an_attempt_flagged_for_refund_is_left_to_the_administrator_by_reconciliation(
    start_payment, paid_handler_calls, embedded
):
    abandoned, restarted = start_payment(), start_payment()
    _deliver(restarted, "success")
    _deliver(abandoned, "success")
    Payment.objects.filter(pk=abandoned.pk).update(
        updated_at=timezone.now() - datetime.timedelta(hours=2)
    )
    events_before = PaymentEvent.objects.filter(payment=abandoned).count()
    assert payments_reconcile() == 0
    assert PaymentEvent.objects.filter(payment=abandoned).count() == events_before

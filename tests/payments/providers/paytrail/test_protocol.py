"""The whole Paytrail protocol against a Paytrail on loopback (deploy.paytrail_standin, a real
HTTP server shared with the benchmarks and make cluster): signed create and status requests, signed redirects and callbacks, repeated and
out-of-order callbacks, forged ones, and the reconciliation of a lost callback."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from audit.models import AuditEvent
from payments.hooks import page_after_paid
from payments.models import EventSource, Payment, PaymentEvent, PaymentStatus
from payments.providers import ProviderUnavailable
from payments.services import payments_reconcile


def _local(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}"


@pytest.fixture
def paytrail_payment(paytrail, start_payment):
    return start_payment()


def test_the_payment_is_created_at_paytrail_with_our_stamp_reference_and_amount(
    paytrail, paytrail_payment
):
    payment = paytrail_payment
    transaction = paytrail.transactions[payment.provider_reference]
    assert paytrail.requests == [("POST", "/payments", 201)]
    assert transaction.body["stamp"] == payment.stamp
    assert transaction.body["reference"] == payment.reference_number
    assert transaction.body["amount"] == payment.amount_cents == 48_000
    assert (
        transaction.body["callbackUrls"]["success"]
        == "http://testserver/payments/callback/paytrail/success/"
    )
    assert (
        transaction.body["redirectUrls"]["cancel"]
        == "http://testserver/payments/return/paytrail/cancel/"
    )
    assert payment.status == PaymentStatus.PENDING
    assert payment.provider_url == f"{paytrail.base_url}/pay/{payment.provider_reference}"


def test_sha512_merchants_sign_and_verify_with_sha512(
    settings, paytrail, start_payment, client, paid_handler_calls
):
    settings.PAYTRAIL_ALGORITHM = "sha512"
    paytrail.algorithm = "sha512"
    payment = start_payment()
    paytrail.pay(payment.provider_reference)
    url = paytrail.result_url(payment.provider_reference, "ok", which="success", callback=True)
    assert "checkout-algorithm=sha512" in url
    assert client.get(_local(url)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and len(paid_handler_calls) == 1


def test_the_return_redirect_marks_the_payment_paid_and_shows_it_to_its_owner(
    paytrail, paytrail_payment, applicant_client, paid_handler_calls
):
    payment = paytrail_payment
    paytrail.pay(payment.provider_reference)
    url = paytrail.result_url(payment.provider_reference, "ok", which="success", callback=False)
    response = applicant_client.get(_local(url))
    # Paid: the page the applications app registered (the sent case's confirmation panel).
    assert response.status_code == 302
    assert response["Location"] == page_after_paid(payment.application_id)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.paid_at is not None
    assert [call.public_id for call in paid_handler_calls] == [payment.public_id]
    page = applicant_client.get(f"/payments/{payment.public_id}/")
    assert page.status_code == 200 and payment.reference_number[:4].encode() in page.content


def test_repeated_callbacks_are_answered_2xx_and_act_once(
    paytrail, paytrail_payment, client, paid_handler_calls
):
    payment = paytrail_payment
    paytrail.pay(payment.provider_reference)
    url = _local(
        paytrail.result_url(payment.provider_reference, "ok", which="success", callback=True)
    )
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    redirect = paytrail.result_url(
        payment.provider_reference, "ok", which="success", callback=False
    )
    client.get(_local(redirect))
    assert len(paid_handler_calls) == 1
    events = PaymentEvent.objects.filter(payment=payment, source=EventSource.CALLBACK)
    assert [event.changed for event in events] == [True, False, False]
    assert AuditEvent.objects.filter(action="payments.paid", object_id=str(payment.pk)).count() == 1


def test_late_pending_and_fail_messages_never_undo_a_success(
    paytrail, paytrail_payment, client, paid_handler_calls
):
    payment = paytrail_payment
    transaction_id = payment.provider_reference
    for status, which in [
        ("ok", "success"),
        ("pending", "success"),
        ("delayed", "success"),
        ("fail", "cancel"),
    ]:
        url = paytrail.result_url(transaction_id, status, which=which, callback=True)
        assert client.get(_local(url)).status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and len(paid_handler_calls) == 1


def test_delayed_then_ok_ends_paid(paytrail, paytrail_payment, client, paid_handler_calls):
    payment = paytrail_payment
    client.get(
        _local(
            paytrail.result_url(
                payment.provider_reference, "delayed", which="success", callback=True
            )
        )
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    client.get(
        _local(
            paytrail.result_url(payment.provider_reference, "ok", which="success", callback=True)
        )
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and len(paid_handler_calls) == 1


def test_a_failed_payment_is_never_marked_paid_and_a_late_success_is_kept_for_a_refund(
    paytrail, paytrail_payment, client, paid_handler_calls
):
    payment = paytrail_payment
    client.get(
        _local(
            paytrail.result_url(payment.provider_reference, "fail", which="cancel", callback=True)
        )
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    response = client.get(
        _local(
            paytrail.result_url(payment.provider_reference, "ok", which="success", callback=True)
        )
    )
    assert response.status_code == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED and payment.needs_refund
    assert paid_handler_calls == []
    assert AuditEvent.objects.filter(
        action="payments.needs_refund", object_id=str(payment.pk)
    ).exists()


@pytest.mark.parametrize(
    "forgery", ["wrong_secret", "tampered_status", "tampered_amount", "unsigned", "other_merchant"]
)
def test_a_forged_callback_is_refused_logged_audited_and_changes_nothing(
    paytrail, paytrail_payment, client, paid_handler_calls, caplog, forgery
):
    from payments.providers.paytrail.signing import compute_signature

    payment = paytrail_payment
    params = paytrail.signed_result(payment.provider_reference, "ok")
    if forgery == "wrong_secret":
        params["signature"] = compute_signature("guessed", params)
    elif forgery == "tampered_status":
        params = {
            **paytrail.signed_result(payment.provider_reference, "fail"),
            "checkout-status": "ok",
        }
    elif forgery == "tampered_amount":
        params["checkout-amount"] = "1"
    elif forgery == "unsigned":
        del params["signature"]
    elif forgery == "other_merchant":
        params["checkout-account"] = "695861"
        params["signature"] = compute_signature("SAIPPUAKAUPPIAS", params)
    response = client.get("/payments/callback/paytrail/success/", params)
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING and paid_handler_calls == []
    refused = PaymentEvent.objects.get(signature_valid=False)
    assert refused.payment is None and refused.note == "signature_refused"
    assert AuditEvent.objects.filter(action="payments.signature_refused").count() == 1
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "refused a callback" in logged and payment.stamp not in logged


def test_a_forged_return_redirect_shows_a_translated_refusal(
    paytrail, paytrail_payment, applicant_client
):
    params = paytrail.signed_result(paytrail_payment.provider_reference, "ok")
    params["checkout-status"] = "fail"
    response = applicant_client.get("/payments/return/paytrail/success/", params)
    assert response.status_code == 400
    assert b"could not be verified" in response.content


def test_an_unknown_provider_or_kind_is_refused(client, paytrail, paytrail_payment):
    params = paytrail.signed_result(paytrail_payment.provider_reference, "ok")
    assert client.get("/payments/callback/nonexistent/success/", params).status_code == 400
    assert client.get("/payments/callback/paytrail/sideways/", params).status_code == 404


def _age(payment: Payment, minutes: int):
    Payment.objects.filter(pk=payment.pk).update(
        updated_at=timezone.now() - datetime.timedelta(minutes=minutes),
        created_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )


def test_a_lost_callback_is_reconciled_by_the_job_asking_paytrail(
    paytrail, paytrail_payment, paid_handler_calls
):
    from payments.tasks import reconcile_payments

    payment = paytrail_payment
    paytrail.pay(payment.provider_reference)  # paid at Paytrail; neither redirect nor callback came
    assert payments_reconcile() == 0  # too recent: the applicant may still be on their way back
    _age(payment, 30)
    reconcile_payments.enqueue()  # the periodic task (the test settings run it at once)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and len(paid_handler_calls) == 1
    assert ("GET", f"/payments/{payment.provider_reference}", 200) in paytrail.requests
    _age(payment, 30)
    assert payments_reconcile() == 0 and len(paid_handler_calls) == 1
    event = PaymentEvent.objects.filter(payment=payment, source=EventSource.STATUS_QUERY).get()
    assert (event.provider_status, event.status_after) == ("ok", "paid")


def test_reconciliation_leaves_an_unpaid_recent_attempt_and_gives_up_an_abandoned_one(
    paytrail, start_payment
):
    recent, abandoned = start_payment(), start_payment()
    _age(recent, 30)
    _age(abandoned, 25 * 60)
    assert payments_reconcile() == 1
    recent.refresh_from_db()
    abandoned.refresh_from_db()
    assert recent.status == PaymentStatus.PENDING
    assert abandoned.status == PaymentStatus.CANCELLED


def test_a_failure_reported_by_the_status_query_fails_the_payment(paytrail, paytrail_payment):
    paytrail.pay(paytrail_payment.provider_reference, "fail")
    _age(paytrail_payment, 30)
    assert payments_reconcile() == 1
    paytrail_payment.refresh_from_db()
    assert paytrail_payment.status == PaymentStatus.FAILED


def test_a_request_paytrail_refuses_fails_the_attempt_and_says_so(
    settings, paytrail, start_payment
):
    settings.PAYTRAIL_SECRET_KEY = "not the merchant's secret"
    with pytest.raises(ProviderUnavailable):
        start_payment()
    assert paytrail.requests == [("POST", "/payments", 401)]
    assert Payment.objects.get().status == PaymentStatus.FAILED


def test_an_answer_whose_signature_does_not_match_is_not_believed(paytrail, start_payment):
    paytrail.tamper_responses = True
    with pytest.raises(ProviderUnavailable):
        start_payment()
    assert Payment.objects.get().status == PaymentStatus.FAILED


def test_an_unreachable_paytrail_fails_the_attempt(settings, paytrail, start_payment):
    paytrail.stop()
    with pytest.raises(ProviderUnavailable):
        start_payment()
    assert Payment.objects.get().status == PaymentStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_paytrail_delivers_its_callback_over_http_to_the_running_server(
    settings, live_server, paytrail, permit_type, applicant, paid_handler_calls
):
    import datetime as dt

    from applications.services import application_start
    from payments.selectors import fee_in_force
    from payments.services import fee_create, payment_start

    settings.PAYMENTS_RETURN_BASE_URL = live_server.url
    fee_create(permit_type=permit_type, amount_cents=48_000, valid_from=dt.date(2020, 1, 1))
    draft = application_start(applicant=applicant, permit_type=permit_type)
    payment = payment_start(
        application_id=draft.pk,
        payer=applicant,
        fee=fee_in_force(permit_type=permit_type, on_date=timezone.localdate()),
    )
    paytrail.pay(payment.provider_reference)
    assert paytrail.send_callback(payment.provider_reference, "ok") == 200
    assert paytrail.send_callback(payment.provider_reference, "ok") == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and len(paid_handler_calls) == 1


def test_paytrail_shows_its_pages_in_the_applicants_language(
    paytrail, draft, applicant, fee_in_force_today
):
    from payments.services import payment_start

    payment = payment_start(
        application_id=draft.pk, payer=applicant, fee=fee_in_force_today, language="sv"
    )
    assert paytrail.transactions[payment.provider_reference].body["language"] == "SV"


def test_the_payers_address_goes_to_paytrail_only_never_to_logs_or_events(
    paytrail, paytrail_payment, client, applicant, caplog
):
    payment = paytrail_payment
    assert paytrail.transactions[payment.provider_reference].body["customer"] == {
        "email": applicant.email
    }
    params = paytrail.signed_result(payment.provider_reference, "ok")
    client.get(
        "/payments/callback/paytrail/success/", {**params, "checkout-amount": "1"}
    )  # refused
    client.get("/payments/callback/paytrail/success/", params)
    assert applicant.email not in " ".join(record.getMessage() for record in caplog.records)
    for event in PaymentEvent.objects.values():
        assert applicant.email not in str(event)

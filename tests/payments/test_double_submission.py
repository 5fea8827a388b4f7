"""The payments app's state-changing forms are safe to submit twice (a double click, a resent
request): the administrators' fee and refund forms, the applicant's "Continue paying" and the
embedded provider's choice. The second POST with the same token changes nothing and is sent to
the first one's result, with no error page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from payments.models import EventSource, Fee, PaymentEvent, PaymentStatus
from payments.services import fee_create
from tests.submissions import token_in

pytestmark = pytest.mark.django_db

ALREADY_SENT = "This form has already been sent. Here is the result."


def token_from(response) -> str:
    assert response.status_code == 200
    return token_in(response.content.decode())


def post_twice(client, url: str, data: dict):
    first = client.post(url, data)
    second = client.post(url, data)
    return first, second


def assert_second_led_to_the_first_result(client, first, second):
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    page = client.get(second["Location"], follow=True)
    assert page.status_code == 200
    assert ALREADY_SENT in page.content.decode()


def test_double_clicking_add_fee_adds_one_fee_and_shows_no_overlap_error(
    administrator_client, permit_type
):
    url = reverse("payments:fee_new")
    data = {
        "permit_type": permit_type.pk,
        "channel": "electronic",
        "condition": "",
        "amount": "480.00",
        "valid_from": "2025-01-01",
        "valid_to": "",
        "submission_token": token_from(administrator_client.get(url)),
    }

    first, second = post_twice(administrator_client, url, data)

    # Without the token the second click showed "a fee is already in force in this period".
    assert_second_led_to_the_first_result(administrator_client, first, second)
    assert first["Location"] == reverse("payments:fees")
    assert Fee.objects.filter(permit_type=permit_type).count() == 1
    assert AuditEvent.objects.filter(action="payments.fee_created").count() == 1


def test_saving_a_fee_change_twice_records_one_change(administrator_client, permit_type):
    fee = fee_create(
        permit_type=permit_type, amount_cents=48_000, valid_from=datetime.date(2025, 1, 1)
    )
    url = reverse("payments:fee_edit", args=[fee.pk])
    data = {
        "permit_type": permit_type.pk,
        "channel": "electronic",
        "condition": "",
        "amount": "480.00",
        "valid_from": "2025-01-01",
        "valid_to": "2026-06-30",
        "submission_token": token_from(administrator_client.get(url)),
    }

    first, second = post_twice(administrator_client, url, data)

    assert_second_led_to_the_first_result(administrator_client, first, second)
    fee.refresh_from_db()
    assert fee.valid_to == datetime.date(2026, 6, 30)
    changes = AuditEvent.objects.filter(action="payments.fee_changed", object_id=str(fee.pk))
    assert changes.count() == 1


def test_double_clicking_refund_refunds_once_and_shows_no_error(administrator_client, paid_payment):
    url = reverse("payments:admin_refund", args=[paid_payment.public_id])
    data = {
        "reason": "withdrawn",
        "method": "provider",
        "submission_token": token_from(administrator_client.get(url)),
    }

    first, second = post_twice(administrator_client, url, data)

    # Without the token the second click showed the form again: "cannot be refunded".
    assert_second_led_to_the_first_result(administrator_client, first, second)
    paid_payment.refresh_from_db()
    assert paid_payment.status == PaymentStatus.REFUNDED
    refunds = PaymentEvent.objects.filter(
        payment=paid_payment, source=EventSource.ADMINISTRATOR, changed=True
    )
    assert refunds.count() == 1
    assert AuditEvent.objects.filter(action="payments.refunded").count() == 1


def test_double_clicking_a_choice_on_the_embedded_page_sends_one_callback(
    applicant_client, embedded, start_payment, django_capture_on_commit_callbacks
):
    payment = start_payment()
    url = reverse("payments:embedded_pay", args=[payment.public_id])
    data = {"choice": "success", "submission_token": token_from(applicant_client.get(url))}

    # The background callback has not run yet when the second click arrives (as with a worker).
    with django_capture_on_commit_callbacks() as callbacks:
        first, second = post_twice(applicant_client, url, data)
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()

    assert_second_led_to_the_first_result(applicant_client, first, second)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert PaymentEvent.objects.filter(payment=payment, source=EventSource.CALLBACK).count() == 1


def test_double_clicking_continue_paying_goes_to_the_same_payment_page_and_says_so(
    applicant_client, embedded, start_payment
):
    """Continuing changes nothing by itself; the second click is answered as the first was, with
    the notice that the form was already sent, instead of being handled again."""
    payment = start_payment()
    detail = applicant_client.get(reverse("payments:detail", args=[payment.public_id]))
    assert "Continue paying" in detail.content.decode()
    url = reverse("payments:resume", args=[payment.public_id])

    first, second = post_twice(applicant_client, url, {"submission_token": token_from(detail)})

    assert first["Location"] == payment.provider_url
    assert_second_led_to_the_first_result(applicant_client, first, second)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING

"""Refunds by an administrator: through the provider when it can, else recorded as made by hand;
each an event and an audit record; never twice; nobody else may refund."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from deploy.paytrail_standin import PaytrailStandIn
from payments.models import PaymentEvent, PaymentStatus
from payments.services.refunds import RefundFailed, payment_refund


def test_an_administrator_refunds_through_the_page(administrator_client, paid_payment):
    url = reverse("payments:admin_refund", args=[paid_payment.public_id])
    page = administrator_client.get(url)
    assert page.status_code == 200 and "Refund the whole amount" in page.content.decode()
    response = administrator_client.post(url, {"reason": "withdrawn", "method": "provider"})
    assert response.status_code == 302
    paid_payment.refresh_from_db()
    assert paid_payment.status == PaymentStatus.REFUNDED
    event = PaymentEvent.objects.filter(payment=paid_payment).order_by("-id").first()
    assert event.note == "refunded_provider" and event.status_before == PaymentStatus.PAID
    audit = AuditEvent.objects.get(action="payments.refunded")
    assert audit.details["reason"] == "withdrawn" and audit.details["amount_cents"] == 48_000
    # A second refund (another tab) is refused and changes nothing.
    again = administrator_client.post(url, {"reason": "withdrawn", "method": "provider"})
    assert again.status_code == 200
    assert "cannot be refunded" in again.content.decode()
    assert AuditEvent.objects.filter(action="payments.refunded").count() == 1


def test_an_applicant_cannot_refund(applicant_client, paid_payment):
    url = reverse("payments:admin_refund", args=[paid_payment.public_id])
    assert applicant_client.post(url, {"reason": "other", "method": "manual"}).status_code in (
        403,
        404,
    )
    paid_payment.refresh_from_db()
    assert paid_payment.status == PaymentStatus.PAID


def test_money_never_received_cannot_be_refunded(administrator, start_payment, embedded, pay):
    payment = start_payment()
    pay(payment, "cancellation")
    with pytest.raises(RefundFailed):
        payment_refund(payment=payment, actor=administrator, reason="other", method="manual")


def test_a_success_that_could_not_count_is_refunded_by_hand(
    administrator, start_payment, embedded, pay
):
    first, second = start_payment(), start_payment()
    pay(first)
    pay(second)  # paid in a second tab: flagged for a refund
    second.refresh_from_db()
    assert second.needs_refund and second.status != PaymentStatus.PAID
    refunded = payment_refund(
        payment=second, actor=administrator, reason="duplicate", method="manual"
    )
    assert refunded.status == PaymentStatus.REFUNDED
    assert PaymentEvent.objects.filter(payment=second, note="refunded_manual").count() == 1


def test_paytrail_refunds_through_its_api(
    settings, administrator, draft, applicant, fee_in_force_today, pay
):
    from deploy.paytrail_standin import MERCHANT_ID, SECRET

    server = PaytrailStandIn().start()
    try:
        settings.PAYMENTS_PROVIDER = "paytrail"
        settings.PAYTRAIL_BASE_URL = server.base_url
        settings.PAYTRAIL_MERCHANT_ID = MERCHANT_ID
        settings.PAYTRAIL_SECRET_KEY = SECRET
        settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
        from payments.models import EventSource
        from payments.providers import ReturnKind
        from payments.services import payment_handle_provider_message, payment_start

        payment = payment_start(application_id=draft.pk, payer=applicant, fee=fee_in_force_today)
        params = server.pay(payment.provider_reference, "ok")
        payment_handle_provider_message(
            provider_name="paytrail",
            params=params,
            kind=ReturnKind.SUCCESS,
            source=EventSource.CALLBACK,
        )
        payment.refresh_from_db()
        assert payment.status == PaymentStatus.PAID
        payment_refund(payment=payment, actor=administrator, reason="error")
    finally:
        server.stop()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    ((path, body),) = server.refunds
    assert path == f"/payments/{payment.provider_reference}/refund"
    assert body["amount"] == payment.amount_cents and body["refundStamp"]


def test_a_failing_provider_refund_changes_nothing(
    settings, administrator, draft, applicant, fee_in_force_today
):
    from deploy.paytrail_standin import MERCHANT_ID, SECRET

    server = PaytrailStandIn(accept_refunds=False).start()  # answers 404 to a refund
    try:
        settings.PAYMENTS_PROVIDER = "paytrail"
        settings.PAYTRAIL_BASE_URL = server.base_url
        settings.PAYTRAIL_MERCHANT_ID = MERCHANT_ID
        settings.PAYTRAIL_SECRET_KEY = SECRET
        settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
        from payments.models import EventSource
        from payments.providers import ReturnKind
        from payments.services import payment_handle_provider_message, payment_start

        payment = payment_start(application_id=draft.pk, payer=applicant, fee=fee_in_force_today)
        payment_handle_provider_message(
            provider_name="paytrail",
            params=server.pay(payment.provider_reference, "ok"),
            kind=ReturnKind.SUCCESS,
            source=EventSource.CALLBACK,
        )
        with pytest.raises(RefundFailed):
            payment_refund(payment=payment, actor=administrator, reason="error")
    finally:
        server.stop()
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert not AuditEvent.objects.filter(action="payments.refunded").exists()


def test_the_administrators_payment_pages_are_well_formed(administrator_client, paid_payment):
    from tests.accessibility.html_rules import structure_problems

    for url in (
        reverse("payments:admin_payments"),
        reverse("payments:admin_payments") + "?needs_refund=1",
        reverse("payments:admin_refund", args=[paid_payment.public_id]),
    ):
        response = administrator_client.get(url)
        assert response.status_code == 200, url
        assert structure_problems(response.content.decode()) == [], url

"""The embedded test provider: its own pages (no JavaScript, no card data), success, failure and
cancellation returned by a signed redirect and a signed callback through Paytrail's verification,
and never in production."""

import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from payments.hooks import page_after_paid
from payments.models import EventSource, PaymentEvent, PaymentStatus
from payments.providers import get_provider


@pytest.fixture
def payment(embedded, start_payment):
    return start_payment()


def _choose(client, payment, choice, capture):
    with capture(execute=True):
        return client.post(f"/payments/embedded/{payment.public_id}/", {"choice": choice})


def test_the_page_shows_the_amount_and_the_three_choices_and_asks_for_no_card(
    applicant_client, payment
):
    response = applicant_client.get(f"/payments/embedded/{payment.public_id}/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "480.00" in content
    for choice in ("success", "failure", "cancellation"):
        assert f'value="{choice}"' in content
    assert "<script" not in content
    # Nothing to type: only the three radio buttons and the CSRF token.
    assert set(re.findall(r'<input type="(\w+)"', content)) == {"radio", "hidden"}


def test_success_comes_back_by_a_signed_redirect_and_a_signed_callback_and_acts_once(
    applicant_client, payment, paid_handler_calls, django_capture_on_commit_callbacks
):
    response = _choose(applicant_client, payment, "success", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"].startswith(
        "/payments/return/embedded/success/?checkout-account=embedded"
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID  # the callback arrived first (it ran at commit)
    back = applicant_client.get(response["Location"])
    # Paid: the page the applications app registered (the sent case's confirmation panel).
    assert back.status_code == 302 and back["Location"] == page_after_paid(payment.application_id)
    assert back["Location"].endswith("?sent=1")
    assert len(paid_handler_calls) == 1
    sources = list(
        PaymentEvent.objects.filter(payment=payment, signature_valid=True).values_list(
            "source", "changed"
        )
    )
    assert sources == [(EventSource.CALLBACK, True), (EventSource.REDIRECT, False)]
    own_page = applicant_client.get(f"/payments/{payment.public_id}/").content
    assert b"the payment has been received" in own_page


def test_with_no_page_registered_a_paid_return_shows_the_payments_own_page(
    applicant_client, payment, django_capture_on_commit_callbacks
):
    from payments.hooks import paid_pages

    factory = paid_pages._factories["applications"]
    paid_pages.unregister("applications")
    try:
        response = _choose(applicant_client, payment, "success", django_capture_on_commit_callbacks)
        back = applicant_client.get(response["Location"])
    finally:
        paid_pages.register("applications", factory)
    assert back.status_code == 302 and back["Location"] == f"/payments/{payment.public_id}/"


@pytest.mark.parametrize(
    ("choice", "status"),
    [("failure", PaymentStatus.FAILED), ("cancellation", PaymentStatus.CANCELLED)],
)
def test_failure_and_cancellation_leave_the_application_unpaid_and_a_new_attempt_possible(
    applicant_client,
    payment,
    start_payment,
    paid_handler_calls,
    django_capture_on_commit_callbacks,
    choice,
    status,
):
    from payments.selectors import application_is_paid

    response = _choose(applicant_client, payment, choice, django_capture_on_commit_callbacks)
    applicant_client.get(response["Location"])
    payment.refresh_from_db()
    assert payment.status == status and paid_handler_calls == []
    assert not application_is_paid(application_id=payment.application_id)
    again = start_payment()
    assert again.stamp != payment.stamp and again.reference_number != payment.reference_number
    assert again.status == PaymentStatus.PENDING


def test_a_choice_on_a_finished_attempt_changes_nothing(
    applicant_client, payment, django_capture_on_commit_callbacks
):
    _choose(applicant_client, payment, "failure", django_capture_on_commit_callbacks)
    response = _choose(applicant_client, payment, "success", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"] == f"/payments/{payment.public_id}/"
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED


def test_a_tampered_embedded_return_is_refused_by_the_same_verification(applicant_client, payment):
    provider = get_provider("embedded")
    params, _kind = provider.signed_parameters(payment=payment, choice="failure")
    params["checkout-status"] = "ok"
    response = applicant_client.get("/payments/return/embedded/success/", params)
    assert response.status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_another_persons_payment_page_is_not_found(client, make_user, payment):
    from tests.conftest import sign_in_with_second_factor

    sign_in_with_second_factor(client, make_user())
    assert client.get(f"/payments/embedded/{payment.public_id}/").status_code == 404
    assert client.get(f"/payments/{payment.public_id}/").status_code == 404


def test_the_embedded_provider_refuses_to_run_in_production(settings, applicant_client, payment):
    settings.DEVELOPMENT = False
    with pytest.raises(ImproperlyConfigured, match="never runs in production"):
        get_provider("embedded")
    assert applicant_client.get(f"/payments/embedded/{payment.public_id}/").status_code == 404
    settings.DEVELOPMENT = True
    params, _kind = get_provider("embedded").signed_parameters(payment=payment, choice="success")
    settings.DEVELOPMENT = False
    assert applicant_client.get("/payments/callback/embedded/success/", params).status_code == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


@pytest.mark.parametrize(
    ("language", "text"), [("fi", "Testimaksupalvelu"), ("sv", "Testbetalningstjänst")]
)
def test_the_page_speaks_finnish_and_swedish(applicant_client, payment, language, text):
    applicant_client.cookies["django_language"] = language
    with translation.override(language):
        response = applicant_client.get(
            f"/payments/embedded/{payment.public_id}/", HTTP_ACCEPT_LANGUAGE=language
        )
    assert text in response.content.decode()

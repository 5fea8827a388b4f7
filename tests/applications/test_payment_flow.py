"""Payment at the end of the application: the review page shows the fee table's fee, the
applicant pays through the provider, and the application is sent with its case number only when
the payment is confirmed, exactly once, whichever message arrives first."""

from __future__ import annotations

import datetime
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import CaseEvent, CaseEventKind, Status
from payments.models import FeeCondition, Payment, PaymentStatus
from payments.services import fee_create

FEE_CENTS = 12_345  # not the catalogue file's 480 €: the fee table decides


@pytest.fixture
def work_fee(work_type):
    return fee_create(
        permit_type=work_type, amount_cents=FEE_CENTS, valid_from=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def embedded(settings):
    settings.PAYMENTS_PROVIDER = "embedded"
    settings.PAYMENTS_EMBEDDED_SECRET = "embedded-test-secret"
    settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
    return settings


def review_url(application) -> str:
    return reverse("applications:review", args=[application.pk])


def page(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def send(client, application):
    """Post the declaration on the review page, as the "Pay and send" button does."""
    return client.post(review_url(application), {"declaration": "on"})


def choose(client, response, choice: str):
    """On the embedded provider's page (where `response` redirected), choose a result; returns
    the browser's return redirect (not yet followed)."""
    path = urlsplit(response.url).path
    assert path.startswith("/payments/embedded/")
    chosen = client.post(path, {"choice": choice})
    assert chosen.status_code == 302
    return chosen


def submitted_events(application) -> int:
    return CaseEvent.objects.filter(application=application, kind=CaseEventKind.SUBMITTED).count()


def test_the_review_page_shows_the_fee_in_force_from_the_fee_table(
    applicant_client, complete_draft, work_fee, embedded
):
    applicant_client.cookies["django_language"] = "fi"
    review = page(applicant_client.get(review_url(complete_draft)))
    assert "123,45\xa0€" in review
    assert "480,00" not in review


def test_a_successful_payment_sends_the_application_once_with_a_case_number(
    applicant_client, complete_draft, work_fee, embedded, django_capture_on_commit_callbacks
):
    response = send(applicant_client, complete_draft)
    complete_draft.refresh_from_db()
    # Redirected to the provider; still a draft without a number until the payment is confirmed.
    assert complete_draft.status == Status.DRAFT and not complete_draft.case_number
    payment = Payment.objects.get(application=complete_draft)
    assert response.url.endswith(f"/payments/embedded/{payment.public_id}/")
    assert payment.amount_cents == FEE_CENTS

    # The callback (a task after commit) and the browser's return both arrive.
    with django_capture_on_commit_callbacks(execute=True):
        returned = choose(applicant_client, response, "success")
    detail = applicant_client.get(returned.url)
    assert detail.status_code == 302
    # Back from the provider, paid: the case page with its confirmation panel (issue 11), not
    # the payment's own page.
    assert detail.url == reverse("cases:detail", args=[complete_draft.pk]) + "?sent=1"
    panel = page(applicant_client.get(detail.url))

    complete_draft.refresh_from_db()
    payment.refresh_from_db()
    assert 'id="sent-title"' in panel and complete_draft.case_number in panel
    assert "What happens next" in panel and "We estimate a decision by" in panel
    assert "Fee paid" in panel and reverse("payments:receipt", args=[payment.public_id]) in panel
    assert payment.status == PaymentStatus.PAID
    assert complete_draft.status == Status.SUBMITTED and complete_draft.case_number
    assert submitted_events(complete_draft) == 1
    event = CaseEvent.objects.get(application=complete_draft, kind=CaseEventKind.SUBMITTED)
    assert event.details["payment"] == str(payment.public_id)
    case = page(applicant_client.get(reverse("cases:detail", args=[complete_draft.pk])))
    assert complete_draft.case_number in case
    assert reverse("payments:receipt", args=[payment.public_id]) in case

    # A second "send" (another tab) pays nothing again: the case is already sent.
    again = send(applicant_client, complete_draft)
    assert again.url == reverse("applications:case", args=[complete_draft.pk])
    assert Payment.objects.filter(application=complete_draft).count() == 1


@pytest.mark.parametrize(
    ("choice", "status", "notice"),
    [
        ("failure", PaymentStatus.FAILED, "The payment did not go through"),
        ("cancellation", PaymentStatus.CANCELLED, "The payment was cancelled"),
    ],
)
def test_a_failed_or_cancelled_payment_leaves_a_draft_that_can_be_paid_again(
    applicant_client, complete_draft, work_fee, embedded, choice, status, notice
):
    response = send(applicant_client, complete_draft)
    returned = choose(applicant_client, response, choice)
    applicant_client.get(returned.url)
    first = Payment.objects.get(application=complete_draft)
    assert first.status == status
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT

    review = page(applicant_client.get(review_url(complete_draft)))
    assert notice in review
    assert "Pay and send the application" in review

    # Paying again is a new attempt with its own stamp and reference, and it sends the case.
    response = send(applicant_client, complete_draft)
    second = Payment.objects.exclude(pk=first.pk).get(application=complete_draft)
    assert second.stamp != first.stamp and second.reference_number != first.reference_number
    applicant_client.get(choose(applicant_client, response, "success").url)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    assert submitted_events(complete_draft) == 1


def test_a_forged_or_tampered_callback_changes_nothing(
    client, applicant_client, complete_draft, work_fee, embedded
):
    from payments.providers import get_provider
    from payments.providers.embedded.provider import Choice

    send(applicant_client, complete_draft)
    payment = Payment.objects.get(application=complete_draft)
    params, kind = get_provider("embedded").signed_parameters(
        payment=payment, choice=Choice.SUCCESS
    )
    callback = reverse("payments:callback", kwargs={"provider": "embedded", "kind": kind.value})
    tampered = {**params, "checkout-amount": "1"}
    forged = {**params, "signature": "0" * 64}
    for bad in (tampered, forged):
        assert client.get(callback, bad).status_code == 400
    payment.refresh_from_db()
    complete_draft.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING
    assert complete_draft.status == Status.DRAFT
    from audit.models import AuditEvent

    assert AuditEvent.objects.filter(action="payments.signature_refused").count() == 2


def test_duplicate_and_out_of_order_callbacks_send_once_and_never_lose_the_success(
    client, applicant_client, complete_draft, work_fee, embedded
):
    from payments.providers import get_provider

    send(applicant_client, complete_draft)
    payment = Payment.objects.get(application=complete_draft)
    provider = get_provider("embedded")

    def deliver(choice):
        params, kind = provider.signed_parameters(payment=payment, choice=choice)
        url = reverse("payments:callback", kwargs={"provider": "embedded", "kind": kind.value})
        return client.get(url, params).status_code

    # Success twice, then a late failure and a late cancellation, then success again.
    codes = [deliver(choice) for choice in ("success", "success", "failure", "cancellation")]
    codes.append(deliver("success"))
    assert codes == [200] * 5
    payment.refresh_from_db()
    complete_draft.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert complete_draft.status == Status.SUBMITTED
    assert submitted_events(complete_draft) == 1


def test_a_success_after_a_failure_never_makes_the_failed_attempt_paid(
    client, applicant_client, complete_draft, work_fee, embedded
):
    from payments.providers import get_provider
    from payments.providers.embedded.provider import Choice

    send(applicant_client, complete_draft)
    payment = Payment.objects.get(application=complete_draft)
    provider = get_provider("embedded")
    for choice in (Choice.FAILURE, Choice.SUCCESS):
        params, kind = provider.signed_parameters(payment=payment, choice=choice)
        url = reverse("payments:callback", kwargs={"provider": "embedded", "kind": kind.value})
        assert client.get(url, params).status_code == 200
    payment.refresh_from_db()
    complete_draft.refresh_from_db()
    assert payment.status == PaymentStatus.FAILED
    # The late success is kept, flagged for a refund, and sends nothing.
    assert payment.needs_refund
    assert complete_draft.status == Status.DRAFT


def test_an_abandoned_payment_is_resumed_or_restarted_and_never_paid_twice(
    client, applicant_client, complete_draft, work_fee, embedded
):
    from payments.providers import get_provider
    from payments.providers.embedded.provider import Choice

    send(applicant_client, complete_draft)  # the applicant closes the browser on the provider
    first = Payment.objects.get(application=complete_draft)
    review = page(applicant_client.get(review_url(complete_draft)))
    assert "Continue paying" in review
    resumed = applicant_client.post(reverse("payments:resume", args=[first.public_id]))
    assert resumed.url == first.provider_url

    # Or they start again: a new attempt, the first still open.
    send(applicant_client, complete_draft)
    second = Payment.objects.exclude(pk=first.pk).get(application=complete_draft)
    provider = get_provider("embedded")
    for payment in (first, second):  # both were paid, in two tabs
        params, kind = provider.signed_parameters(payment=payment, choice=Choice.SUCCESS)
        url = reverse("payments:callback", kwargs={"provider": "embedded", "kind": kind.value})
        assert client.get(url, params).status_code == 200
    first.refresh_from_db()
    second.refresh_from_db()
    complete_draft.refresh_from_db()
    assert first.status == PaymentStatus.PAID
    assert second.status != PaymentStatus.PAID and second.needs_refund
    assert complete_draft.status == Status.SUBMITTED
    assert submitted_events(complete_draft) == 1


def test_double_clicking_pay_and_send_starts_one_payment(
    applicant_client, complete_draft, work_fee, embedded
):
    """The second click of "Pay and send" (same form token) goes to the first one's provider
    page; without the token it would start a second attempt."""
    review = page(applicant_client.get(review_url(complete_draft)))
    # The declaration form is the page's last form (the attachments' remove buttons come first).
    token = re.findall(r'name="submission_token" value="([A-Za-z0-9_-]+)"', review)[-1]
    data = {"declaration": "on", "submission_token": token}

    first = applicant_client.post(review_url(complete_draft), data)
    second = applicant_client.post(review_url(complete_draft), data)

    assert first.status_code == second.status_code == 302
    assert second.url == first.url
    payment = Payment.objects.get(application=complete_draft)
    assert first.url == payment.provider_url
    assert "This form has already been sent" in page(applicant_client.get(second.url))


def test_after_a_fee_change_the_review_page_offers_no_old_price_and_a_new_attempt_pays_todays(
    applicant_client, complete_draft, work_fee, work_type, embedded
):
    from payments.services import fee_update

    send(applicant_client, complete_draft)  # started at 123,45 €, then the browser was closed
    first = Payment.objects.get(application=complete_draft)
    today = timezone.localdate()
    fee_update(fee=work_fee, valid_to=today - datetime.timedelta(days=1))
    fee_create(permit_type=work_type, amount_cents=13_000, valid_from=today)

    review = page(applicant_client.get(review_url(complete_draft)))
    assert "The fee has changed" in review
    assert reverse("payments:resume", args=[first.public_id]) not in review
    assert "Continue paying" not in review

    response = send(applicant_client, complete_draft)
    second = Payment.objects.exclude(pk=first.pk).get(application=complete_draft)
    assert second.amount_cents == 13_000
    applicant_client.get(choose(applicant_client, response, "success").url)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED
    assert submitted_events(complete_draft) == 1


def test_a_lost_callback_is_reconciled_by_the_job(
    applicant_client, complete_draft, work_fee, settings
):
    from deploy.paytrail_standin import MERCHANT_ID, SECRET, PaytrailStandIn

    server = PaytrailStandIn().start()
    try:
        settings.PAYMENTS_PROVIDER = "paytrail"
        settings.PAYTRAIL_BASE_URL = server.base_url
        settings.PAYTRAIL_MERCHANT_ID = MERCHANT_ID
        settings.PAYTRAIL_SECRET_KEY = SECRET
        settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
        response = send(applicant_client, complete_draft)
        payment = Payment.objects.get(application=complete_draft)
        assert response.url == payment.provider_url
        assert response.url.startswith(server.base_url)
        # The applicant pays at Paytrail, then closes the browser; no callback ever comes.
        server.pay(payment.provider_reference, "ok")
        Payment.objects.filter(pk=payment.pk).update(
            updated_at=timezone.now() - datetime.timedelta(hours=1)
        )
        from payments.tasks import reconcile_payments

        reconcile_payments.call()
    finally:
        server.stop()
    payment.refresh_from_db()
    complete_draft.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert complete_draft.status == Status.SUBMITTED and complete_draft.case_number


def test_the_payment_service_down_keeps_the_draft_and_says_so(
    applicant_client, complete_draft, work_fee, settings
):
    settings.PAYMENTS_PROVIDER = "paytrail"
    settings.PAYTRAIL_BASE_URL = "http://127.0.0.1:9"  # nothing listens there
    settings.PAYTRAIL_MERCHANT_ID = "375917"
    settings.PAYTRAIL_SECRET_KEY = "SAIPPUAKAUPPIAS"
    settings.PAYTRAIL_TIMEOUT_SECONDS = 2
    response = send(applicant_client, complete_draft)
    assert "The payment service cannot be reached" in page(response)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


@pytest.mark.parametrize("how", ["no fee row", "exempt (0 €)"])
def test_a_type_without_a_fee_is_sent_at_once(
    applicant_client, complete_draft, work_type, embedded, how
):
    if how != "no fee row":
        fee_create(permit_type=work_type, amount_cents=0, valid_from=datetime.date(2020, 1, 1))
    review = page(applicant_client.get(review_url(complete_draft)))
    assert "No fee is charged for this application." in review
    response = send(applicant_client, complete_draft)
    complete_draft.refresh_from_db()
    assert response.url == reverse("cases:detail", args=[complete_draft.pk]) + "?sent=1"
    assert complete_draft.status == Status.SUBMITTED and complete_draft.case_number
    assert not Payment.objects.filter(application=complete_draft).exists()


def test_a_minor_applicant_is_exempt_by_a_fee_row(
    applicant_client, draft, work_type, work_fee, embedded
):
    from tests.applications.conftest import WORK_SECTIONS, attach_required, fill_sections

    fee_create(
        permit_type=work_type,
        amount_cents=0,
        condition=FeeCondition.MINOR,
        valid_from=datetime.date(2020, 1, 1),
    )
    born = timezone.localdate().replace(year=timezone.localdate().year - 16, day=1)
    sections = {
        **WORK_SECTIONS,
        "personal": {**WORK_SECTIONS["personal"], "date_of_birth": born.isoformat()},
    }
    application = attach_required(fill_sections(draft, sections))
    send(applicant_client, application)
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert not Payment.objects.filter(application=application).exists()


def test_the_service_refuses_to_send_an_unpaid_application_with_a_fee(
    complete_draft, applicant, work_fee
):
    from applications.services import PaymentRequired, application_submit

    with pytest.raises(PaymentRequired):
        application_submit(application=complete_draft, declaration_confirmed=True, actor=applicant)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.DRAFT


def test_an_incomplete_draft_starts_no_payment(applicant_client, draft, work_fee, embedded):
    response = send(applicant_client, draft)
    assert "The application is not complete yet" in page(response)
    assert not Payment.objects.filter(application=draft).exists()


def test_a_draft_with_a_payment_is_not_deleted_but_explained(
    applicant_client, complete_draft, work_fee, embedded
):
    send(applicant_client, complete_draft)
    response = applicant_client.post(reverse("applications:delete_draft", args=[complete_draft.pk]))
    assert response.url == review_url(complete_draft)
    assert "cannot be deleted" in page(applicant_client.get(response.url))
    complete_draft.refresh_from_db()


def test_another_applicant_cannot_pay_or_see_the_payment(
    client, make_user, applicant_client, complete_draft, work_fee, embedded
):
    from tests.conftest import sign_in_with_second_factor

    send(applicant_client, complete_draft)
    payment = Payment.objects.get(application=complete_draft)
    stranger = sign_in_with_second_factor(client, make_user(role="applicant"))
    assert send(stranger, complete_draft).status_code == 404
    assert stranger.get(reverse("payments:detail", args=[payment.public_id])).status_code == 404
    assert Payment.objects.filter(application=complete_draft).count() == 1

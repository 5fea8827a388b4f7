"""Fixtures for the payments tests: a permit type with a fee, a draft application, payments."""

from __future__ import annotations

import datetime

import pytest

from payments.services import fee_create

FEE_CENTS = 48_000


@pytest.fixture
def permit_type(db):
    from applications.catalogue import permit_types_load_directory
    from applications.models import PermitType

    permit_types_load_directory()
    return PermitType.objects.get(code="work-employed")


@pytest.fixture
def other_permit_type(permit_type):
    from applications.models import PermitType

    return PermitType.objects.exclude(pk=permit_type.pk).first()


@pytest.fixture
def fee(permit_type):
    return fee_create(
        permit_type=permit_type, amount_cents=FEE_CENTS, valid_from=datetime.date(2020, 1, 1)
    )


@pytest.fixture
def draft(permit_type, applicant):
    from applications.services import application_start

    return application_start(applicant=applicant, permit_type=permit_type)


@pytest.fixture
def fee_in_force_today(fee, permit_type):
    from django.utils import timezone

    from payments.selectors import fee_in_force

    return fee_in_force(permit_type=permit_type, on_date=timezone.localdate())


@pytest.fixture
def embedded(settings):
    settings.PAYMENTS_PROVIDER = "embedded"
    settings.PAYMENTS_EMBEDDED_SECRET = "embedded-test-secret"
    settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"
    return settings


@pytest.fixture
def start_payment(draft, applicant, fee_in_force_today, settings):
    """Start an attempt with the configured provider (embedded unless a test chose Paytrail)."""
    from payments.services import payment_start

    settings.PAYMENTS_RETURN_BASE_URL = "http://testserver"

    def _start(provider_name: str | None = None, payer=None):
        return payment_start(
            application_id=draft.pk,
            payer=payer or applicant,
            fee=fee_in_force_today,
            provider_name=provider_name,
        )

    return _start


@pytest.fixture
def paid_handler_calls():
    """A handler registered as the applications app will register one; it records its calls."""
    from payments.hooks import paid_handlers

    calls = []
    paid_handlers.register("test", lambda: calls.append)
    yield calls
    paid_handlers.unregister("test")


@pytest.fixture
def pay():
    """pay(payment, choice="success"): the embedded provider's signed callback for the choice."""
    from payments.models import EventSource
    from payments.providers import get_provider
    from payments.services import payment_handle_provider_message

    def _pay(payment, choice: str = "success"):
        params, kind = get_provider("embedded").signed_parameters(payment=payment, choice=choice)
        handled = payment_handle_provider_message(
            provider_name="embedded", params=params, kind=kind, source=EventSource.CALLBACK
        )
        payment.refresh_from_db()
        return handled

    return _pay


@pytest.fixture
def paid_payment(start_payment, pay, embedded):
    payment = start_payment()
    pay(payment)
    return payment
